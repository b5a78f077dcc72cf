/**
 * Child process: the test FakeConnector standing in for Teams at the activities' serviceUrl, so
 * the bot's background summary-card updates (one PUT per press) have somewhere to go.
 */
import { FakeConnector } from '../test/support/fake-connector';
import { failChild, onParentStop } from './children';

async function main() {
  const connector = await new FakeConnector().start();
  const counts: Record<string, number> = {};

  // The fake records every call with its body; count and forget them so memory stays flat.
  const drain = () => {
    for (const call of connector.calls) {
      const key = `${call.method} ${call.path === '/v3/conversations' ? 'conversation' : 'activity'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    connector.calls.length = 0;
  };
  const timer = setInterval(drain, 200);

  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stats') {
      drain();
      process.send?.({ type: 'stats', counts: { ...counts } });
    }
  });
  // Nothing to flush: exit without waiting for the bot's keep-alive sockets to close.
  onParentStop(async () => clearInterval(timer));
  process.send?.({ type: 'ready', url: connector.url });
}

main().catch(failChild);
