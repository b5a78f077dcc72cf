import assert from 'node:assert/strict';
import { renderTimelineCard } from '../../src/cards/timeline-card';
import type { TimelineEntry } from '../../src/incidents/incident';
import { cardText } from '../support/bot-harness';
import { bob, makeIncident } from '../store/helpers';

function acknowledgement(text: string): TimelineEntry {
  return {
    id: 'entry-1',
    incidentId: 'incident-1',
    at: '2025-01-02T03:05:00.000Z',
    actor: bob,
    kind: 'acknowledged',
    text,
  };
}

function shown(entry: TimelineEntry): string {
  const card = renderTimelineCard(makeIncident(), {
    entries: [entry],
    total: 1,
    page: 1,
    pages: 1,
  });
  return cardText(card);
}

describe('renderTimelineCard()', () => {
  it('shows an acknowledgement beside who acknowledged, naming them once', () => {
    const text = shown(acknowledgement('Acknowledged'));

    assert.match(text, /Bob Brown: \nAcknowledged/);
    assert.doesNotMatch(text, /Acknowledged by/);
  });

  it('shows an acknowledgement stored before the change the same way', () => {
    const text = shown(acknowledgement('Acknowledged by Bob Brown'));

    assert.match(text, /Bob Brown: \nAcknowledged/);
    assert.doesNotMatch(text, /Acknowledged by/);
  });

  it('keeps an acknowledgement text that names someone else as it was written', () => {
    const text = shown(acknowledgement('Acknowledged by Alice Adams'));

    assert.match(text, /Bob Brown: \nAcknowledged by Alice Adams/);
  });
});
