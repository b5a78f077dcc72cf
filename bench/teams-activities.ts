import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The tenant of the recorded fixtures the bench's activities are built from. */
export const BENCH_TENANT = 'ac44f4ea-9c40-4d8d-bf7a-79ff28040c7f';

/** An incident declared for the bench: what a press on its summary card refers to. */
export interface SeededIncident {
  id: string;
  tenantId: string;
  /** The war-room thread holding the summary card (`19:…;messageid=…`). */
  conversationId: string;
  channelId: string;
  summaryActivityId: string;
}

/** Every press moves the incident on, so each one is a real, stored change. */
export const STATUS_CYCLE = ['identified', 'monitoring', 'investigating'] as const;

type Activity = Record<string, any>;

function fixture(name: string): Activity {
  const file = join(__dirname, '..', 'test', 'fixtures', 'teams', name);
  return JSON.parse(readFileSync(file, 'utf8')) as Activity;
}

let declareCounter = 0;

/** A channel post that @mentions the bot (recorded fixture T01 with another text). */
export function declareCommand(text: string, serviceUrl: string): Activity {
  const base = fixture('01-channel-mention-no-space-mention-name-differs.json');
  declareCounter += 1;
  return {
    ...base,
    id: `bench-declare-${process.pid}-${declareCounter}`,
    serviceUrl,
    text: `<at>Incident Commander</at> ${text}`,
    attachments: [],
  };
}

const ID_SLOT = '@@ACTIVITY_ID@@';
const STATUS_SLOT = '@@STATUS@@';

/**
 * Builds press bodies fast enough not to slow the load generator: one JSON template per incident,
 * made from recorded fixture T27 (an Action.Execute invoke) as if the presser clicked a status
 * button on that incident's summary card in its war-room thread.
 */
export class PressBodies {
  private readonly templates: string[];
  private counter = 0;

  constructor(
    incidents: SeededIncident[],
    serviceUrl: string,
    private readonly runTag: string,
  ) {
    if (incidents.length === 0) throw new Error('no incidents to press buttons on');
    const base = fixture('27-adaptivecard-action-execute-manual.json');
    this.templates = incidents.map((incident) =>
      JSON.stringify({
        ...base,
        id: ID_SLOT,
        serviceUrl,
        conversation: {
          ...base.conversation,
          tenantId: incident.tenantId,
          id: incident.conversationId,
        },
        // Teams clients report their time zone; the answer card is rendered in it.
        entities: [{ ...base.entities[0], timezone: 'America/Los_Angeles' }],
        channelData: {
          ...base.channelData,
          channel: { id: incident.channelId },
          tenant: { id: incident.tenantId },
        },
        value: {
          action: {
            type: 'Action.Execute',
            id: 'statusBtn',
            verb: 'incident.status',
            data: { incidentId: incident.id, status: STATUS_SLOT },
          },
          trigger: 'manual',
        },
        replyToId: incident.summaryActivityId,
      }),
    );
  }

  /**
   * The n-th press of the run. Presses go round the incidents, and each incident's presses go
   * round STATUS_CYCLE, so with at least as many incidents as connections no two presses in
   * flight hit one incident and every press changes its status. The activity id is unique in
   * the run, or the bot's idempotency check would answer all but the first as a repeat.
   */
  next(): string {
    const n = this.counter++;
    const template = this.templates[n % this.templates.length];
    const round = Math.floor(n / this.templates.length);
    const status = STATUS_CYCLE[round % STATUS_CYCLE.length];
    return template.replace(ID_SLOT, `f:bench-${this.runTag}-${n}`).replace(STATUS_SLOT, status);
  }

  get issued(): number {
    return this.counter;
  }
}
