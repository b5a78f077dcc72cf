import { z } from 'zod';
import { renderEvidenceCard } from '../cards/evidence-cards';
import { InputError } from '../errors';
import type { IncomingFile } from '../evidence/evidence';
import type { EvidenceService, Received } from '../evidence/evidence-service';
import type { Incident } from '../incidents/incident';
import type { CardAnswer, CommandModule } from './command-module';
import type { CommandLine } from './command-parser';
import type { CommandDeps } from './deps';
import { incidentForText } from './incident-change';
import type { Reply, TurnInfo } from './turn';

const INCIDENT_IN_TEXT = /\bINC-?(\d{1,9})\b/i;
const CHOOSE = 'Choose the incident.';

/** What "Add to timeline" sends: the files the card offered and the incident chosen, untrusted. */
const AttachDataSchema = z.object({
  fileIds: z
    .string({ error: 'This button did not name the files.' })
    .transform((ids) => ids.split(',').filter(Boolean))
    .pipe(z.array(z.uuid('This button named a file I do not know.')).min(1).max(5)),
  incidentNumber: z.coerce.number({ error: CHOOSE }).int(CHOOSE).positive(CHOOSE),
});

/**
 * Files sent to the bot in a 1:1 chat (Teams hands bots files only there): kept as evidence with
 * their SHA-256 and added to an incident's timeline, at once when the message names the incident
 * (`INC-0042`), else after the sender chooses one on the answer card.
 */
export class EvidenceModule implements CommandModule {
  readonly words = [] as const;
  readonly verbs = ['evidence.attach'] as const;
  readonly help = [
    {
      usage: 'send a file (1:1 chat)',
      description:
        'Keeps it as evidence with its SHA-256 and adds it to the incident you choose (or name: INC-0042).',
    },
  ];

  constructor(
    private readonly deps: CommandDeps,
    private readonly evidence: EvidenceService,
  ) {}

  onText(_turn: TurnInfo, _line: CommandLine): Promise<Reply> {
    return Promise.resolve(null);
  }

  async onFiles(turn: TurnInfo, files: IncomingFile[], text: string): Promise<Reply> {
    const named = INCIDENT_IN_TEXT.exec(text);
    const target = named ? await incidentForText(this.deps, turn, Number(named[1])) : undefined;
    if (target?.status === 'closed') {
      throw new InputError('That incident is closed; send the file without it to choose another.');
    }
    const choices = target ? [] : await this.deps.incidents.list(turn.tenantId);
    if (!target && choices.length === 0) {
      return {
        text: 'No incident is open to add this file to. Declare one, then send the file again.',
      };
    }

    const received = await this.evidence.receive(
      { tenantId: turn.tenantId, actor: turn.actor, activityId: turn.activityId },
      files,
    );
    const kept = received.flatMap((result) => (result.ok ? [result.file] : []));
    if (target) {
      for (const file of kept) await this.attach(turn, file.id, target);
    }
    return {
      card: await this.cardFor(
        turn,
        received,
        kept.map((file) => file.id),
        choices,
      ),
    };
  }

  async onCardAction(
    turn: TurnInfo,
    _verb: string,
    data: Record<string, unknown>,
  ): Promise<CardAnswer> {
    const parsed = AttachDataSchema.safeParse(data);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues[0]?.message ?? 'This button sent incomplete data.');
    }

    const incident = await incidentForText(this.deps, turn, parsed.data.incidentNumber);
    for (const id of parsed.data.fileIds) await this.attach(turn, id, incident);
    return { card: await this.cardFor(turn, [], parsed.data.fileIds, []) };
  }

  private async attach(turn: TurnInfo, fileId: string, incident: Incident) {
    const { attached } = await this.evidence.attach(turn.tenantId, turn.actor, fileId, incident);
    if (attached) {
      this.deps.logger.info(
        { activityId: turn.activityId, tenantId: turn.tenantId, incidentId: incident.id },
        'evidence added to timeline',
      );
    }
  }

  private async cardFor(turn: TurnInfo, received: Received[], ids: string[], choices: Incident[]) {
    const files = await this.evidence.files(turn.tenantId, ids);
    const incidentsById = new Map<string, Incident>();
    for (const file of files) {
      if (file.incidentId && !incidentsById.has(file.incidentId)) {
        incidentsById.set(file.incidentId, await this.deps.incidents.get(file.incidentId));
      }
    }
    return renderEvidenceCard({
      files,
      refused: received.flatMap((result) => (result.ok ? [] : [result])),
      choices,
      incidentsById,
      timeZone: turn.timeZone,
    });
  }
}
