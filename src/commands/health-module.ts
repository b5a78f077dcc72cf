import { z } from 'zod';
import { renderHealthSummary, renderServiceDetail } from '../cards/health-card';
import { cutText } from '../cards/text';
import { InputError } from '../errors';
import type { HealthService } from '../health/health-service';
import { statusLabel, type ServiceIssue } from '../health/service-health';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import type { CardAnswer, CommandModule } from './command-module';
import type { CommandLine } from './command-parser';
import type { CommandDeps } from './deps';
import { incidentForCard, incidentForText } from './incident-change';
import type { Reply, TurnInfo } from './turn';

export interface HealthDeps extends CommandDeps {
  health: HealthService;
}

const LINK_USAGE = 'health link <issue id> (in the incident’s channel, or INC-0042 health link …)';
const SERVICE_NAME_MAX = 100;
const TIMELINE_TITLE_MAX = 300;

const LinkData = z.object({
  incidentId: z.string().min(1).max(64),
  issueId: z.string().min(1).max(64),
});

const ShowData = z.object({
  incidentId: z.string().max(64).catch(''),
  service: z.string().max(SERVICE_NAME_MAX).catch(''),
});

/**
 * `health`, `health <service>` and `health link <issue id>`, and the card's buttons.
 *
 * Who may read: anyone the tenant gate lets in. Service health is what Microsoft 365 admins see
 * in the admin center, but it describes Microsoft's services (their states, Microsoft's titles
 * and posts), not the tenant's people, mail or files, and the whole incident team needs it to
 * tell "Microsoft's outage" from "ours". Adding an issue to the timeline is open to the same
 * people who may add a note.
 */
export class HealthModule implements CommandModule {
  readonly words = ['health'] as const;
  readonly verbs = ['health.show', 'health.link'] as const;
  readonly help = [
    {
      usage: 'health [service]',
      description:
        'Microsoft 365 service health: services with issues first; one service with its recent issues.',
    },
    { usage: 'health link <issue id>', description: 'Add a service health issue to the timeline.' },
  ];

  constructor(private readonly deps: HealthDeps) {}

  async onText(turn: TurnInfo, line: CommandLine): Promise<Reply> {
    const [first, ...rest] = line.args;
    if (first?.toLowerCase() === 'link') {
      if (rest.length !== 1) throw new InputError(`Use: ${LINK_USAGE}`);
      const incident = await incidentForText(this.deps, turn, line.incidentNumber);
      return { text: await this.link(turn, incident, rest[0]) };
    }

    const service = line.args.join(' ');
    if (service.length > SERVICE_NAME_MAX) throw new InputError('That service name is too long.');
    const incident = await this.impliedIncident(turn, line.incidentNumber);
    return { card: await this.card(turn, incident, service) };
  }

  async onCardAction(
    turn: TurnInfo,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<CardAnswer> {
    if (verb === 'health.link') {
      const parsed = LinkData.safeParse(data);
      if (!parsed.success) throw new InputError('This button did not name an incident and issue.');
      const incident = await incidentForCard(this.deps, turn, parsed.data.incidentId);
      return { message: await this.link(turn, incident, parsed.data.issueId) };
    }

    const { incidentId, service } = ShowData.parse(data);
    const incident = incidentId ? await incidentForCard(this.deps, turn, incidentId) : undefined;
    return { card: await this.card(turn, incident, service) };
  }

  private async card(turn: TurnInfo, incident: Incident | undefined, service: string) {
    const now = this.deps.clock();
    const context = { now, timeZone: turn.timeZone, incident };
    if (service.trim() === '') {
      return renderHealthSummary(await this.deps.health.summary(), context);
    }
    return renderServiceDetail(await this.deps.health.detail(service, now), context);
  }

  private async link(turn: TurnInfo, incident: Incident, issueId: string): Promise<string> {
    const issue = await this.deps.health.issue(issueId);
    const request = { tenantId: turn.tenantId, incidentId: incident.id, actor: turn.actor };
    const result = await this.deps.health.link(request, issue, timelineText(issue));

    const number = formatIncidentNumber(incident.number);
    return result.changed
      ? `Added ${issue.id} (${issue.service}) to the ${number} timeline.`
      : `${issue.id} is already on the ${number} timeline, unchanged since.`;
  }

  /**
   * The incident of this channel or thread, or the one named; none elsewhere, where the card
   * simply has no "Add to timeline" buttons.
   */
  private async impliedIncident(turn: TurnInfo, incidentNumber?: number) {
    try {
      return await incidentForText(this.deps, turn, incidentNumber);
    } catch (error) {
      if (incidentNumber === undefined && error instanceof InputError) return undefined;
      throw error;
    }
  }
}

/** The entry everyone reads on the timeline: shared by all readers, so its times are in UTC. */
export function timelineText(issue: ServiceIssue): string {
  const kind = issue.classification === 'unknown' ? 'issue' : issue.classification;
  const parts = [issue.id, issue.service, statusLabel(issue.status)];
  if (issue.startDateTime) parts.push(`since ${utc(issue.startDateTime)}`);
  if (issue.isResolved && issue.endDateTime) parts.push(`ended ${utc(issue.endDateTime)}`);
  const facts = parts.filter((part) => part !== '').join(' · ');
  return `Microsoft 365 service health ${kind} ${facts}: ${cutText(issue.title, TIMELINE_TITLE_MAX)}`;
}

function utc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
