import assert from 'node:assert/strict';
import { SANDBOX_TENANT_ID } from '../../src/sandbox/seed-tenant';
import { LOCAL_BOT_NAME } from '../../scripts/playground/local-world';
import {
  clickCardButton,
  openChannel,
  openChat,
  sendMessage,
  waitForCard,
} from './playground-driver';
import { E2eWorld } from './world';

describe('an incident in the Agents Playground', () => {
  let e2e: E2eWorld;

  before(async () => {
    e2e = await E2eWorld.start();
  });

  after(async () => {
    await e2e?.stop();
  });

  it('declares an incident by @mentioning the bot in a team channel and shows the summary card', async () => {
    await openChannel(e2e.page, 'Incident Response', 'Incidents');
    await sendMessage(e2e.page, 'declare Exchange Online mail delays sev2', {
      mention: LOCAL_BOT_NAME,
    });

    const card = await waitForCard(e2e.page, 'INC-0001 · SEV2 · Investigating');
    await e2e.shot('01-declare-summary-card.png');
    assert.match(await card.innerText(), /Exchange Online mail delays/);
    assert.equal(
      (await e2e.world.app.store.listIncidents(SANDBOX_TENANT_ID, { openOnly: true, limit: 5 }))
        .length,
      1,
    );
  });

  it('changes the card in place when a status button is pressed', async () => {
    const card = await waitForCard(e2e.page, 'INC-0001 · SEV2 · Investigating');

    await clickCardButton(card, 'Identified');

    const changed = await waitForCard(e2e.page, 'INC-0001 · SEV2 · Identified');
    await e2e.shot('02-status-button-pressed.png');
    assert.match(await changed.innerText(), /Last change by Avery Example/);
    const [incident] = await e2e.world.app.store.listIncidents(SANDBOX_TENANT_ID, {
      openOnly: true,
      limit: 1,
    });
    assert.equal(incident.status, 'identified');
  });

  it('declares an incident in the personal chat and shows its summary card there', async () => {
    await openChat(e2e.page, 'Personal Chat');
    await sendMessage(e2e.page, 'declare VPN drops for remote staff sev3');

    const card = await waitForCard(e2e.page, 'INC-0002 · SEV3 · Investigating');
    await e2e.shot('08-declare-in-personal-chat.png');
    assert.match(await card.innerText(), /VPN drops for remote staff/);
    const [incident] = await e2e.world.app.store.listIncidents(SANDBOX_TENANT_ID, {
      openOnly: true,
      limit: 1,
    });
    assert.equal(incident.place?.mode, 'chat');
  });
});
