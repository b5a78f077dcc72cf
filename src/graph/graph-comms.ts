import type { Client } from '@microsoft/microsoft-graph-client';
import type { SendOutcome } from '../comms/delivery';
import type { AppInstaller, MailSender } from '../comms/ports';
import type { Logger } from '../logger';
import { graphErrorDetails, retryAfterOf } from './graph-errors';
import { RetryPolicy } from './graph-retry';

/** A 429 without Retry-After: come back after this long, as for Teams (delivery-sender.ts). */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * E-mail of stakeholder updates through Graph sendMail (application permission Mail.Send),
 * from the MAIL_SENDER mailbox. Each attempt is one request: GraphRetryHandler's own retries
 * (up to a minute of waits) are off for it, so the send cannot outlast the delivery's lease and
 * be sent again by another instance. A 429 comes back to the delivery worker with Graph's
 * Retry-After, which it waits without counting an attempt; other failures are outcomes too.
 */
export class GraphMailSender implements MailSender {
  constructor(
    private readonly graph: Client,
    private readonly sender: string,
    private readonly logger: Logger,
  ) {}

  async send(to: string, subject: string, html: string): Promise<SendOutcome> {
    try {
      const request = this.graph
        .api(`/users/${encodeURIComponent(this.sender)}/sendMail`)
        .middlewareOptions([new RetryPolicy({ maxRetries: 0 })]);
      await request.post({
        message: {
          subject,
          body: { contentType: 'HTML', content: html },
          toRecipients: [{ emailAddress: { address: to } }],
        },
        saveToSentItems: false,
      });
      return { kind: 'sent', activityId: '' };
    } catch (error) {
      return outcomeOfGraphError(error, this.logger, 'sendMail');
    }
  }
}

/**
 * Installs the Teams app for a user (TeamsAppInstallation.ReadWriteForUser.All), so the bot can
 * open a 1:1 chat with someone who never installed it. Already installed counts as done.
 */
export class GraphAppInstaller implements AppInstaller {
  constructor(
    private readonly graph: Client,
    private readonly catalogAppId: string,
    private readonly logger: Logger,
  ) {}

  async installForUser(userId: string): Promise<SendOutcome> {
    try {
      await this.graph.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).post({
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.catalogAppId}`,
      });
      return { kind: 'sent', activityId: '' };
    } catch (error) {
      if (graphErrorDetails(error).status === 409) return { kind: 'sent', activityId: '' };
      return outcomeOfGraphError(error, this.logger, 'installedApps');
    }
  }
}

function outcomeOfGraphError(error: unknown, logger: Logger, call: string): SendOutcome {
  const { status, code, requestId } = graphErrorDetails(error);
  logger.warn(
    { graphCall: call, status, code, graphRequestId: requestId },
    'graph call for comms failed',
  );
  if (status === 429) {
    return { kind: 'retry-after', ms: retryAfterOf(error) ?? DEFAULT_RETRY_AFTER_MS, status, code };
  }
  if (status === undefined || status === 412 || status >= 500) {
    return { kind: 'retryable', status, code };
  }
  return { kind: 'final', status, code };
}
