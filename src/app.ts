import type { Middleware, Storage } from 'botbuilder';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createRecognizer } from './nlu/create-recognizer.js';
import { createBotRuntime } from './bot/bot-runtime.js';
import { createServer } from './server/create-server.js';
import { registerBotFrameworkRoutes } from './server/bot-framework.routes.js';
import { DirectLineChannel } from './channels/directline/directline-channel.js';
import { channelSecretFor } from './channels/directline/channel-secret.js';
import type { ConversationGateway } from './channels/conversation-gateway.js';
import { registerDirectLineRoutes } from './server/directline.routes.js';
import { registerWidgetRoutes } from './server/widget.routes.js';
import { openStorage } from './storage/open-storage.js';
import type { Stores } from './storage/stores.js';
import { bridgeLiveHub } from './cluster/live-hub-bridge.js';
import { createHandoff } from './bot/handoff-setup.js';
import { TranscriptStoreReader } from './bot/handoff-transcript.js';
import { CloudAdapterGateway } from './bot/cloud-adapter.gateway.js';
import { mountConsole } from './server/console.module.js';
import { findRootDir } from './root-dir.js';
import { RetentionJob } from './privacy/retention-job.js';
import { AppMetrics } from './metrics/app-metrics.js';
import { TurnMetricsMiddleware } from './bot/turn-metrics.middleware.js';
import { healthHandlers, registerHealthRoutes } from './server/health.routes.js';
import { metricsAccess } from './server/metrics-access.js';
import { startMetricsListener, type MetricsListener } from './server/metrics-listener.js';

/** Repository root (the folder holding locales/, content/, public/), from src/ as from the build in dist/src/. */
export const ROOT_DIR = findRootDir(dirname(fileURLToPath(import.meta.url)));

export interface App {
  readonly server: restify.Server;
  readonly logger: Logger;
  /** Pushes activities and events into live web-chat conversations (handoff, console). */
  readonly gateway: ConversationGateway;
  /** Everything persisted (SQLite in DATA_DIR, or memory with STORAGE=memory). */
  readonly stores: Stores;
  /** This instance's Prometheus metrics (its own registry). */
  readonly metrics: AppMetrics;
  /** Port of the METRICS_PORT listener once listening; undefined when METRICS_PORT is empty. */
  readonly metricsPort: number | undefined;
  /** Starts listening; resolves with the bound port (use PORT=0 in tests). */
  listen(): Promise<number>;
  /** Stops accepting connections and closes storage. */
  close(): Promise<void>;
}

export interface AppOverrides {
  readonly logger?: Logger;
  /** Another content file (tests of broken content). */
  readonly knowledgeFile?: string;
}

/**
 * The composition root: builds every part from the configuration and wires them together.
 * `main.ts` and the end-to-end tests both start the product through here.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const recognizer = createRecognizer(ROOT_DIR);
  const opened = await openStorage(config, logger);
  const { stores, bus } = opened;
  const storage: Storage = stores.storage;
  const retention = RetentionJob.start({ store: stores.sellerData, days: config.RETENTION_DAYS, logger });
  const { bot, translator, onTurnError } = createBotRuntime({
    config,
    logger,
    storage,
    recognizer,
    rootDir: ROOT_DIR,
    ...(overrides.knowledgeFile ? { knowledgeFile: overrides.knowledgeFile } : {}),
  });

  // Late-bound like the gateways: the sources are built further down.
  let openStreams = (): number => 0;
  let queueLength = async (): Promise<number> => 0;
  const metrics = new AppMetrics({ openStreams: () => openStreams(), queueLength: () => queueLength() });
  const stopCommitMetrics = stores.onCommit((seconds) => metrics.storageCommit(seconds));

  // One middleware list for both ways in (/api/messages and the Direct Line channel); complete it before use.
  // The transcript logger comes first, so it records each seller activity before anything else can act on it.
  // The handoff middleware comes next: while a staff member holds a conversation, the bot does not see seller messages.
  const gateways = new Map<string, ConversationGateway>();
  const handoff = createHandoff({
    config,
    repositories: stores.handoff,
    transcripts: stores.transcripts,
    // Conversations of other channels came through /api/messages and are reached over the CloudAdapter.
    gatewayFor: (channelId) => gateways.get(channelId) ?? gateways.get('*'),
    translator,
    logger,
    onTransition: (change) => metrics.handoffTransition(change),
    onError: () => metrics.error('handoff'),
  });
  // The turn timer wraps all the others, so a turn's time includes recording it and the handoff check.
  const middleware: Middleware[] = [new TurnMetricsMiddleware(metrics), stores.transcriptMiddleware, handoff.middleware];

  // Counted where they happen: another instance's events (relayed by the bridge) are that instance's to count.
  const unsubscribeLive = handoff.live.subscribe((event, origin) => {
    if (origin === 'local') metrics.liveEvent(event);
  });
  // With several instances, the console of each sees the live events of all.
  const stopLiveBridge = bus ? bridgeLiveHub({ hub: handoff.live, bus, logger }) : () => undefined;
  queueLength = async () => (await handoff.service.queue()).length;

  let closing = false;
  const health = healthHandlers({
    metrics,
    readiness: () => (closing ? { ready: false, problems: ['shutting down'] } : stores.readiness()),
  });
  const server = createServer(logger);
  registerHealthRoutes(server, health, metricsAccess(config.METRICS_TOKEN, 'main'), () => metrics.error('http'));
  const cloudAdapter = registerBotFrameworkRoutes(server, config, bot, middleware, onTurnError, logger, async (conversationId) =>
    (await stores.handoff.conversations.get(conversationId))?.channelId,
  );

  // Instances sharing PostgreSQL run each conversation's turns under a lease and announce history on the bus.
  const cluster = stores.turnLedger && bus ? { ledger: stores.turnLedger, bus } : undefined;
  const directLine = new DirectLineChannel({
    bot,
    middleware,
    onTurnError,
    store: stores.conversations,
    ...(cluster ? { cluster } : {}),
    config,
    logger,
    secret: await channelSecretFor(config.DIRECTLINE_SECRET, config.DATA_DIR, stores.sharedSettings),
  });
  const directLineRoutes = registerDirectLineRoutes(server, directLine, config, logger);
  registerWidgetRoutes(server, directLine, config, translator, logger, { rootDir: ROOT_DIR, limits: stores.limits });
  gateways.set('directline', directLine);
  openStreams = () => directLine.openStreams;
  // Seller messages acknowledged just before a crash, whose turn never ran: answer them now (with several instances
  // the turn ledger knows them, and the channel's sweep answers them).
  if (!cluster && stores.recovered.unanswered.length > 0) {
    void directLine.replay(stores.recovered.unanswered).then(() =>
      logger.info({ replayed: stores.recovered.unanswered.length }, 'buildApp(): answered messages left unanswered by a crash'),
    );
  }
  gateways.set(
    '*',
    new CloudAdapterGateway({
      adapter: cloudAdapter,
      appId: config.MicrosoftAppId,
      bot,
      conversations: stores.handoff.conversations,
      transcripts: stores.transcripts,
    }),
  );
  const staffConsole = await mountConsole(server, {
    config,
    handoff: handoff.service,
    live: handoff.live,
    handoffRepositories: stores.handoff,
    consoleRepositories: stores.console,
    transcripts: new TranscriptStoreReader(stores.transcripts),
    sellerData: stores.sellerData,
    limits: stores.limits,
    translator,
    logger,
    publicDir: join(ROOT_DIR, 'public', 'console'),
  });

  let metricsListener: MetricsListener | undefined;
  return {
    server,
    logger,
    gateway: directLine,
    stores,
    metrics,
    get metricsPort() {
      return metricsListener?.port;
    },
    listen: async () => {
      // Announcements from other instances must reach this one's streams and console from the first request on.
      await opened.listening();
      const port = await new Promise<number>((resolve) => {
        server.listen(config.PORT, config.HOST, () => resolve(server.address().port));
      });
      if (config.METRICS_PORT !== undefined) {
        const access = metricsAccess(config.METRICS_TOKEN, 'metrics');
        metricsListener = await startMetricsListener(health, access, config.METRICS_HOST, config.METRICS_PORT, logger);
        logger.info({ host: config.METRICS_HOST, port: metricsListener.port }, 'metrics listener started');
      }
      return port;
    },
    close: async () => {
      await retention?.stop();
      closing = true;
      await metricsListener?.close();
      unsubscribeLive();
      stopLiveBridge();
      stopCommitMetrics();
      handoff.close();
      staffConsole.close();
      await directLineRoutes.close();
      await directLine.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
    },
  };
}
