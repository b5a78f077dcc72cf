import { renderEvidenceCard } from '../../src/cards/evidence-cards';
import type { EvidenceFile } from '../../src/evidence/evidence';
import type { Incident } from '../../src/incidents/incident';

interface Hostile {
  makeIncident: (overrides?: Partial<Incident>) => Incident;
  /** Template syntax and markdown: file names are typed by users. */
  lookalikes: string[];
  markdown: string[];
}

/** Cases for the evidence card: five files with hostile 255-character names, twenty incidents. */
export function evidenceCardCases({ makeIncident, lookalikes, markdown }: Hostile) {
  const hostile = `${markdown.join(' ')} ${lookalikes.join(' ')} <b>x</b> 🔥`;
  const name = (i: number) =>
    Array.from(`${i} ${hostile} `.repeat(20)).slice(0, 251).join('') + '.log';
  const incidents = Array.from({ length: 20 }, (_, i) =>
    makeIncident({ number: 9000 + i, title: `${hostile} `.repeat(8).slice(0, 200) }),
  );
  const file = (i: number, incidentId: string | null = null): EvidenceFile => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    tenantId: 'tenant',
    sourceKey: `activity:a:${i}`,
    name: name(i),
    fileType: 'log',
    size: 10 * 1024 * 1024,
    sha256: 'f'.repeat(64),
    uploadedBy: { id: 'u', name: hostile },
    receivedAt: '2026-03-10T14:30:00Z',
    incidentId,
    attachedAt: incidentId ? '2026-03-10T14:31:00Z' : null,
  });

  return {
    'evidence-received': [
      {
        name: 'five files waiting for a choice among twenty incidents, one refused',
        render: () =>
          renderEvidenceCard({
            files: [1, 2, 3, 4, 5].map((i) => file(i)),
            refused: [{ name: name(6), why: 'It is larger than 10 MB.' }],
            choices: incidents,
            incidentsById: new Map(),
            timeZone: 'Europe/Berlin',
          }),
      },
      {
        name: 'files already on an incident’s timeline, in UTC',
        render: () =>
          renderEvidenceCard({
            files: [file(1, incidents[0].id)],
            refused: [],
            choices: [],
            incidentsById: new Map([[incidents[0].id, incidents[0]]]),
          }),
      },
    ],
  };
}
