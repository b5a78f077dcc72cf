import { escapeMarkdown } from '../cards/markdown';
import type { CommsService, FollowResult, Unsubscribed } from '../comms/comms-service';
import type { DeliveryReport } from '../comms/delivery';
import type { DeliveryTransport, Subscriber } from '../comms/ports';
import { serviceKey } from '../comms/update';
import { InputError } from '../errors';
import { formatIncidentNumber } from '../incidents/incident';
import type { CardAnswer, CommandModule } from './command-module';
import type { CommandLine } from './command-parser';
import {
  openUpdateDialog,
  submitUpdateDialog,
  updateFromText,
  type UpdateDeps,
} from './comms-update';
import { incidentForCard, incidentForText } from './incident-change';
import type { Reply, TurnInfo } from './turn';

export interface CommsModuleDeps extends UpdateDeps {
  comms: CommsService;
  /** Opens the 1:1 chat of someone who pressed Follow outside it. */
  transport: Pick<DeliveryTransport, 'openPersonalChat'>;
  /** How long finished deliveries are kept (DELIVERY_RETENTION_DAYS), named when they are gone. */
  deliveryRetentionDays: number;
}

/** Stakeholder communications: update, subscribe, unsubscribe, comms, Follow, the update dialog. */
export function createCommsModule(deps: CommsModuleDeps): CommandModule {
  return {
    words: ['update', 'subscribe', 'unsubscribe', 'comms'],
    verbs: ['comms.follow'],
    dialogs: ['comms.update'],
    help: [
      {
        usage: 'update <text>',
        description: 'Post a stakeholder update (in the incident channel).',
      },
      { usage: 'subscribe [service]', description: 'Get stakeholder updates in this 1:1 chat.' },
      { usage: 'unsubscribe [service | INC-0042]', description: 'Stop them (all, or those).' },
      { usage: 'comms', description: 'Who got each update, who did not and why.' },
    ],

    onText(turn: TurnInfo, line: CommandLine): Promise<Reply> {
      switch (line.word) {
        case 'update':
          return updateFromText(deps, turn, line);
        case 'subscribe':
          return subscribe(deps, turn, line.args.join(' '));
        case 'unsubscribe':
          return line.incidentNumber === undefined
            ? unsubscribe(deps, turn, line.args.join(' '))
            : unfollow(deps, turn, line.incidentNumber);
        default:
          return report(deps, turn, line.incidentNumber);
      }
    },

    async onCardAction(
      turn: TurnInfo,
      _verb: string,
      data: Record<string, unknown>,
    ): Promise<CardAnswer> {
      return follow(deps, turn, data);
    },

    onDialogFetch: (turn, data) => openUpdateDialog(deps, turn, data),
    onDialogSubmit: (turn, data) => submitUpdateDialog(deps, turn, data),
  };
}

async function subscribe(deps: CommsModuleDeps, turn: TurnInfo, service: string): Promise<Reply> {
  if (turn.conversation.type !== 'personal') {
    throw new InputError(
      'Send “subscribe” to me in a 1:1 chat, or press Follow on a stakeholder update.',
    );
  }
  const added = await deps.comms.subscribe({
    ...subscriberOf(turn, turn.conversation.id),
    service,
  });
  const scope = scopeText(service);
  return {
    text: added
      ? `You will get stakeholder updates ${scope} here. “unsubscribe” stops them.`
      : `You already get stakeholder updates ${scope} here. “unsubscribe” stops them.`,
  };
}

async function unsubscribe(deps: CommsModuleDeps, turn: TurnInfo, service: string): Promise<Reply> {
  const removed = await deps.comms.unsubscribe(
    turn.tenantId,
    turn.actor.id,
    service === '' ? {} : { service },
  );
  if (removed.services.length + removed.incidents.length === 0) {
    return {
      text:
        service === ''
          ? 'You had no stakeholder updates to stop.'
          : `You were not subscribed ${scopeText(service)}.`,
    };
  }
  // A bare "unsubscribe" removes every subscription: name those, not "all incidents".
  const what = service === '' ? removedText(removed) : scopeText(service);
  return { text: `You will no longer get stakeholder updates ${what}.` };
}

/** `unsubscribe INC-0042`: stops following that incident (what Follow on its post started). */
async function unfollow(deps: CommsModuleDeps, turn: TurnInfo, incidentNumber: number) {
  const incident = await incidentForText(deps.core, turn, incidentNumber);
  const removed = await deps.comms.unsubscribe(turn.tenantId, turn.actor.id, {
    incidentId: incident.id,
  });

  const number = formatIncidentNumber(incident.number);
  return {
    text:
      removed.incidents.length > 0
        ? `You no longer follow ${number}.`
        : `You were not following ${number} on its own; a bare “unsubscribe” stops all updates.`,
  };
}

/** "for all incidents and for exchange, teams and for INC-0007": stored keys, so lower case. */
function removedText({ services: keys, incidents }: Unsubscribed): string {
  const services = keys.filter((key) => key !== '*').map(escapeMarkdown);
  const parts = [
    ...(keys.includes('*') ? ['for all incidents'] : []),
    ...(services.length > 0 ? [`for ${services.join(', ')}`] : []),
    ...(incidents.length > 0 ? [`for ${incidents.map(formatIncidentNumber).join(', ')}`] : []),
  ];
  return parts.join(' and ');
}

/**
 * "Follow" on a stakeholder post, to the presser's 1:1 chat: the incident's services, or that
 * incident alone when it names none. Pressed again, it says so and adds nothing.
 */
async function follow(
  deps: CommsModuleDeps,
  turn: TurnInfo,
  data: Record<string, unknown>,
): Promise<CardAnswer> {
  const incidentId = typeof data.incidentId === 'string' ? data.incidentId : '';
  if (!incidentId) throw new InputError('This button sent incomplete data.');
  const incident = await incidentForCard(deps.core, turn, incidentId);

  let conversationId = turn.conversation.type === 'personal' ? turn.conversation.id : undefined;
  if (!conversationId) {
    const target = {
      serviceUrl: turn.serviceUrl,
      tenantId: turn.tenantId,
      userId: turn.actor.id,
      teamsId: turn.actor.teamsId,
    };
    const opened = await deps.transport.openPersonalChat(target);
    // Not installed for them yet: the worker tries again (installing when allowed) on send.
    if (opened.kind === 'sent') conversationId = opened.conversationId;
  }

  const followed = await deps.comms.follow(subscriberOf(turn, conversationId), incident);
  return { message: followText(followed, formatIncidentNumber(incident.number)) };
}

function followText(followed: FollowResult, number: string): string {
  const where = 'they come to your chat with me';
  switch (followed.kind) {
    case 'all':
      return `You already get updates for all incidents, ${number} among them; ${where}.`;
    case 'incident':
      return followed.added
        ? `You now follow ${number}; its updates come to your chat with me. “unsubscribe ${number}” stops them.`
        : `You already follow ${number}; its updates come to your chat with me.`;
    case 'services': {
      const services = followed.services.join(', ');
      return followed.added
        ? `You now follow updates for ${services}; ${where}.`
        : `You already follow updates for ${services}; ${where}.`;
    }
  }
}

function subscriberOf(turn: TurnInfo, conversationId: string | undefined): Subscriber {
  return {
    tenantId: turn.tenantId,
    userId: turn.actor.id,
    userName: turn.actor.name,
    teamsId: turn.actor.teamsId,
    serviceUrl: turn.serviceUrl,
    conversationId,
  };
}

async function report(
  deps: CommsModuleDeps,
  turn: TurnInfo,
  incidentNumber?: number,
): Promise<Reply> {
  const incident = await incidentForText(deps.core, turn, incidentNumber);
  const reports = await deps.comms.report(incident.id);
  const number = formatIncidentNumber(incident.number);
  if (reports.length === 0)
    return { text: `${number} has no stakeholder updates yet. Post one with “update <text>”.` };
  return {
    text: [
      `**Stakeholder updates of ${number}**`,
      ...reports.map((line) => reportLines(line, deps.deliveryRetentionDays)),
    ].join('\n\n'),
  };
}

function reportLines(report: DeliveryReport, retentionDays: number): string {
  const by = `Update ${report.number} by ${escapeMarkdown(report.postedBy)}`;
  // The pruner removes all rows of an update or none, so counts are never partly gone.
  if (report.sent + report.pending + report.failed.length === 0) {
    const days = retentionDays === 1 ? '1 day' : `${retentionDays} days`;
    return `${by}: no delivery records (none were queued, or they finished over ${days} ago and were removed)`;
  }
  const head = `${by}: ${report.sent} sent, ${report.pending} pending, ${report.failed.length} failed`;
  const failures = report.failed.map(
    (failure) => `- ${escapeMarkdown(failure.recipientName)}: ${escapeMarkdown(failure.reason)}`,
  );
  return [head, ...failures].join('\n');
}

function scopeText(service: string): string {
  const key = serviceKey(service);
  return key === '*' ? 'for all incidents' : `for ${escapeMarkdown(service.trim())}`;
}
