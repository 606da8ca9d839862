import { existsSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { z } from 'zod';

/** A TCP port as digits; an empty value is an error (coercing it would mean port 0, a random port). */
const portNumber = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().int().max(65535, 'expected a port number from 0 to 65535'));

/** `*`, or an origin as a browser sends it: scheme and host (and port), nothing else. */
function isOrigin(entry: string): boolean {
  if (entry === '*') return true;
  try {
    const url = new URL(entry);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/+$/, '').toLowerCase();
  } catch {
    return false;
  }
}
const csv = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part.length > 0));

/**
 * Office hours as `<first weekday>-<last weekday> HH:MM-HH:MM`, weekdays 1 (Monday) to 7 (Sunday),
 * e.g. `1-5 09:00-18:00`. `24:00` is allowed as an end time.
 */
const officeHours = z
  .string()
  .regex(/^[1-7]-[1-7] ([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected e.g. "1-5 09:00-18:00"');

/**
 * Hosts a Bot Framework channel's `serviceUrl` may name by default: Azure Bot Service channels (public, US government
 * and China clouds) and Teams. `*.` matches any subdomain, not the domain itself.
 */
export const DEFAULT_SERVICE_URL_HOSTS: readonly string[] = [
  '*.botframework.com',
  '*.botframework.azure.us',
  '*.botframework.azure.cn',
  'smba.trafficmanager.net',
  '*.teams.microsoft.com',
  '*.teams.microsoft.us',
];

const hostPattern = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Comma-separated host patterns; empty means {@link DEFAULT_SERVICE_URL_HOSTS}. */
const serviceUrlHosts = csv
  .transform((hosts) => hosts.map((host) => host.toLowerCase()))
  .refine((hosts) => hosts.every((host) => hostPattern.test(host)), 'expected host names such as *.botframework.com, comma-separated')
  .transform((hosts) => (hosts.length > 0 ? hosts : [...DEFAULT_SERVICE_URL_HOSTS]));

const booleanFlag = z
  .enum(['true', 'false', ''])
  .default('')
  .transform((value) => value === 'true');

/** Optional absolute http(s) URL without path, query or fragment, e.g. https://bot.example.com. */
const publicUrl = z
  .union([
    z.literal('').transform(() => undefined),
    z
      .url({ protocol: /^https?$/ })
      // zod runs this refinement even when the URL check above failed, so a non-URL must not throw here.
      .refine((value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
      }, 'expected an origin such as https://bot.example.com (no path, query or credentials)')
      .transform((value) => new URL(value).origin),
  ])
  .optional();

/** Every environment variable the product reads. `.env.example` lists exactly these keys. */
export const configSchema = z.object({
  /** HTTP port of the restify server. */
  PORT: portNumber.default(3978),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Bot Framework app registration: `/api/messages` then accepts only activities with a valid Bot Framework JWT.
   * Empty: `/api/messages` is off unless BOT_FRAMEWORK_ANONYMOUS is `true`.
   */
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  /** `true`: `/api/messages` accepts activities without authentication (Emulator on this machine only; never in production). */
  BOT_FRAMEWORK_ANONYMOUS: booleanFlag,
  /** Hosts (comma-separated, `*.` for subdomains) an `/api/messages` activity's serviceUrl may name; empty: the Bot Framework channel hosts. */
  BOT_FRAMEWORK_SERVICE_URL_HOSTS: serviceUrlHosts,
  /** Time-out of each call the bot makes to a Bot Framework channel (replies, proactive messages), seconds. */
  BOT_FRAMEWORK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(15),
  /** Locale used when a conversation does not say which one it wants. */
  DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** Display name of the human consultant; empty uses the localized default. */
  CONSULTANT_NAME: z.string().default(''),
  /** Phone line of the human consultant; empty means the bot offers a callback instead. */
  CONSULTANT_PHONE: z
    .string()
    .regex(/^\+?[0-9 ()-]{5,20}$/, 'expected a phone number such as 13122891139 or +86 131 2289 1139')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** When consultants answer (see officeHours above), in OFFICE_TIMEZONE. */
  OFFICE_HOURS: officeHours.default('1-7 00:00-24:00'),
  /** IANA time zone of OFFICE_HOURS. */
  OFFICE_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'unknown IANA time zone'),
  /** How long a queued seller waits for an agent before the bot offers phone and callback. */
  HANDOFF_MAX_WAIT_SECONDS: z.coerce.number().int().positive().default(300),
  /** Where the SQLite database and generated secrets live; created on first start. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** `sqlite` (durable, default), `postgres` (a database server shared by instances; needs DATABASE_URL) or `memory`. */
  STORAGE: z.enum(['sqlite', 'postgres', 'memory']).default('sqlite'),
  /** PostgreSQL connection string for STORAGE=postgres, e.g. `postgres://bot:secret@db.internal:5432/bot`. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected postgres://user:password@host:port/database')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** PostgreSQL schema of the tables (created when missing), so several deployments can share one database. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case identifier such as public or bot_shop1')
    .default('public'),
  /** Most PostgreSQL connections one instance opens. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL statement_timeout of every connection, milliseconds (0: no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Days seller data is kept: conversations idle longer, and older transcript lines, recognitions, callbacks and
   * ratings, are purged at start-up and every hour. 0 (default) keeps everything.
   */
  RETENTION_DAYS: z.coerce.number().int('expected a whole number of days').min(0).max(36500).default(0),
  /** Direct Line secret for a site's back end (`/v3/directline/tokens/generate`); empty: one is generated into DATA_DIR. */
  DIRECTLINE_SECRET: z.string().default(''),
  /** Lifetime of a Direct Line token, seconds (must outlive the clients' 15-minute refresh). */
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1200).default(3600),
  /**
   * STORAGE=postgres: how long an instance holds a conversation's turns without renewing (renewed every third of it
   * while a turn runs). When an instance dies, its conversations' waiting messages are answered by another instance
   * after at most this long.
   */
  DIRECTLINE_TURN_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(10),
  /** Origins (comma-separated) allowed to embed the widget and call Direct Line cross-origin; `*` for any. */
  ALLOWED_ORIGINS: csv.refine((origins) => origins.every(isOrigin), {
    message: 'expected origins such as https://shop.example.com (scheme and host, no path), comma-separated, or *',
  }),
  /** Widget token requests allowed per client IP per minute. */
  TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Reverse proxies in front of the server that append to X-Forwarded-For (0: none, the header is ignored). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Public origin of this server as browsers reach it (e.g. https://bot.example.com behind a TLS-terminating proxy):
   * stream URLs, the console's Origin check and its Secure cookie follow it. Empty: taken from the request.
   */
  PUBLIC_URL: publicUrl,
  /** First console administrator, created on first start when no staff exist. */
  CONSOLE_ADMIN_USER: z.string().min(1).default('admin'),
  /** Password of that administrator; empty: a random one is generated and logged once. */
  CONSOLE_ADMIN_PASSWORD: z.string().default(''),
  /** Console session lifetime, hours. */
  CONSOLE_SESSION_HOURS: z.coerce.number().positive().default(12),
  /**
   * Bearer token for `GET /metrics` on the main port (Prometheus `authorization` / `bearer_token`). Empty: the main
   * port answers 404 there. At least 16 characters, so that it cannot be guessed.
   */
  METRICS_TOKEN: z
    .string()
    .default('')
    .refine((token) => token === '' || token.length >= 16, 'expected empty or at least 16 characters'),
  /** Separate listener serving only `/metrics` and `/readyz`, e.g. 9464; empty: none; 0: any free port (tests). */
  METRICS_PORT: z
    .union([z.literal('').transform(() => undefined), z.coerce.number().int().min(0).max(65535)])
    .optional(),
  /** Interface of the METRICS_PORT listener; loopback by default, so only this machine (or a sidecar) scrapes. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
}).superRefine((config, context) => {
  if (config.STORAGE === 'postgres' && config.DATABASE_URL === undefined) {
    context.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required when STORAGE=postgres' });
  }
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** A configuration problem that must stop start-up; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the given environment (and nothing else) into a frozen Config. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const conflicts = conflictingSettings(result.data);
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  return Object.freeze(result.data);
}

/** Settings that are valid one by one but contradict each other. */
function conflictingSettings(config: z.infer<typeof configSchema>): string[] {
  const problems: string[] = [];
  if (config.BOT_FRAMEWORK_ANONYMOUS && config.MicrosoftAppId !== '') {
    problems.push('BOT_FRAMEWORK_ANONYMOUS: must not be true when MicrosoftAppId is set (authenticated and anonymous at once)');
  }
  return problems;
}

/** Reads `.env` (when present) into the process environment, then validates it. The only reader of process.env. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) loadEnvFile(envFile);
  return parseConfig(process.env);
}
