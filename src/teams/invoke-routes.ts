import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { CommandRouter } from '../commands/router';
import type { TurnInfo } from '../commands/turn';
import type { Logger } from '../logger';
import { userMessageFor } from './error-answers';
import { htmlToText } from './message-text';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

interface MessagePayload {
  body?: { contentType?: string; content?: string };
  from?: { user?: { displayName?: string } | null; application?: { displayName?: string } | null };
  linkToMessage?: string;
}

/**
 * Answers every invoke with HTTP 200 and the outcome in the body, as Teams expects. Unknown
 * invoke names get an empty 200: a 500 would show "Unable to reach app" to the user.
 */
export async function handleInvoke(
  context: TurnContext,
  turn: TurnInfo,
  router: CommandRouter,
  logger: Logger,
): Promise<InvokeResponse> {
  const activity = context.activity;
  const value = (activity.value ?? {}) as Record<string, any>;
  const fields = { activityId: activity.id, tenantId: turn.tenantId, invokeName: activity.name };

  switch (activity.name) {
    case 'adaptiveCard/action': {
      const action = value.action ?? {};
      try {
        if (action.type !== 'Action.Execute' || typeof action.verb !== 'string') {
          return ok({ statusCode: 200, type: MESSAGE, value: 'This button is not supported.' });
        }
        const answer = await router.onCardAction(turn, action.verb, action.data ?? {});
        if ('card' in answer) return ok({ statusCode: 200, type: CARD, value: answer.card });
        return ok({ statusCode: 200, type: MESSAGE, value: answer.message });
      } catch (error) {
        const text = userMessageFor(error, logger, { ...fields, command: action.verb });
        return ok({ statusCode: 200, type: MESSAGE, value: text });
      }
    }
    case 'task/fetch':
      return taskAnswer(() => router.onDialogFetch(turn, objectOf(value.data)), logger, fields);
    case 'task/submit':
      return taskAnswer(() => router.onDialogSubmit(turn, objectOf(value.data)), logger, fields);
    case 'composeExtension/fetchTask': {
      const payload = (value.messagePayload ?? {}) as MessagePayload;
      const source = {
        text: messageText(payload),
        author: payload.from?.user?.displayName ?? payload.from?.application?.displayName,
        link: payload.linkToMessage,
      };
      const commandId = String(value.commandId ?? '');
      return taskAnswer(() => router.onMessageActionFetch(turn, commandId, source), logger, fields);
    }
    case 'composeExtension/submitAction': {
      const commandId = String(value.commandId ?? '');
      return taskAnswer(
        () => router.onMessageActionSubmit(turn, commandId, value.data ?? {}),
        logger,
        fields,
      );
    }
    default:
      logger.info(fields, 'invoke not handled');
      return { status: 200 };
  }
}

async function taskAnswer(
  work: () => Promise<object>,
  logger: Logger,
  fields: object,
): Promise<InvokeResponse> {
  try {
    return ok(await work());
  } catch (error) {
    return ok({ task: { type: 'message', value: userMessageFor(error, logger, fields) } });
  }
}

function ok(body: object): InvokeResponse {
  return { status: 200, body };
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function messageText(payload: MessagePayload): string {
  const content = payload.body?.content ?? '';
  return payload.body?.contentType?.toLowerCase() === 'html' ? htmlToText(content) : content.trim();
}
