import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { renderCard } from './render';

export interface DeclareFormValues {
  title?: string;
  description?: string;
  severity?: number;
  affectedServices?: string;
  /** Data from the button that opened the dialog, handed back on submit. */
  carried?: string;
  problem?: string;
}

export function renderDeclareForm(values: DeclareFormValues = {}) {
  return renderCard('declare-form', {
    title: values.title ?? '',
    description: values.description ?? '',
    severity: String(values.severity ?? 3),
    affectedServices: values.affectedServices ?? '',
    carried: values.carried ?? '',
    hasProblem: Boolean(values.problem),
    problem: values.problem ?? '',
  });
}

export function renderNoteForm(open: Incident[], note: string, problem?: string) {
  return renderCard('note-form', {
    incidents: open.map((incident) => ({
      title: Array.from(`${formatIncidentNumber(incident.number)} ${incident.title}`)
        .slice(0, 120)
        .join(''),
      value: String(incident.number),
    })),
    selected: open.length > 0 ? String(open[0].number) : '',
    note,
    hasProblem: Boolean(problem),
    problem: problem ?? '',
  });
}

/** A task module answer: open a dialog with this card. */
export function dialog(title: string, card: object) {
  return { task: { type: 'continue' as const, value: { title, card: adaptive(card) } } };
}

/** A task module answer: close the dialog and show one line. */
export function dialogMessage(text: string) {
  return { task: { type: 'message' as const, value: text } };
}

export function adaptive(card: object) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
