import type restify from 'restify';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import { ConsoleAuth } from '../console/console-auth.js';
import { ConsolePages } from '../console/console-pages.js';
import { ConsoleQueries } from '../console/console-queries.js';
import type { ConsoleRepositories, TranscriptReader } from '../console/ports.js';
import { bootstrapAdmin } from '../console/staff-accounts.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { LiveHub } from '../handoff/live-events.js';
import type { HandoffRepositories } from '../handoff/ports.js';
import { attachConsoleLiveSocket } from './console-live.socket.js';
import { registerConsoleRoutes } from './console.routes.js';
import { PublicOrigin } from './public-origin.js';
import { registerSellerDataRoutes } from './seller-data.routes.js';
import type { SellerDataStore } from '../privacy/seller-data.js';
import { memoryRateLimits, type RateLimits } from '../storage/rate-limits.js';

/** Collaborators of {@link mountConsole}. */
export interface ConsoleModuleOptions {
  readonly config: Config;
  readonly handoff: HandoffService;
  readonly live: LiveHub;
  readonly handoffRepositories: HandoffRepositories;
  readonly consoleRepositories: ConsoleRepositories;
  readonly transcripts: TranscriptReader;
  /** Export and erasure of one seller's data (admin routes). */
  readonly sellerData: SellerDataStore;
  /** Where the sign-in limit counts (default: this process; PostgreSQL shares it between instances). */
  readonly limits?: RateLimits;
  readonly translator: Translator;
  readonly logger: Logger;
  /** Folder of the console's static files (public/console). */
  readonly publicDir: string;
}

/**
 * Mounts the staff console: creates the first administrator on first start, registers `/console` and
 * `/api/console` routes and the live WebSocket. Returns a handle that closes the socket.
 */
export async function mountConsole(server: restify.Server, options: ConsoleModuleOptions): Promise<{ close(): void }> {
  const { config, logger } = options;
  const admin = await bootstrapAdmin(options.consoleRepositories.staff, config);
  if (admin.created && admin.generatedPassword) {
    // Logged once, on the start that created the account; afterwards only its hash exists.
    logger.warn(
      { username: admin.username, password: admin.generatedPassword },
      'console: created the first administrator with a generated password; sign in and keep it safe',
    );
  } else if (admin.created) {
    logger.info({ username: admin.username }, 'console: created the first administrator from CONSOLE_ADMIN_PASSWORD');
  }
  const site = new PublicOrigin({ publicUrl: config.PUBLIC_URL, trustedProxyHops: config.TRUSTED_PROXY_HOPS });
  const auth = new ConsoleAuth({ repositories: options.consoleRepositories, sessionHours: config.CONSOLE_SESSION_HOURS });
  registerConsoleRoutes(server, {
    auth,
    limiter: (options.limits ?? memoryRateLimits()).signIns(),
    handoff: options.handoff,
    queries: new ConsoleQueries({
      handoff: options.handoff,
      repositories: options.handoffRepositories,
      transcripts: options.transcripts,
      timeZone: config.OFFICE_TIMEZONE,
      live: options.live,
    }),
    pages: new ConsolePages(options.publicDir, options.translator, config.DEFAULT_LOCALE),
    sessionHours: config.CONSOLE_SESSION_HOURS,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    site,
    logger,
  });
  registerSellerDataRoutes(server, { auth, store: options.sellerData, logger, site });
  return attachConsoleLiveSocket(server, { auth, live: options.live, logger, site });
}
