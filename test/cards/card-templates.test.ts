import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderNoteForm } from '../../src/cards/dialog-cards';
import {
  peoplePickerIds,
  rendererEvents,
  ruleViolations,
  unexpectedRendererEvents,
  walk,
  walkStrings,
  withFallbacks,
} from './card-rules';
import {
  CARD_CASES,
  makeIncident,
  TEMPLATE_LOOKALIKES,
  USER_MARKDOWN,
} from './representative-data';

const CARDS_DIR = join(__dirname, '..', '..', 'cards');
const TEMPLATES = readdirSync(CARDS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort();
const USER = { lookalikes: TEMPLATE_LOOKALIKES, markdown: USER_MARKDOWN };

/** Parts (cards/parts/) a template's card is built with: their elements belong to the card. */
const PARTS: Record<string, string[]> = {
  'incident-summary': ['summary-header', 'summary-status-actions', 'summary-panel-actions'],
};

function template(name: string): object {
  const read = (file: string) => JSON.parse(readFileSync(join(CARDS_DIR, file), 'utf8')) as object;
  return [read(`${name}.json`), ...(PARTS[name] ?? []).map((part) => read(`parts/${part}.json`))];
}

function strings(card: object): string[] {
  const found: string[] = [];
  walkStrings(card, (text) => found.push(text));
  return found;
}

describe('card templates', () => {
  it('has representative data for every template in cards/', () => {
    const missing = TEMPLATES.filter((name) => !CARD_CASES[name]?.length);
    assert.deepEqual(missing, [], 'add cases for these templates to representative-data.ts');
    assert.ok(TEMPLATES.length >= 8);
  });

  it('has no representative data for a template that does not exist', () => {
    const unknown = Object.keys(CARD_CASES).filter((name) => !TEMPLATES.includes(name));
    assert.deepEqual(unknown, []);
  });

  for (const name of TEMPLATES) {
    for (const example of CARD_CASES[name] ?? []) {
      describe(`${name}: ${example.name}`, () => {
        it('parses in the official renderer at version 1.5 without warnings', () => {
          const card = example.render();
          assert.equal(card.version, '1.5');
          assert.deepEqual(unexpectedRendererEvents(card), []);
        });

        it('parses as cleanly for clients that only know Action.Submit fallbacks', () => {
          assert.deepEqual(unexpectedRendererEvents(withFallbacks(example.render())), []);
        });

        it('keeps our own rules', () => {
          assert.deepEqual(ruleViolations(example.render(), template(name), USER), []);
        });
      });
    }
  }
});

describe('user text in cards', () => {
  const incident = makeIncident();

  it('keeps a title with template syntax, markdown and emoji exactly as typed', () => {
    const card = CARD_CASES['incident-summary'][0].render();
    assert.ok(strings(card).includes(incident.title));
    assert.ok(incident.title.includes(TEMPLATE_LOOKALIKES[2]));
  });

  it('never evaluates template syntax in user text', () => {
    const all = TEMPLATES.flatMap((name) => CARD_CASES[name].flatMap((c) => strings(c.render())));
    const found = TEMPLATE_LOOKALIKES.filter((text) => all.some((value) => value.includes(text)));
    assert.deepEqual(found, TEMPLATE_LOOKALIKES);
    assert.ok(!all.some((value) => value.includes(incident.id) && value.includes('Exchange')));
  });

  it('never cuts an emoji in half in the note form', () => {
    const titled = makeIncident({ number: 1, title: `${'x'.repeat(110)}${'🔥'.repeat(10)}` });
    const card = renderNoteForm([titled], 'note');
    assert.deepEqual(ruleViolations(card, template('note-form'), USER), []);
  });

  it('keeps card-shaped JSON in user text as text, not as a button', () => {
    const card = CARD_CASES.timeline[0].render();
    const titles: unknown[] = [];
    walk(card, (node) => node.type === 'Action.OpenUrl' && titles.push(node.title));
    assert.deepEqual(titles, []);
    assert.ok(strings(card).some((text) => text.includes('"type": "Action.OpenUrl"')));
  });
});

describe('the people picker on the summary card', () => {
  const card = CARD_CASES['incident-summary'][0].render();

  it('asks Teams for people from the directory', () => {
    assert.deepEqual([...peoplePickerIds(card)], ['person']);
  });

  it('is the only thing the 1.5 renderer warns about', () => {
    const onPicker = rendererEvents(card).filter((event) => event.sourceId === 'person');
    assert.deepEqual(onPicker.map((event) => event.event).sort(), [
      'CollectionCantBeEmpty',
      'UnsupportedProperty',
    ]);
    assert.deepEqual(unexpectedRendererEvents(card), []);
  });
});

describe('card rules', () => {
  const base = { type: 'AdaptiveCard', version: '1.5', body: [] as object[] };
  const none = { lookalikes: [], markdown: [] };

  it('catches an Action.Execute without a verb, also in refresh', () => {
    const execute = { type: 'Action.Execute', title: 'Go' };
    const submit = { type: 'Action.Submit', title: 'Go' };
    const card = {
      ...base,
      refresh: { action: execute },
      actions: [{ ...execute, fallback: submit }],
    };
    assert.deepEqual(ruleViolations(card, card, none), [
      '$.refresh.action: Action.Execute without a verb',
      '$.actions[0]: Action.Execute without a verb',
    ]);
  });

  it('catches an Action.Submit fallback that would lose the verb or the data', () => {
    const execute = { type: 'Action.Execute', title: 'Go', verb: 'a.b', data: { id: '1' } };
    const fallback = { type: 'Action.Submit', title: 'Go', data: { verb: 'a.b' } };
    const card = { ...base, actions: [{ ...execute, fallback }, execute] };
    assert.deepEqual(ruleViolations(card, card, none), [
      '$.actions[0]: fallback Action.Submit data differs from the Action.Execute verb and data',
      '$.actions[1]: Action.Execute without an Action.Submit fallback',
    ]);
  });

  it('catches a template expression left in the card', () => {
    const card = { ...base, body: [{ type: 'TextBlock', text: 'Hi ${name}' }] };
    assert.equal(ruleViolations(card, card, none).length, 1);
    assert.equal(ruleViolations(card, card, { ...none, lookalikes: ['${name}'] }).length, 0);
  });

  it('catches a required input without a label or an error message', () => {
    const card = { ...base, body: [{ type: 'Input.Text', id: 'x', isRequired: true }] };
    assert.equal(ruleViolations(card, card, none).length, 2);
  });

  it('catches raw user markdown in a TextBlock and an oversized payload', () => {
    const card = { ...base, body: [{ type: 'TextBlock', text: `**down** ${'x'.repeat(50_000)}` }] };
    const problems = ruleViolations(card, card, { ...none, markdown: ['**down**'] });
    assert.equal(problems.length, 2);
  });

  it('hears the renderer on a missing label, an unknown element and a 1.6 card', () => {
    const card = {
      ...base,
      version: '1.6',
      body: [{ type: 'Input.Text', id: 'x', isRequired: true }, { type: 'Carousel' }],
    };
    const events = rendererEvents(card).map((event) => event.event);
    assert.ok(events.includes('RequiredInputsShouldHaveLabel'));
    assert.ok(events.includes('UnknownElementType') && events.includes('UnsupportedCardVersion'));
  });
});
