import { InputError } from '../errors';
import { formatIncidentNumber, type Incident, type Person, type Role } from '../incidents/incident';
import type { CommandDeps } from './deps';
import { incidentForCard, incidentForText, summaryFor } from './incident-change';
import { syncSummaryCard } from './summary-sync';
import type { Reply, TurnInfo } from './turn';

const ROLE_NAMES: Record<Role, string> = {
  commander: 'incident commander',
  comms: 'communications lead',
  ops: 'operations lead',
  security: 'security lead',
};

/** `assign commander @person`: the first person mentioned, however Teams split their name. */
export async function assignFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number | undefined,
  role: Role,
): Promise<Reply> {
  const mention = turn.mentions[0];
  if (!mention) throw new InputError(`Mention the person to assign. Use: assign ${role} @person`);
  if (new Set(turn.mentions.map((person) => person.teamsId)).size > 1) {
    throw new InputError('Mention one person per role.');
  }

  const incident = await incidentForText(deps, turn, incidentNumber);
  const person = await turn.resolvePerson(mention);
  const result = await assign(deps, turn, incident, role, person);
  const number = formatIncidentNumber(incident.number);
  return {
    text: result.changed
      ? `${person.name} is now the ${ROLE_NAMES[role]} of ${number}.`
      : `${person.name} already is the ${ROLE_NAMES[role]} of ${number}.`,
  };
}

/** The people picker on the summary card sends an Entra object id. */
export async function assignFromCard(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentId: string,
  role: Role,
  userId: string,
) {
  const incident = await incidentForCard(deps, turn, incidentId);
  const user = await deps.directory.getUser(userId);
  if (!user) throw new InputError('That person was not found in the directory.');

  const result = await assign(deps, turn, incident, role, { id: user.id, name: user.displayName });
  return summaryFor(deps, turn, result.incident);
}

async function assign(
  deps: CommandDeps,
  turn: TurnInfo,
  incident: Incident,
  role: Role,
  person: Person,
) {
  const needsTeamMembership = await ensureTeamMember(deps, incident, person);
  const holder: Person = needsTeamMembership ? { ...person, needsTeamMembership } : person;
  const result = await deps.incidents.assignRole(
    incident.id,
    role,
    holder,
    turn.actor,
    `activity:${turn.activityId}`,
  );
  if (!result.changed) return result;

  syncSummaryCard(deps, result.incident, turn);
  announce(deps, result.incident, role, holder);
  return result;
}

/** Adds the person to the incident team when the war room is a channel there. */
async function ensureTeamMember(deps: CommandDeps, incident: Incident, person: Person) {
  if (incident.place?.mode !== 'channel' || !deps.incidentTeamId) return false;
  if (person.id.includes(':')) return true; // no Entra object id: Graph cannot add them

  try {
    const outcome = await deps.directory.addTeamMember(deps.incidentTeamId, person.id);
    return outcome === 'forbidden';
  } catch (error) {
    deps.logger.warn({ err: error, incidentId: incident.id }, 'adding a team member failed');
    return true;
  }
}

/** @mentions the new role holder in the war room so Teams notifies them. */
function announce(deps: CommandDeps, incident: Incident, role: Role, person: Person) {
  const place = incident.place;
  if (!place) return;

  const mentionId = person.teamsId ?? person.id;
  const missing = person.needsTeamMembership
    ? ' They are not in the incident team yet: a team owner must add them.'
    : '';
  deps.sender
    .send(
      { serviceUrl: place.serviceUrl, conversationId: place.conversationId },
      {
        text: `<at>${person.name}</at> is now the ${ROLE_NAMES[role]} of ${formatIncidentNumber(incident.number)}.${missing}`,
        mentions: [{ id: mentionId, name: person.name }],
      },
    )
    .catch((error: unknown) =>
      deps.logger.warn({ err: error, incidentId: incident.id }, 'role announcement failed'),
    );
}
