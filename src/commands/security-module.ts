import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { renderSecurityOverview, type SecurityCardView } from '../cards/security-cards';
import { renderHuntingResult, renderSecurityAudit } from '../cards/security-views';
import { DependencyError, ForbiddenError, InputError, NotFoundError } from '../errors';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { huntingUsage, isPreset } from '../security/hunting';
import { LINK_PROBLEMS, linkProblemOf, type LinkResult } from '../security/security-service';
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

  /**
   * `declare … defender:<id>`: links right after the incident exists and never fails the
   * declare. Returns the one line the declarer reads when the link did not go as asked.
   */
  async linkOnDeclare(
    turn: TurnInfo,
    incident: Incident,
    defenderIncidentId: string,
  ): Promise<string | undefined> {
    const fields = { incidentId: incident.id, tenantId: turn.tenantId };
    let result: LinkResult;
    try {
      // The declare does not pass onText, where `security link` is checked: same rule here.
      await this.deps.security.assertReader(this.acting(turn, incident), READ_WHAT.security);
      result = await this.deps.security.link(this.linkActing(turn, incident), defenderIncidentId);
    } catch (error) {
      return this.declareLinkFailed(error, incident, defenderIncidentId, fields);
    }

    if (!result.unread) return undefined;
    this.deps.logger.warn({ ...fields, problem: result.unread }, 'defender incident linked unread');
    return (
      `Defender incident ${defenderIncidentId} is linked but not checked: ` +
      `${LINK_PROBLEMS[result.unread]}. ${roomCommand(incident, 'security')} reads it again.`
    );
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

  /**
   * The declarer's line for a link that was not made, by error kind. Refusals and an id
   * Defender does not know are expected: logged without a stack.
   */
  private declareLinkFailed(
    error: unknown,
    incident: Incident,
    defenderIncidentId: string,
    fields: { incidentId: string; tenantId: string },
  ): string {
    const { logger } = this.deps;
    const notLinked = `Not linked to Defender incident ${defenderIncidentId}`;
    const retry = `Retry with ${linkCommand(incident, defenderIncidentId)}.`;

    if (error instanceof NotFoundError) {
      logger.info({ ...fields, kind: error.kind }, 'defender link on declare refused');
      return `${notLinked}: Defender has no incident with that id. Retry with ${linkCommand(incident, '‹id›')}.`;
    }
    if (error instanceof ForbiddenError) {
      logger.info({ ...fields, kind: error.kind }, 'defender link on declare refused');
      return `${notLinked}: only security responders may link one; a responder can send ${linkCommand(incident, defenderIncidentId)}.`;
    }
    if (error instanceof InputError) {
      logger.info({ ...fields, kind: error.kind }, 'defender link on declare refused');
      return `${notLinked}: a Defender incident id is its number, for example 2972395.`;
    }
    if (error instanceof DependencyError) {
      // Only the responder check fails this way: a failed read of the incident keeps the link.
      const { status, code, requestId } = error.details;
      logger.warn({ ...fields, status, code, requestId }, 'defender link on declare failed');
      const why =
        linkProblemOf(error) === 'not-permitted'
          ? 'the app may not check who is a security responder'
          : 'Microsoft Graph is unavailable';
      return `${notLinked}: ${why}. ${retry}`;
    }

    const errorId = randomUUID().slice(0, 8);
    logger.error({ ...fields, errorId, err: error }, 'defender link on declare failed');
    return `${notLinked}: something went wrong on our side (error id ${errorId}). ${retry}`;
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

/** `security link <id>` as sent for this incident: in its war room, or naming it elsewhere. */
function linkCommand(incident: Incident, id: string): string {
  return roomCommand(incident, `security link ${id}`);
}

function roomCommand(incident: Incident, command: string): string {
  return incident.place
    ? `“${command}” in its war room`
    : `“${formatIncidentNumber(incident.number)} ${command}”`;
}
