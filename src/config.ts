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

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

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
    CONTAINMENT_REQUEST_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    RESPONDER_CACHE_MINUTES: z.coerce.number().int().min(0).max(60).default(5),
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
    if (config.ALLOWED_TENANT_IDS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: 'needs at least one tenant id',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

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
