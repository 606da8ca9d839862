import type { TranscriptLogger } from 'botbuilder';
import type { ConversationGateway } from '../channels/conversation-gateway.js';
import type { Config } from '../config.js';
import type { Translator } from '../i18n/create-i18n.js';
import type { Logger } from '../logger.js';
import { HandoffService } from '../handoff/handoff-service.js';
import { LiveHub } from '../handoff/live-events.js';
import { parseOfficeHours } from '../handoff/office-hours.js';
import type { HandoffRepositories } from '../handoff/ports.js';
import type { HandoffObserver } from '../handoff/handoff-observer.js';
import { HandoffMiddleware } from './handoff.middleware.js';
import { GatewaySellerChannel } from './handoff-seller-channel.js';

/** Collaborators of {@link createHandoff}. */
export interface HandoffSetupOptions {
  readonly config: Config;
  readonly repositories: HandoffRepositories;
  /** Where agent messages are recorded (the same store the transcript middleware writes). */
  readonly transcripts: TranscriptLogger;
  /** Late-bound: channels are built after the middleware list that contains the handoff middleware. */
  readonly gatewayFor: (channelId: string) => ConversationGateway | undefined;
  readonly translator: Translator;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Told of every handoff state change (metrics). */
  readonly onTransition?: HandoffObserver;
  /** Told of each background failure, after it is logged (metrics). */
  readonly onError?: () => void;
}

/** The handoff, built once by the composition root. */
export interface Handoff {
  readonly service: HandoffService;
  readonly live: LiveHub;
  /** Add to every adapter, after the transcript middleware. */
  readonly middleware: HandoffMiddleware;
  /** Stops the queue sweep. */
  close(): void;
}

/** Builds the handoff service, its live hub and bot middleware, and starts the sweep that fails over-long waits. */
export function createHandoff(options: HandoffSetupOptions): Handoff {
  const { config, logger } = options;
  const live = new LiveHub();
  const service = new HandoffService({
    repositories: options.repositories,
    channel: new GatewaySellerChannel({ gatewayFor: options.gatewayFor, transcripts: options.transcripts, ...(options.now ? { now: options.now } : {}) }),
    live,
    officeHours: parseOfficeHours(config.OFFICE_HOURS, config.OFFICE_TIMEZONE),
    maxWaitSeconds: config.HANDOFF_MAX_WAIT_SECONDS,
    onError: (error, context) => {
      logger.error({ err: error }, `handoff: ${context}`);
      options.onError?.();
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.onTransition ? { onTransition: options.onTransition } : {}),
  });
  const middleware = new HandoffMiddleware({
    service,
    repositories: options.repositories,
    live,
    translator: options.translator,
    defaultLocale: config.DEFAULT_LOCALE,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  // A fifth of the allowed wait, between 0.5 s and 5 s: a seller waits at most ~20% longer than configured.
  const period = Math.min(5000, Math.max(500, (config.HANDOFF_MAX_WAIT_SECONDS * 1000) / 5));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    service
      .sweep()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'handoff: queue sweep failed');
        options.onError?.();
      })
      .finally(() => {
        running = false;
      });
  }, period);
  timer.unref();
  return { service, live, middleware, close: () => clearInterval(timer) };
}
