import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ActivityHandler,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import type restify from 'restify';
import { botFrameworkActivitySchema, activityProblem } from '../channels/bot-framework-activity.schema.js';
import { inboundActivityProblem } from '../channels/bot-framework-activity-policy.js';
import { TimeoutHttpClient } from '../channels/bot-framework-http-client.js';
import { ServiceUrlAllowList } from '../channels/service-url-allow-list.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * How `/api/messages` accepts activities: `authenticated` (a MicrosoftAppId is set; botbuilder checks each
 * request's Bot Framework JWT), `anonymous` (BOT_FRAMEWORK_ANONYMOUS=true, for the Emulator on this machine) or
 * `off` (neither: the route answers 503).
 */
export type BotFrameworkMode = 'authenticated' | 'anonymous' | 'off';

/** The mode the configuration asks for (see {@link BotFrameworkMode}). */
export function botFrameworkMode(config: Config): BotFrameworkMode {
  if (config.MicrosoftAppId !== '') return 'authenticated';
  return config.BOT_FRAMEWORK_ANONYMOUS ? 'anonymous' : 'off';
}

/**
 * The standard Bot Framework endpoint (Emulator, Azure Bot Service channels). Before botbuilder sees an activity,
 * it must name an allowed serviceUrl, another channel than the built-in Direct Line one, a conversation id that no
 * other channel uses (`conversationChannel` tells which channel holds an id, if any), and a seller (no staff
 * account, no bot role, no handoff event). Every call back to a channel has a time-out.
 */
export function registerBotFrameworkRoutes(
  server: restify.Server,
  config: Config,
  bot: ActivityHandler,
  middleware: readonly Middleware[],
  onTurnError: (context: TurnContext, error: Error) => Promise<void>,
  logger: Logger,
  conversationChannel: (conversationId: string) => Promise<string | undefined> = async () => undefined,
): CloudAdapter {
  const mode = botFrameworkMode(config);
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.MicrosoftAppId,
      MicrosoftAppPassword: config.MicrosoftAppPassword,
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    },
    undefined,
    undefined,
    undefined,
    { httpClient: new TimeoutHttpClient(config.BOT_FRAMEWORK_TIMEOUT_SECONDS * 1000) },
  );
  const adapter = new CloudAdapter(auth);
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = onTurnError;
  const serviceUrls = new ServiceUrlAllowList({
    hosts: config.BOT_FRAMEWORK_SERVICE_URL_HOSTS,
    allowLoopback: mode === 'anonymous',
  });

  if (mode === 'anonymous') {
    logger.warn(
      'registerBotFrameworkRoutes(): BOT_FRAMEWORK_ANONYMOUS=true: /api/messages accepts activities from ANYONE without authentication. ' +
        'For the Bot Framework Emulator on this machine only; never expose this server so.',
    );
  } else if (mode === 'off') {
    logger.info('registerBotFrameworkRoutes(): /api/messages is off (no MicrosoftAppId, BOT_FRAMEWORK_ANONYMOUS is not true)');
  }

  server.post('/api/messages', async (req, res) => {
    if (mode === 'off') {
      res.send(404, {
        code: 'BOT_FRAMEWORK_OFF',
        message: '/api/messages is off on this server: set MicrosoftAppId (Azure Bot Service) or, for local testing with the Emulator, BOT_FRAMEWORK_ANONYMOUS=true',
      });
      return;
    }
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { code: 'BAD_ACTIVITY', message: problem });
      return;
    }
    const activity = botFrameworkActivitySchema.parse(req.body);
    const refused = inboundActivityProblem(activity);
    if (refused) {
      res.send(403, { code: 'FORBIDDEN_ACTIVITY', message: refused });
      return;
    }
    // Conversation ids are unique only within a channel: refuse one that another channel already uses, before
    // anything (transcript, state, index) records it. The handoff middleware checks again, for every adapter.
    const owner = await conversationChannel(activity.conversation.id);
    if (owner !== undefined && owner !== activity.channelId) {
      res.send(403, { code: 'FORBIDDEN_ACTIVITY', message: 'activity.conversation.id: this conversation belongs to another channel' });
      return;
    }
    const badServiceUrl = serviceUrls.problem(activity.serviceUrl);
    if (badServiceUrl) {
      res.send(403, { code: 'SERVICE_URL_NOT_ALLOWED', message: badServiceUrl });
      return;
    }
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (error) {
      logger.warn({ err: error }, 'registerBotFrameworkRoutes(): rejected activity');
      if (!res.headersSent) res.send(400, { code: 'BAD_ACTIVITY', message: (error as Error).message });
    }
  });
  return adapter;
}
