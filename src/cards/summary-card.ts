import {
  allowedNextStatuses,
  formatIncidentNumber,
  isOpen,
  ROLES,
  type Incident,
  type Role,
  type Status,
} from '../incidents/incident';
import { escapeMarkdown } from './markdown';
import { renderCard, renderPart } from './render';
import { formatAge, ReaderClock } from './time-format';

const ROLE_LABELS: Record<Role, string> = {
  commander: 'Commander',
  comms: 'Communications',
  ops: 'Operations',
  security: 'Security',
};

const STATUS_LABELS: Record<Status, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

const STATUS_BUTTONS: Record<Status, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolve',
  closed: 'Close',
};

export interface SummaryView {
  now: Date;
  timeZone?: string | null;
  lastChangeBy?: string;
  /** Stakeholder feedback counts (`Still affected 2 · …`); none before the first answer. */
  feedback?: string;
}

/** The war room's control panel. Everyone sees the same card; times are in UTC unless known. */
export function renderSummaryCard(incident: Incident, view: SummaryView) {
  const clock = new ReaderClock(view.timeZone);
  const open = isOpen(incident);
  const changeable = incident.status !== 'closed';
  const reopenLabel = (status: Status) =>
    incident.status === 'resolved' && status !== 'closed' ? `Reopen: ${STATUS_LABELS[status]}` : '';

  const statusLabel = STATUS_LABELS[incident.status];
  const severity = `SEV${incident.severity}`;
  const acknowledged = incident.acknowledgedBy
    ? `${escapeMarkdown(incident.acknowledgedBy.name)}, ${clock.time(incident.acknowledgedAt ?? '')} (${clock.zone})`
    : 'Not yet';

  return renderCard('incident-summary', {
    incidentId: incident.id,
    version: incident.version,
    // The header changes with the status, severity and title only: rendered once per state.
    header: renderPart('summary-header', {
      headerStyle: incident.severity <= 2 && open ? 'attention' : 'emphasis',
      number: formatIncidentNumber(incident.number),
      severity,
      statusLabel,
      title: incident.title,
    }),
    // Whole facts rather than expressions or a $data loop in the template: each costs the
    // templating engine an evaluation on every button press (npm run bench).
    facts: [
      { title: 'Status', value: statusLabel },
      { title: 'Severity', value: severity },
      { title: 'Age', value: formatAge(incident.createdAt, view.now) },
      { title: 'Acknowledged', value: acknowledged },
      ...ROLES.map((role) => ({ title: ROLE_LABELS[role], value: holderText(incident, role) })),
    ],
    hasLatestUpdate: incident.latestUpdate !== null,
    latestUpdate: incident.latestUpdate ?? '',
    hasFeedback: Boolean(view.feedback),
    feedback: view.feedback ?? '',
    hasFallback: Boolean(incident.place?.fallbackReason),
    fallbackReason: incident.place?.fallbackReason ?? '',
    lastChangeBy: escapeMarkdown(view.lastChangeBy ?? incident.declaredBy.name),
    updatedAt: `${clock.time(incident.updatedAt)} (${clock.zone})`,
    open: changeable,
    changeable,
    statusActions: renderPart('summary-status-actions', {
      incidentId: incident.id,
      canAcknowledge: open && !incident.acknowledgedBy,
      nextStatuses: allowedNextStatuses(incident.status).map((status) => ({
        status,
        title: reopenLabel(status) || STATUS_BUTTONS[status],
      })),
    }),
    panelActions: renderPart('summary-panel-actions', {
      incidentId: incident.id,
      changeable,
      severityValue: String(incident.severity),
    }),
  });
}

function holderText(incident: Incident, role: Role): string {
  const person = incident.roles[role];
  if (!person) return 'Unassigned';
  const name = escapeMarkdown(person.name);
  return person.needsTeamMembership ? `${name} (must be added to the incident team)` : name;
}

export { STATUS_LABELS, ROLE_LABELS };
