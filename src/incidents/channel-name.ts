import { formatIncidentNumber } from './incident';

export const CHANNEL_NAME_MAX = 50;

// Characters Teams refuses in channel names.
const FORBIDDEN = /[~#%&*{}+/\\:<>?|'"]/g;
// Emoji and the invisible pieces they are built from (joiners, variation selectors, skin tones,
// keycaps, flags' regional indicators); Teams refuses them in channel names.
const EMOJI =
  /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\ufe0e\ufe0f\u20e3]/gu;
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

/**
 * A Teams channel name for the incident: the number and as much of the title as fits in
 * 50 characters, without the characters and emoji Teams refuses. The title itself is unchanged.
 */
export function channelNameFor(incidentNumber: number, title: string, suffix = ''): string {
  const prefix = formatIncidentNumber(incidentNumber);
  const cleaned = title
    .replace(EMOJI, ' ')
    .replace(FORBIDDEN, ' ')
    .replace(CONTROL, '')
    .replace(/\s+/g, ' ')
    .trim();

  const room = CHANNEL_NAME_MAX - prefix.length - suffix.length - 1;
  const name = cleaned.length === 0 ? prefix : `${prefix} ${cutAtWord(cleaned, room)}`;
  return `${name.replace(/[\s._-]+$/, '')}${suffix}`;
}

function cutAtWord(text: string, max: number): string {
  if (max <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut;
}
