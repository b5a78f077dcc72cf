import assert from 'node:assert/strict';
import { IncidentService } from '../../src/incidents/incident-service';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';

describe('a note on an incident', () => {
  const actor = { id: 'aad-avery', name: 'Avery Example' };
  let store: SqlIncidentStore;
  let incidents: IncidentService;

  beforeEach(async () => {
    store = await SqlIncidentStore.open('sqlite::memory:');
    incidents = new IncidentService(store);
  });

  afterEach(async () => {
    await store.close();
  });

  it('goes on the timeline and leaves the last stakeholder update on the card', async () => {
    const declared = await incidents.declare({ tenantId: 't1', title: 'Mail delays' }, actor, 'd1');
    const id = declared?.id ?? '';
    await store.transaction(async (tx) => {
      const current = await tx.getIncident(id);
      assert.ok(current);
      const next = { ...current, latestUpdate: 'Mail is delayed for EU users', version: 2 };
      return tx.updateIncident(next, current);
    });

    const { incident } = await incidents.addNote(id, 'Rolled back the connector', actor, 'n1');
    const entries = await store.listTimeline(id, { offset: 0, limit: 5 });
    assert.equal(incident.latestUpdate, 'Mail is delayed for EU users');
    assert.equal(entries[0].text, 'Rolled back the connector');
  });
});
