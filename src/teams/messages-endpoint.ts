import { createRequire } from 'node:module';
import {
  StatusCodes,
  type Activity,
  type CloudAdapter,
  type InvokeResponse,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import {
  AuthenticationError,
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
} from 'botframework-connector';
import type { Logger } from '../logger';

/**
 * jsonwebtoken as the SDK loads it, so `instanceof` holds for the errors it throws even if
 * another copy of jsonwebtoken is ever installed beside ours.
 */
const { JsonWebTokenError } = createRequire(require.resolve('botframework-connector'))(
  'jsonwebtoken',
) as typeof import('jsonwebtoken');

/**
 * CloudAdapter's protected members, which its own process() uses: protected in the typings so that
 * subclasses may use them, and the adapter is built elsewhere (createAdapter).
 */
interface AdapterInternals {
  botFrameworkAuthentication: BotFrameworkAuthentication;
  processActivity(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
}

/**
 * What CloudAdapter.process() does for a POST, with the authentication failure told apart by
 * type. process() answers 500 to anything but an AuthenticationError, and the SDK's token check
 * lets jsonwebtoken's own errors through (a signature by an unknown key, `alg: none`), so a
 * forged token got 500 instead of 401.
 */
export async function serveActivity(
  adapter: CloudAdapter,
  req: Request,
  res: Response,
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger,
): Promise<void> {
  const end = (status: number, body?: unknown) => {
    res.status(status);
    if (body) res.send(body);
    res.end();
  };

  if (req.method !== 'POST') return end(StatusCodes.METHOD_NOT_ALLOWED);
  const body = req.body;
  if (!body || typeof body !== 'object' || typeof body.type !== 'string' || !body.type) {
    return end(StatusCodes.BAD_REQUEST);
  }
  const activity = validateAndFixActivity(body as unknown as Activity);
  const header = req.headers.authorization ?? req.headers.Authorization;
  const internals = adapter as unknown as AdapterInternals;

  let auth: AuthenticateRequestResult;
  try {
    auth = await internals.botFrameworkAuthentication.authenticateRequest(
      activity,
      typeof header === 'string' ? header : '',
    );
  } catch (error) {
    const status = authFailureStatus(error);
    const fields = { status, reason: errorName(error), activityId: activity.id };
    // A refusal is logged by error type only, so no part of the token can reach the logs.
    if (status < 500) logger.warn(fields, 'inbound request refused: token not valid');
    else logger.error({ ...fields, err: error }, 'inbound request not authenticated: check failed');
    return end(status);
  }

  try {
    const invokeResponse = await internals.processActivity(auth, activity, logic);
    return end(invokeResponse?.status ?? StatusCodes.OK, invokeResponse?.body);
  } catch (error) {
    logger.error({ err: error, activityId: activity.id }, 'inbound activity failed');
    return end(StatusCodes.INTERNAL_SERVER_ERROR);
  }
}

/**
 * The SDK's own status for its AuthenticationError (401, or 500 when the signing keys could not
 * be fetched); 401 for a token jsonwebtoken rejected; 500 for anything else.
 */
function authFailureStatus(error: unknown): number {
  if (error instanceof AuthenticationError) {
    return typeof error.statusCode === 'number' ? error.statusCode : StatusCodes.UNAUTHORIZED;
  }
  if (error instanceof JsonWebTokenError) return StatusCodes.UNAUTHORIZED;
  return StatusCodes.INTERNAL_SERVER_ERROR;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}
