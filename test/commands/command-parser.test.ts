import assert from 'node:assert/strict';
import { parseCommand } from '../../src/commands/command-parser';
import { InputError } from '../../src/errors';

describe('parseCommand', () => {
  it('accepts a command with or without a leading slash and the incident prefix', () => {
    const forms = [
      'declare Mail down',
      '/declare Mail down',
      'incident declare Mail down',
      '/incident declare Mail down',
    ];

    const parsed = forms.map((form) => parseCommand(form));

    assert.ok(parsed.every((command) => command.name === 'incident.declare'));
    assert.ok(parsed.every((command) => 'title' in command && command.title === 'Mail down'));
  });

  it('reads a trailing severity off the title', () => {
    const command = parseCommand('declare Exchange Online mail delays SEV1');

    assert.deepEqual(command, {
      name: 'incident.declare',
      title: 'Exchange Online mail delays',
      severity: 1,
    });
  });

  it('takes the incident number before or after the command name', () => {
    const before = parseCommand('INC-0042 status resolved');
    const after = parseCommand('status inc-42 resolved');

    assert.deepEqual(before, { name: 'incident.status', incidentNumber: 42, status: 'resolved' });
    assert.deepEqual(after, before);
  });

  it('opens the form when declare has no title', () => {
    assert.deepEqual(parseCommand('declare sev2'), { name: 'incident.declare', severity: 2 });
  });

  it('gives help for an unknown command, naming it', () => {
    assert.deepEqual(parseCommand('escalate now'), { name: 'help.show', unknown: 'escalate' });
  });

  it('names the problem and the right form for a bad status', () => {
    assert.throws(
      () => parseCommand('status fixed'),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(
          error.message,
          /Use: status <investigating\|identified\|monitoring\|resolved\|closed>/,
        );
        return true;
      },
    );
  });

  it('refuses a severity outside 1 to 4', () => {
    assert.throws(() => parseCommand('sev 5'), /Severity is a number from 1 to 4/);
  });

  it('accepts a role by name and leaves the person to the mentions', () => {
    assert.deepEqual(parseCommand('assign Comms @Jordan Sample'), {
      name: 'role.assign',
      role: 'comms',
      incidentNumber: undefined,
    });
  });

  it('keeps the lines of a note, collapsing spaces within them as before', () => {
    const command = parseCommand('note INC-7 Rolled back  deploy 42.\n\n\n\tErrors  stopped.');

    assert.deepEqual(command, {
      name: 'timeline.note',
      incidentNumber: 7,
      text: 'Rolled back deploy 42.\n\nErrors stopped.',
    });
  });

  it('reads the words of other commands across line breaks as before', () => {
    assert.deepEqual(parseCommand('declare Mail\ndown\nsev2'), {
      name: 'incident.declare',
      title: 'Mail down',
      severity: 2,
    });
    assert.deepEqual(parseCommand('status\nresolved'), {
      name: 'incident.status',
      incidentNumber: undefined,
      status: 'resolved',
    });
  });

  it('keeps text in angle brackets in a note as written', () => {
    const command = parseCommand('note customer says <nothing works> since 9:00');

    assert.deepEqual(command, {
      name: 'timeline.note',
      incidentNumber: undefined,
      text: 'customer says <nothing works> since 9:00',
    });
  });

  it('reads summary in every form, with the incident before or after it', () => {
    const forms = ['/incident INC-4 summary', 'summary inc-0004', 'incident summary INC-4'];

    const parsed = forms.map((form) => parseCommand(form));

    assert.ok(parsed.every((command) => command.name === 'incident.summary'));
    assert.ok(
      parsed.every((command) => 'incidentNumber' in command && command.incidentNumber === 4),
    );
  });

  it('refuses words after summary rather than ignoring them', () => {
    assert.throws(() => parseCommand('summary please'), InputError);
  });
});
