import {
  BotHarness,
  cardPress,
  channelCommand,
  FIXTURE_TENANTS,
  loadTeamsFixture,
  type HarnessOptions,
} from '../support/bot-harness';

export const TENANT = FIXTURE_TENANTS[0];
export const OTHER_TENANT = FIXTURE_TENANTS[1];

/** The declarer of every test incident (fixture T01): a responder whose name must stay private. */
export const RESPONDER_NAME = 'Avery Example';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public now = new Date('2026-03-02T09:00:00.000Z')) {}

  readonly read = () => new Date(this.now);

  advanceMinutes(minutes: number): void {
    this.now = new Date(this.now.getTime() + minutes * 60_000);
  }
}

export function startBot(options: HarnessOptions = {}): Promise<BotHarness> {
  return BotHarness.start(options);
}

/** The activity as sent from `tenantId`: Teams names the tenant in two places. */
export function fromTenant(activity: Record<string, any>, tenantId: string): Record<string, any> {
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId },
    channelData: { ...activity.channelData, tenant: { id: tenantId } },
  };
}

/** Declares an incident by @mention (thread mode) and returns it. */
export async function declare(bot: BotHarness, title: string, severity = 2, tenantId = TENANT) {
  await bot.send(fromTenant(channelCommand(`declare ${title} sev${severity}`), tenantId));
  const [incident] = await bot.app.store.listIncidents(tenantId, { openOnly: false, limit: 1 });
  return incident;
}

export interface UpdateFields {
  summary: string;
  affected?: string;
  workaround?: string;
  internalNote?: string;
  status?: string;
}

/** Posts a stakeholder update through the comms dialog, as the Post update form does. */
export async function postUpdate(
  bot: BotHarness,
  incidentId: string,
  fields: UpdateFields,
  tenantId = TENANT,
) {
  const activity = fromTenant(loadTeamsFixture('08-task-submit.json'), tenantId);
  const response = await bot.send({
    ...activity,
    id: `submit-${Math.random()}`,
    value: { ...activity.value, data: { dialog: 'comms.update', incidentId, ...fields } },
  });
  const row = await bot.app.store.database
    .selectFrom('comms_updates')
    .select(['id', 'number'])
    .where('incident_id', '=', incidentId)
    .orderBy('number', 'desc')
    .executeTakeFirstOrThrow();
  return { updateId: row.id, response };
}

export interface Voter {
  id: string;
  name: string;
}

export const VOTERS: Record<'kim' | 'lee', Voter> = {
  kim: { id: '00000000-0000-4000-8000-00000000a001', name: 'Kim Stakeholder' },
  lee: { id: '00000000-0000-4000-8000-00000000a002', name: 'Lee Stakeholder' },
};

/** A feedback button press by `voter`, optionally from another tenant. */
export function vote(
  updateId: string,
  choice: string,
  voter: Voter,
  options: { comment?: string; tenantId?: string } = {},
) {
  const tenantId = options.tenantId ?? TENANT;
  const data: Record<string, unknown> = { updateId, choice };
  if (options.comment !== undefined) data.comment = options.comment;
  const press = cardPress('feedback.vote', data, {
    from: { id: `29:${voter.id}`, name: voter.name, aadObjectId: voter.id },
  });
  return fromTenant(press, tenantId);
}
