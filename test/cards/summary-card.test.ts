import assert from 'node:assert/strict';
import { renderSummaryCard } from '../../src/cards/summary-card';
import { makeIncident } from '../store/helpers';

const NOW = new Date('2025-01-02T05:00:00Z');

/** The value of the fact titled `title` in the card's FactSet. */
function fact(card: Record<string, unknown>, title: string): string | undefined {
  const body = card.body as Array<{
    type: string;
    facts?: Array<{ title: string; value: string }>;
  }>;
  const facts = body.find((element) => element.type === 'FactSet')?.facts ?? [];
  return facts.find((item) => item.title === title)?.value;
}

describe('renderSummaryCard()', () => {
  it('names the time zone of the acknowledged time, in the reader zone or UTC', () => {
    const incident = makeIncident({ acknowledgedAt: '2025-01-02T03:05:00.000Z' });

    const berlin = renderSummaryCard(incident, { now: NOW, timeZone: 'Europe/Berlin' });
    const unknown = renderSummaryCard(incident, { now: NOW });

    assert.equal(fact(berlin, 'Acknowledged'), 'Bob Brown, 02 Jan 2025, 04:05 (Europe/Berlin)');
    assert.equal(fact(unknown, 'Acknowledged'), 'Bob Brown, 02 Jan 2025, 03:05 (UTC)');
  });
});
