import { existsSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import { z } from 'zod';

const portNumber = z.coerce.number().int().min(0).max(65535);
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

/** Every environment variable the product reads. `.env.example` lists exactly these keys. */
export const configSchema = z.object({
  /** HTTP port of the restify server. */
  PORT: portNumber.default(3978),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bot Framework app registration; empty means anonymous (Emulator, local channels). */
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
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
  /** `sqlite` (durable, default) or `memory` (lost on exit; for quick experiments). */
  STORAGE: z.enum(['sqlite', 'memory']).default('sqlite'),
  /** Direct Line secret for a site's back end (`/v3/directline/tokens/generate`); empty: one is generated into DATA_DIR. */
  DIRECTLINE_SECRET: z.string().default(''),
  /** Lifetime of a Direct Line token, seconds (must outlive the clients' 15-minute refresh). */
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1200).default(3600),
  /** Origins (comma-separated) allowed to embed the widget and call Direct Line cross-origin; `*` for any. */
  ALLOWED_ORIGINS: csv,
  /** Widget token requests allowed per client IP per minute. */
  TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Reverse proxies in front of the server that append to X-Forwarded-For (0: none, the header is ignored). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
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
  return Object.freeze(result.data);
}

/** Reads `.env` (when present) into the process environment, then validates it. The only reader of process.env. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) loadEnvFile(envFile);
  return parseConfig(process.env);
}
