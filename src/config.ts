import { z } from 'zod';

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** Logs, exports, mail, documents and screenshots; no programs or scripts. */
const DEFAULT_EVIDENCE_TYPES =
  'txt,log,csv,json,xml,har,evtx,eml,msg,pdf,png,jpg,jpeg,gif,docx,xlsx,pptx,zip,pcap,pcapng'.split(
    ',',
  );

/** Where Teams' download links point: SharePoint and OneDrive in each cloud. */
const DEFAULT_DOWNLOAD_HOSTS =
  '*.sharepoint.com,*.sharepoint.us,*.sharepoint-mil.us,*.sharepoint.de,*.sharepoint.cn'.split(',');

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * Minutes between stakeholder updates for SEV1…SEV4, e.g. "30,60,240,0"; 0 means no reminders.
 * At most a week (10,080 minutes).
 */
const cadenceList = z
  .string()
  .default('30,60,240,0')
  .transform((value) => value.split(',').map((item) => Number(item.trim())))
  .pipe(
    z
      .array(z.number().int().min(0).max(10_080))
      .length(4, 'needs four numbers of minutes, for SEV1 to SEV4 (0: none)'),
  );

const ConfigSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    BOT_AUTH: z.enum(['enabled', 'disabled']).default('enabled'),
    MicrosoftAppId: z.string().default(''),
    MicrosoftAppPassword: z.string().default(''),
    MicrosoftAppType: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])
      .default('SingleTenant'),
    MicrosoftAppTenantId: z.string().default(''),
    DATABASE_URL: z.string().default('sqlite:./data/incident-bot.db'),
    GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com/v1.0'),
    GRAPH_AUTH: z.enum(['azure', 'none']).default('azure'),
    ALLOWED_TENANT_IDS: commaList,
    INCIDENT_TEAM_ID: z.preprocess(emptyAsUndefined, z.uuid().optional()),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    // Test-only: where the adapter fetches the Bot Framework OpenID metadata (a local issuer in tests).
    BOT_OPENID_METADATA_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    // Security response: who may contain accounts, who may never be contained, and how.
    SECURITY_RESPONDERS_GROUP_ID: z.preprocess(emptyAsUndefined, z.uuid().optional()),
    PROTECTED_ACCOUNTS: commaList.transform((items) => items.map((item) => item.toLowerCase())),
    CONTAINMENT_APPROVAL: z.enum(['two-person', 'single']).default('two-person'),
    CONTAINMENT_REQUEST_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    RESPONDER_CACHE_MINUTES: z.coerce.number().int().min(0).max(60).default(5),
    // Stakeholder engagement: public status page, update cadence (feedback has no settings).
    STATUS_PAGE: z.enum(['on', 'off']).default('on'),
    STATUS_PAGE_RESOLVED_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    STATUS_PAGE_TITLE: z.string().trim().min(1).max(120).default('Service status'),
    STATUS_PAGE_TENANT_ID: z.preprocess(
      emptyAsUndefined,
      z.string().trim().toLowerCase().min(1).optional(),
    ),
    CADENCE_MINUTES: cadenceList,
    CADENCE_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Stakeholder communications: audiences and the delivery worker (src/comms).
    STAKEHOLDER_CHANNEL_ID: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^19:/, 'must be the channel id (19:…)').optional(),
    ),
    MAIL_SENDER: z.preprocess(emptyAsUndefined, z.string().includes('@').optional()),
    STAKEHOLDER_EMAILS: commaList.pipe(z.array(z.email())),
    TEAMS_APP_CATALOG_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
    STATUS_PAGE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    DELIVERY_PER_CONVERSATION_RPS: z.coerce.number().int().min(1).max(50).default(7),
    DELIVERY_GLOBAL_RPS: z.coerce.number().int().min(1).max(500).default(30),
    DELIVERY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    DELIVERY_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    DELIVERY_BATCH: z.coerce.number().int().min(1).max(500).default(50),
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    DELIVERY_MAX_THROTTLES: z.coerce.number().int().min(1).max(1000).default(20),
    DELIVERY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1000),
    DELIVERY_RETRY_MAX_MS: z.coerce.number().int().min(1).max(3_600_000).default(300_000),
    // Finished deliveries are kept this long for `comms`, then pruned (updates stay).
    DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // Evidence files sent to the bot in 1:1 chats: how big, which kinds, fetched from where.
    EVIDENCE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    EVIDENCE_FILE_TYPES: commaList
      .transform((items) => items.map((item) => item.toLowerCase().replace(/^\./, '')))
      .transform((items) => (items.length > 0 ? items : DEFAULT_EVIDENCE_TYPES)),
    FILE_DOWNLOAD_HOSTS: commaList.transform((items) =>
      items.length > 0 ? items : DEFAULT_DOWNLOAD_HOSTS,
    ),
  })
  .superRefine((config, ctx) => {
    if (config.BOT_AUTH === 'disabled' && config.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_AUTH'],
        message: 'cannot be disabled in production',
      });
    }
    if (config.BOT_AUTH === 'enabled' && config.MicrosoftAppId === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message: 'is required while BOT_AUTH is enabled (an empty app id turns authentication off)',
      });
    }
    if (config.GRAPH_AUTH === 'none' && config.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['GRAPH_AUTH'],
        message: 'none is for the sandbox only',
      });
    }
    if (config.BOT_OPENID_METADATA_URL && config.NODE_ENV === 'production') {
      // It decides which keys inbound tokens are trusted by: tests only.
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_OPENID_METADATA_URL'],
        message: 'is for tests only',
      });
    }
    if (config.STAKEHOLDER_EMAILS.length > 0 && !config.MAIL_SENDER) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_SENDER'],
        message: 'is required when STAKEHOLDER_EMAILS is set (the mailbox updates are sent from)',
      });
    }
    if (config.ALLOWED_TENANT_IDS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: 'needs at least one tenant id',
      });
    }
    const pageTenant = config.STATUS_PAGE_TENANT_ID;
    if (pageTenant && !config.ALLOWED_TENANT_IDS.some((id) => id.toLowerCase() === pageTenant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['STATUS_PAGE_TENANT_ID'],
        message: 'must be one of ALLOWED_TENANT_IDS',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

/** Every setting's name, so a test can hold the README table and `.env.example` to this list. */
export const SETTING_NAMES = Object.keys(ConfigSchema.shape) as Array<keyof Config>;

/** Parses settings once at start; a bad setting stops the process with every problem named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid settings:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * The tenant whose incidents the status page shows: STATUS_PAGE_TENANT_ID, else the only allowed
 * tenant. Undefined when several are allowed and none is named, as no one page fits them all.
 * Lower case, as the tenant gate stores tenant ids.
 */
export function statusPageTenantOf(
  config: Pick<Config, 'STATUS_PAGE_TENANT_ID' | 'ALLOWED_TENANT_IDS'>,
): string | undefined {
  if (config.STATUS_PAGE_TENANT_ID) return config.STATUS_PAGE_TENANT_ID;

  const allowed = new Set(config.ALLOWED_TENANT_IDS.map((id) => id.toLowerCase()));
  return allowed.size === 1 ? [...allowed][0] : undefined;
}

/**
 * STATUS_PAGE_URL for a stakeholder card of a `tenantId` incident. The address is one for the
 * deployment and its page shows one tenant's incidents, so other tenants' cards get no link.
 */
export function statusPageUrlFor(
  config: Pick<Config, 'STATUS_PAGE_URL' | 'STATUS_PAGE_TENANT_ID' | 'ALLOWED_TENANT_IDS'>,
  tenantId: string,
): string | undefined {
  return tenantId.toLowerCase() === statusPageTenantOf(config) ? config.STATUS_PAGE_URL : undefined;
}
