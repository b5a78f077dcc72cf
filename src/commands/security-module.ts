import { z } from 'zod';
import { renderSecurityOverview, type SecurityCardView } from '../cards/security-cards';
import { renderHuntingResult, renderSecurityAudit } from '../cards/security-views';
import { InputError } from '../errors';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { huntingUsage, isPreset } from '../security/hunting';
import { LINK_PROBLEMS } from '../security/security-service';
import type { CardAnswer, CommandModule } from './command-module';
import type { CommandLine } from './command-parser';
import {
  decisionFromCard,
  PostedRequestCard,
  requestCard,
  requestFromCard,
  type ContainmentDeps,
} from './containment-actions';
import type { CommandDeps } from './deps';
import { incidentForCard, incidentForText } from './incident-change';
import type { Reply, TurnInfo } from './turn';

export interface SecuritySettings {
  protectedAccounts: readonly string[];
}

const IncidentData = z.object({ incidentId: z.string().min(1).max(64) });

const DefenderUpdateData = z.object({
  defenderStatus: z.enum(['active', 'resolved']),
  classification: z.enum([
    'unknown',
    'falsePositive',
    'truePositive',
    'informationalExpectedActivity',
  ]),
  determination: z.enum([
    'unknown',
    'malware',
    'securityTesting',
    'unwantedSoftware',
    'multiStagedAttack',
    'compromisedAccount',
    'phishing',
    'maliciousUserActivity',
    'notMalicious',
    'notEnoughDataToValidate',
    'confirmedActivity',
    'lineOfBusinessApplication',
    'other',
  ]),
});

/** Issue 4: `security`, `hunt`, `audit` and the containment buttons. */
const READ_WHAT: Record<string, string> = {
  security: 'see or link security evidence',
  hunt: 'run hunting queries',
  audit: 'read the security audit',
};

export class SecurityModule implements CommandModule {
  readonly words = ['security', 'hunt', 'audit'] as const;
  readonly verbs = [
    'security.show',
    'security.audit',
    'containment.request',
    'containment.undo',
    'containment.approve',
    'containment.reject',
    'containment.show',
    'containment.recheck',
    'defender.update',
  ] as const;
  readonly help = [
    {
      usage: 'security [link <Defender incident id>]',
      description: 'Evidence, accounts at risk and containment.',
    },
    { usage: huntingUsage(), description: 'Run a saved advanced hunting query for an account.' },
    {
      usage: 'audit',
      description: 'Who requested, approved and did what, with Graph request ids.',
    },
  ];

  constructor(
    private readonly deps: CommandDeps & ContainmentDeps,
    private readonly settings: SecuritySettings,
  ) {}

  async onText(turn: TurnInfo, line: CommandLine): Promise<Reply> {
    const incident = await incidentForText(this.deps, turn, line.incidentNumber);
    const [first, ...rest] = line.args;
    await this.deps.security.assertReader(
      this.acting(turn, incident),
      READ_WHAT[line.word] ?? 'read security data',
    );
    switch (line.word) {
      case 'security':
        if (first?.toLowerCase() === 'link') {
          if (rest.length !== 1) throw new InputError('Use: security link <Defender incident id>');
          return { text: await this.link(turn, incident, rest[0]) };
        }
        return { card: await this.overviewCard(turn, incident) };
      case 'hunt':
        return { card: await this.hunt(turn, incident, first?.toLowerCase() ?? '', rest) };
      default:
        return { card: await this.auditCard(turn, incident) };
    }
  }

  async onCardAction(
    turn: TurnInfo,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<CardAnswer> {
    const parsed = IncidentData.safeParse(data);
    if (!parsed.success) throw new InputError('This button did not name an incident.');
    const incident = await incidentForCard(this.deps, turn, parsed.data.incidentId);

    if (verb === 'security.show' || verb === 'security.audit') {
      await this.deps.security.assertReader(this.acting(turn, incident), 'read security data');
    }
    switch (verb) {
      case 'security.show':
        return { card: await this.overviewCard(turn, incident) };
      case 'security.audit':
        return { card: await this.auditCard(turn, incident) };
      case 'containment.request':
      case 'containment.undo': {
        const posted = new PostedRequestCard(this.deps, turn, incident);
        const view = await requestFromCard(this.deps, turn, incident, verb, data, posted.settled);
        return { card: requestCard(this.deps, turn, incident, view, posted) };
      }
      case 'containment.approve':
      case 'containment.reject':
      case 'containment.recheck':
      case 'containment.show': {
        const posted =
          verb === 'containment.show'
            ? undefined
            : new PostedRequestCard(this.deps, turn, incident);
        const view = await decisionFromCard(this.deps, turn, incident, verb, data, posted?.settled);
        return { card: requestCard(this.deps, turn, incident, view, posted) };
      }
      case 'defender.update':
        return { message: await this.updateDefender(turn, incident, data) };
      default:
        return { message: 'This button is no longer supported.' };
    }
  }

  /** `declare … defender:<id>`: links right after the incident exists; never fails the declare. */
  async linkOnDeclare(turn: TurnInfo, incident: Incident, defenderIncidentId: string) {
    try {
      await this.link(turn, incident, defenderIncidentId);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, incidentId: incident.id },
        'defender link on declare failed',
      );
    }
  }

  /**
   * The resolve card: when a Teams incident linked to Defender resolves, the war room gets the
   * security card with "Update Defender incident", so closing the loop is one press away.
   */
  async offerDefenderUpdate(turn: TurnInfo, incident: Incident): Promise<void> {
    if (incident.status !== 'resolved' || !incident.place) return;
    if (!(await this.deps.security.isLinked(incident.id))) return;

    const number = formatIncidentNumber(incident.number);
    await this.deps.sender.send(
      { serviceUrl: incident.place.serviceUrl, conversationId: incident.place.conversationId },
      {
        text: `${number} is resolved. Close the loop: update the linked Defender incident here.`,
        card: await this.overviewCard(turn, incident),
      },
    );
  }

  private async link(turn: TurnInfo, incident: Incident, defenderIncidentId: string) {
    const result = await this.deps.security.link(
      this.linkActing(turn, incident),
      defenderIncidentId,
    );

    const number = formatIncidentNumber(incident.number);
    if (!result.changed) {
      return `${number} is already linked to Defender incident ${defenderIncidentId}; “security” shows it.`;
    }
    const instead = result.replaced ? ` in place of ${result.replaced}` : '';
    const linked = `${number} is linked to Defender incident ${defenderIncidentId}${instead}`;
    return result.unread
      ? `${linked}, but it could not be read: ${LINK_PROBLEMS[result.unread]}. “security” tries again.`
      : `${linked}. Send “security” for its evidence.`;
  }

  /** Its own key: on `declare … defender:<id>` the activity id was claimed by the declare. */
  private linkActing(turn: TurnInfo, incident: Incident) {
    return { ...this.acting(turn, incident), key: `defender-link:${turn.activityId}` };
  }

  private async overviewCard(turn: TurnInfo, incident: Incident) {
    const overview = await this.deps.security.overview(incident.id);
    return renderSecurityOverview(incident, overview, this.view(turn));
  }

  private async auditCard(turn: TurnInfo, incident: Incident) {
    return renderSecurityAudit(
      incident,
      await this.deps.security.audit(incident.id),
      turn.timeZone,
    );
  }

  private async hunt(turn: TurnInfo, incident: Incident, preset: string, args: string[]) {
    const acting = this.acting(turn, incident);
    if (preset === 'kql') {
      const { title, result } = await this.deps.security.hunt(acting, { kql: args.join(' ') });
      return renderHuntingResult(incident, title, result);
    }
    if (!isPreset(preset) || args.length !== 1) throw new InputError(`Use: ${huntingUsage()}`);
    const { title, result } = await this.deps.security.hunt(acting, { preset, account: args[0] });
    return renderHuntingResult(incident, title, result);
  }

  private async updateDefender(turn: TurnInfo, incident: Incident, data: Record<string, unknown>) {
    const parsed = DefenderUpdateData.safeParse(data);
    if (!parsed.success)
      throw new InputError('Choose a status, a classification and a determination.');
    const { defenderStatus, classification, determination } = parsed.data;
    return this.deps.security.updateDefender(this.acting(turn, incident), {
      status: defenderStatus,
      classification,
      determination,
    });
  }

  private acting(turn: TurnInfo, incident: Incident) {
    return {
      tenantId: turn.tenantId,
      incidentId: incident.id,
      actor: turn.actor,
      key: `activity:${turn.activityId}`,
    };
  }

  private view(turn: TurnInfo): SecurityCardView {
    return {
      now: this.deps.clock(),
      timeZone: turn.timeZone,
      mode: this.deps.containment.mode,
      protectedAccounts: this.settings.protectedAccounts,
    };
  }
}
