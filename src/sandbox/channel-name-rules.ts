/**
 * Teams' rules for a channel display name, as the sandbox Graph enforces them. Real Graph answers
 * a broken name with 400 BadRequest; the character message is the one recorded in
 * test/fixtures/graph/16-400-channel-displayname-emoji.json.
 */

export const CHANNEL_NAME_MAX_LENGTH = 50;

export const INVALID_CHARACTERS_MESSAGE =
  "Channel.DisplayName doesn't contain allowed characters, please use the valid values.";

const FORBIDDEN_CHARACTERS = /[~#%&*{}+/\\:<>?|'"]/;
// C0 and C1 control characters.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u0080-\u009f]/;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const RESERVED_NAMES = new Set([
  'forms',
  'con',
  'conin$',
  'conout$',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
  'desktop.ini',
  '_vti_',
]);

/** Why Teams would refuse `name` as a channel name, or undefined when it is acceptable. */
export function channelNameProblem(name: string): string | undefined {
  if (name.trim().length === 0) return 'Channel.DisplayName must not be empty.';
  // Teams counts characters, not UTF-16 units.
  if ([...name].length > CHANNEL_NAME_MAX_LENGTH) {
    return `Channel.DisplayName must be ${CHANNEL_NAME_MAX_LENGTH} characters or fewer.`;
  }
  if (
    FORBIDDEN_CHARACTERS.test(name) ||
    CONTROL_CHARACTERS.test(name) ||
    EMOJI.test(name) ||
    name.includes('..') ||
    name.startsWith('_') ||
    name.startsWith('.') ||
    name.endsWith('.')
  ) {
    return INVALID_CHARACTERS_MESSAGE;
  }
  if (RESERVED_NAMES.has(name.trim().toLowerCase())) return INVALID_CHARACTERS_MESSAGE;
  return undefined;
}
