import { InputError } from '../errors';

/**
 * Saved advanced hunting queries, each over one account. The account is checked to be a UPN or
 * an object id before it is put into KQL, and then only inside a quoted literal, so what a
 * person types can never become part of the query itself.
 */
export const HUNTING_PRESETS = {
  signins: {
    title: 'Recent sign-ins',
    query: (account: string) =>
      `EntraIdSignInEvents
| where Timestamp > ago(7d)
| where AccountUpn =~ ${literal(account)} or AccountObjectId =~ ${literal(account)}
| project Timestamp, Application, IPAddress, Country, City, ErrorCode, RiskLevelDuringSignIn
| order by Timestamp desc`,
  },
  'inbox-rules': {
    title: 'New inbox rules',
    query: (account: string) =>
      `CloudAppEvents
| where Timestamp > ago(30d)
| where ActionType in ("New-InboxRule", "Set-InboxRule", "UpdateInboxRules")
| where AccountId =~ ${literal(account)} or tostring(RawEventData.UserId) =~ ${literal(account)}
| project Timestamp, ActionType, IPAddress, RawEventData
| order by Timestamp desc`,
  },
  oauth: {
    title: 'OAuth consents',
    query: (account: string) =>
      `CloudAppEvents
| where Timestamp > ago(30d)
| where ActionType == "Consent to application."
| where AccountId =~ ${literal(account)} or tostring(RawEventData.UserId) =~ ${literal(account)}
| project Timestamp, Application, ActionType, IPAddress, RawEventData
| order by Timestamp desc`,
  },
} as const;

export type HuntingPreset = keyof typeof HUNTING_PRESETS;

export const KQL_MAX = 4000;

const UPN = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,63}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isPreset(name: string): name is HuntingPreset {
  return Object.hasOwn(HUNTING_PRESETS, name);
}

/** The preset's KQL for `account`, or an InputError saying what an account looks like. */
export function presetQuery(preset: HuntingPreset, account: string): string {
  if (!UPN.test(account) && !GUID.test(account)) {
    throw new InputError('Name the account by its sign-in name (user@contoso.com) or object id.');
  }
  return HUNTING_PRESETS[preset].query(account);
}

/** A KQL string literal. The account was validated already; escaping is the second guard. */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function huntingUsage(): string {
  return `hunt <${Object.keys(HUNTING_PRESETS).join('|')}> <account>, or hunt kql <query>`;
}
