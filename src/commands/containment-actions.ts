import { z } from 'zod';
import { renderContainmentRequest } from '../cards/security-cards';
import { InputError, NotFoundError } from '../errors';
import type { Incident } from '../incidents/incident';
import {
  CONTAINMENT_ACTIONS,
  isUndo,
  type AccountRef,
  type ContainmentAction,
} from '../security/containment';
import type { ContainmentService, RequestView, WhenSettled } from '../security/containment-service';
import type { SecurityService } from '../security/security-service';
import type { CommandDeps } from './deps';
import type { TurnInfo } from './turn';

/** Data of the containment buttons, all untrusted: only ids and choices are read from it. */
const RequestData = z.object({
  accountId: z.string().max(64).optional(),
  action: z.enum(CONTAINMENT_ACTIONS).optional(),
  scope: z.enum(['account', 'all']).default('account'),
  cardId: z.string().max(64).optional(),
  reason: z.string().max(500, 'A reason is at most 500 characters.').optional(),
  stepBlock: z.string().optional(),
  stepRevoke: z.string().optional(),
  stepConfirm: z.string().optional(),
});

const DecisionData = z.object({ requestId: z.string().min(1).max(64) });

export interface ContainmentDeps {
  containment: ContainmentService;
  security: SecurityService;
}

/** Block, revoke, confirm (which may need approval) and the undo steps, for one or all accounts. */
export async function requestFromCard(
  deps: CommandDeps & ContainmentDeps,
  turn: TurnInfo,
  incident: Incident,
  verb: 'containment.request' | 'containment.undo',
  raw: Record<string, unknown>,
  whenSettled?: WhenSettled,
): Promise<RequestView> {
  const data = parse(RequestData, raw);
  const base = {
    tenantId: turn.tenantId,
    incidentId: incident.id,
    actor: turn.actor,
    reason: data.reason ?? '',
    dedupeKey: data.cardId ? `card:${data.cardId}` : `activity:${turn.activityId}`,
  };

  if (data.scope === 'all') {
    if (verb !== 'containment.request') throw new InputError('Undo acts on one account at a time.');
    const steps: ContainmentAction[] = [];
    if (data.stepBlock === 'true') steps.push('block');
    if (data.stepRevoke === 'true') steps.push('revoke');
    if (data.stepConfirm === 'true') steps.push('confirm');
    if (steps.length === 0) throw new InputError('Choose at least one step to apply.');
    const accounts: AccountRef[] = (await deps.security.containable(incident.id)).map((a) => ({
      id: a.id,
      upn: a.upn,
      name: a.name,
    }));
    return deps.containment.request(
      { ...base, scope: 'all', actions: steps, accounts },
      whenSettled,
    );
  }

  if (!data.action || !data.accountId) throw new InputError('This button did not name an account.');
  // The verb and the action must agree: an undo button cannot smuggle in a block.
  if (isUndo(data.action) !== (verb === 'containment.undo')) {
    throw new InputError('This button is not one of the bot’s.');
  }
  return deps.containment.request(
    { ...base, scope: 'account', actions: [data.action], accountId: data.accountId },
    whenSettled,
  );
}

export async function decisionFromCard(
  deps: ContainmentDeps,
  turn: TurnInfo,
  incident: Incident,
  verb: 'containment.approve' | 'containment.reject' | 'containment.show' | 'containment.recheck',
  raw: Record<string, unknown>,
  whenSettled?: WhenSettled,
): Promise<RequestView> {
  const { requestId } = parse(DecisionData, raw);
  // A request of another incident (or tenant) named in card data is treated as missing.
  const current = await deps.containment.view(requestId, turn.tenantId);
  if (current.request.incidentId !== incident.id)
    throw new NotFoundError('That request does not exist.');

  switch (verb) {
    case 'containment.approve':
      return deps.containment.approve(requestId, turn.tenantId, turn.actor, whenSettled);
    case 'containment.reject':
      return deps.containment.reject(requestId, turn.tenantId, turn.actor, whenSettled);
    case 'containment.recheck':
      return deps.containment.recheck(requestId, turn.tenantId, turn.actor);
    case 'containment.show':
      return current;
  }
}

/** The answer card in the presser's time zone; `posted` also gets it, for everyone to see. */
export function requestCard(
  deps: CommandDeps,
  turn: TurnInfo,
  incident: Incident,
  view: RequestView,
  posted?: PostedRequestCard,
) {
  posted?.show(view);
  return renderContainmentRequest(incident, view, {
    now: deps.clock(),
    timeZone: turn.timeZone,
  });
}

/**
 * The posted message of the pressed card, updated so everyone sees how the request really went,
 * not only the presser. Updates go out one after another and none after the one that shows the
 * end, so a late "in progress" never covers "done". Failures are logged, never shown as done.
 */
export class PostedRequestCard {
  private last: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly deps: CommandDeps,
    private readonly turn: TurnInfo,
    private readonly incident: Incident,
  ) {}

  /** For steps that outlive the answer: the request as they left it. */
  readonly settled: WhenSettled = (view) => this.show(view, { ended: true });

  show(view: RequestView, { ended = false } = {}): Promise<void> {
    const pressed = this.turn.conversation.replyToId;
    if (!pressed || this.ended) return this.last;

    this.ended = ended;
    const card = renderContainmentRequest(this.incident, view, { now: this.deps.clock() });
    const target = {
      serviceUrl: this.turn.serviceUrl,
      conversationId: this.turn.conversation.id,
      activityId: pressed,
    };
    this.last = this.last
      .then(() => this.deps.sender.updateCard(target, card))
      .catch((error: unknown) =>
        this.deps.logger.warn(
          { err: error, incidentId: this.incident.id },
          'containment card update failed',
        ),
      );
    return this.last;
  }
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues[0]?.message ?? 'This button sent incomplete data.');
  }
  return parsed.data;
}
