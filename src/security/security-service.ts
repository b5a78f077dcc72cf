import { DependencyError, ForbiddenError, InputError, NotFoundError } from '../errors';
import type { Person } from '../incidents/incident';
import { accountContainment, type AccountContainment } from './account-containment';
import type { ContainmentRequest } from './containment';
import {
  accountsAtRisk,
  actionable,
  type AccountAtRisk,
  type DefenderIncident,
  type HuntingResult,
} from './evidence';
import { HUNTING_PRESETS, KQL_MAX, presetQuery, type HuntingPreset } from './hunting';
import { describeOutcome, REQUIRED_PERMISSIONS, type GraphOperation } from './outcomes';
import type {
  AuditRecord,
  DefenderGraph,
  DefenderIncidentPatch,
  DefenderLink,
  IdentityGraph,
  SecurityStore,
} from './ports';
import type { ResponderCheck } from './responders';
import { record, type AuditInput } from './security-audit';

export interface SecurityOverview {
  link?: DefenderLink;
  defender?: DefenderIncident;
  accounts: AccountAtRisk[];
  /** What containment in this incident left each account as, as the server recorded it. */
  containment: AccountContainment[];
  requests: ContainmentRequest[];
  /** Sentences about what could not be read, each naming the missing permission. */
  problems: string[];
}

export interface Acting {
  tenantId: string;
  incidentId: string;
  actor: Person;
  /** Idempotency key of the activity (IncidentStore.claim). */
  key: string;
}

export type HuntInput = { preset: HuntingPreset; account: string } | { kql: string };

/** Why a linked Defender incident could not be read when it was linked. */
export type LinkProblem = 'not-permitted' | 'unavailable' | 'refused';

/** Plain words for each LinkProblem, for the timeline and for the person who linked. */
export const LINK_PROBLEMS: Record<LinkProblem, string> = {
  'not-permitted': `the app may not read Defender incidents (it needs ${REQUIRED_PERMISSIONS['read-incident']})`,
  unavailable: 'Microsoft Graph is unavailable',
  refused: 'Microsoft Graph refused to read it',
};

/** What `link` did; `changed` false: the incident was already linked to that Defender incident. */
export interface LinkResult {
  changed: boolean;
  /** The Defender incident as read while linking; absent when it could not be read. */
  defender?: DefenderIncident;
  /** Why it could not be read; the link is kept all the same. */
  unread?: LinkProblem;
  /** The Defender incident this link replaced. */
  replaced?: string;
}

const DEFENDER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Requests shown on the card, and requests (and steps) read to know each account's state. */
const SHOWN_REQUESTS = 5;
const STATE_REQUESTS = 100;
const STATE_EXECUTIONS = 2000;

/** Evidence, hunting, the Defender link and the audit: everything but containment itself. */
export class SecurityService {
  constructor(
    private readonly store: SecurityStore,
    private readonly defender: DefenderGraph,
    private readonly identity: IdentityGraph,
    private readonly responders: ResponderCheck,
    private readonly clock: () => Date,
  ) {}

  /**
   * Evidence, hunts, links and the audit name accounts at risk and read other people's
   * activity: only security responders may ask for them. A refusal is recorded.
   */
  async assertReader(acting: Acting, what: string): Promise<void> {
    if (await this.responders.isResponder(acting.tenantId, acting.actor.id)) return;
    await this.refuse(acting, `${what} by a non-responder`);
    throw new ForbiddenError(`only security responders may ${what}.`);
  }

  /**
   * Links a Defender XDR incident after checking it exists, replacing any other link. Linking
   * the one already linked writes nothing: a repeated command leaves one timeline entry.
   */
  async link(acting: Acting, defenderIncidentId: string): Promise<LinkResult> {
    if (!DEFENDER_ID.test(defenderIncidentId)) {
      throw new InputError('A Defender incident id is its number, for example 2972395.');
    }

    const current = await this.store.getLink(acting.incidentId);
    if (current?.defenderIncidentId === defenderIncidentId) return { changed: false };

    let defender: DefenderIncident | undefined;
    let unread: LinkProblem | undefined;
    try {
      defender = await this.defender.getIncident(defenderIncidentId);
    } catch (error) {
      // Without read permission, or while Graph fails, the link is still kept: it is what the
      // responder asked for, and the card reads it again each time and says what is missing.
      if (!(error instanceof DependencyError)) throw error;
      unread = linkProblemOf(error);
    }
    if (!defender && !unread) {
      throw new NotFoundError(`Defender has no incident ${defenderIncidentId}.`);
    }

    return this.store.transaction(async (tx): Promise<LinkResult> => {
      // A re-delivered activity acts once; what the first delivery did stands.
      if (!(await tx.claim(acting.key))) return { changed: false };

      const previous = await tx.getLink(acting.incidentId);
      const at = this.now();
      const link = { defenderIncidentId, linkedBy: acting.actor, linkedAt: at };
      if (!(await tx.setLink({ incidentId: acting.incidentId, ...link }))) {
        return { changed: false };
      }

      const replaced = previous?.defenderIncidentId;
      const outcome = linkOutcome(defenderIncidentId, defender, unread, replaced);
      await record(tx, { ...acting, event: 'linked', outcome }, at, { timeline: true });
      return { changed: true, defender, unread, replaced };
    });
  }

  async isLinked(incidentId: string): Promise<boolean> {
    return (await this.store.getLink(incidentId)) !== undefined;
  }

  async overview(incidentId: string): Promise<SecurityOverview> {
    const problems: string[] = [];
    const link = await this.store.getLink(incidentId);
    // An incident with more steps than read here shows the older accounts' states in "audit"
    // only; an account acted on before its 100 latest requests is named by its object id.
    const [defender, risky, requests, executions] = await Promise.all([
      link
        ? this.read('read-incident', problems, () =>
            this.defender.getIncident(link.defenderIncidentId),
          )
        : undefined,
      this.read('read-risky-users', problems, () => this.identity.listRiskyUsers()),
      this.store.listRequests(incidentId, STATE_REQUESTS),
      this.store.listIncidentExecutions(incidentId, STATE_EXECUTIONS),
    ]);
    if (link && defender === undefined && problems.length === 0) {
      problems.push(`Defender has no incident ${link.defenderIncidentId} any more.`);
    }
    return {
      link,
      defender,
      accounts: accountsAtRisk(defender, risky ?? []),
      containment: accountContainment(requests, executions),
      requests: requests.slice(0, SHOWN_REQUESTS),
      problems,
    };
  }

  /** The accounts "Contain all" acts on, gathered again from Graph: never from card data. */
  async containable(incidentId: string): Promise<AccountAtRisk[]> {
    const overview = await this.overview(incidentId);
    if (overview.problems.length > 0 && overview.accounts.length === 0) {
      throw new DependencyError(overview.problems.join(' '), 'graph');
    }
    return actionable(overview.accounts);
  }

  async hunt(acting: Acting, input: HuntInput): Promise<{ title: string; result: HuntingResult }> {
    let title = 'Free-form query';
    let query: string;
    if ('kql' in input) {
      if (!(await this.responders.isResponder(acting.tenantId, acting.actor.id))) {
        await this.refuse(acting, 'free-form hunting query by a non-responder');
        throw new ForbiddenError('free-form KQL is for security responders; use a saved hunt.');
      }
      if (input.kql.trim() === '' || input.kql.length > KQL_MAX) {
        throw new InputError(`A query is 1 to ${KQL_MAX} characters.`);
      }
      query = input.kql;
    } else {
      title = `${HUNTING_PRESETS[input.preset].title} for ${input.account}`;
      query = presetQuery(input.preset, input.account);
    }

    const result = await this.defender.runHuntingQuery(query);
    await this.store.transaction(async (tx) => {
      if (!(await tx.claim(acting.key))) return;
      const outcome = `Hunt "${title}": ${result.rows.length} rows`;
      await record(tx, { ...acting, event: 'hunted', outcome }, this.now(), { timeline: true });
    });
    return { title, result };
  }

  /** Closes the loop in Defender when the incident here is resolved. Responders only. */
  async updateDefender(acting: Acting, patch: DefenderIncidentPatch): Promise<string> {
    if (!(await this.responders.isResponder(acting.tenantId, acting.actor.id))) {
      await this.refuse(acting, 'Defender incident update by a non-responder');
      throw new ForbiddenError('only security responders may update the Defender incident.');
    }
    const link = await this.store.getLink(acting.incidentId);
    if (!link) throw new InputError('No Defender incident is linked; use: security link <id>');
    if (!(await this.store.claim(acting.key))) return 'That update was already sent.';

    const outcome = await this.defender.updateIncident(link.defenderIncidentId, patch);
    const view = describeOutcome('update-incident', outcome);
    const text = `Defender incident ${link.defenderIncidentId} set to ${patch.status} (${patch.classification}, ${patch.determination}): ${view.detail}`;
    await this.store.transaction((tx) =>
      record(
        tx,
        { ...acting, event: 'defender-updated', outcome: text, graphRequestId: outcome.requestId },
        this.now(),
        { timeline: true },
      ),
    );
    return text;
  }

  audit(incidentId: string): Promise<AuditRecord[]> {
    return this.store.listAudit(incidentId, 30);
  }

  /** A failed read becomes a sentence on the card instead of failing the whole card. */
  private async read<T>(
    operation: GraphOperation,
    problems: string[],
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      const status = error.details.status;
      const ref = error.details.requestId ? ` (Graph request id ${error.details.requestId})` : '';
      problems.push(
        status === 401 || status === 403
          ? `Could not read: the app needs ${REQUIRED_PERMISSIONS[operation]}${ref}.`
          : `${error.message}${ref}`,
      );
      return undefined;
    }
  }

  private refuse(acting: Acting, outcome: string) {
    const input: AuditInput = { ...acting, event: 'refused', outcome };
    return this.store.transaction((tx) => record(tx, input, this.now(), { timeline: false }));
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** From the Graph status the DependencyError carries, never from its message. */
export function linkProblemOf(error: DependencyError): LinkProblem {
  const status = error.details.status;
  if (status === 401 || status === 403) return 'not-permitted';
  if (status === undefined || status === 429 || status >= 500) return 'unavailable';
  return 'refused';
}

function linkOutcome(
  id: string,
  defender: DefenderIncident | undefined,
  unread: LinkProblem | undefined,
  replaced: string | undefined,
): string {
  const instead = replaced ? ` in place of ${replaced}` : '';
  const what = defender
    ? `: ${defender.title}`
    : unread
      ? `, not checked: ${LINK_PROBLEMS[unread]}`
      : '';
  return `Linked Defender incident ${id}${instead}${what}`;
}
