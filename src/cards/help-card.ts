import { usageOf } from '../commands/command-parser';
import { renderCard } from './render';

const COMMANDS: Array<{ usage: string; description: string }> = [
  {
    usage: usageOf('incident.declare'),
    description: 'Declare an incident (no title opens a form).',
  },
  { usage: usageOf('incident.status'), description: 'Move the incident along its lifecycle.' },
  { usage: usageOf('incident.severity'), description: 'Change the severity.' },
  { usage: usageOf('role.assign'), description: 'Give someone a role.' },
  { usage: usageOf('timeline.note'), description: 'Add an entry to the timeline.' },
  { usage: usageOf('timeline.show'), description: 'Show the latest timeline entries.' },
  {
    usage: usageOf('incident.summary'),
    description: 'Post the incident’s summary card here (its war room card if it has none).',
  },
  { usage: 'list', description: 'List open incidents.' },
  { usage: 'help', description: 'Show this card.' },
];

export function renderHelpCard(
  unknownCommand?: string,
  more: ReadonlyArray<{ usage: string; description: string }> = [],
) {
  return renderCard('help', {
    hasUnknown: unknownCommand !== undefined,
    commands: [...COMMANDS, ...more].map((command) => ({
      usage: command.usage.replace(/[<>[\]|]/g, (char) => `\\${char}`),
      description: command.description,
    })),
  });
}
