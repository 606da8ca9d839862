import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ActivityHandler,
  type Middleware,
} from 'botbuilder';
import type restify from 'restify';
import { activityProblem } from '../channels/bot-framework-activity.schema.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** The standard Bot Framework endpoint (Emulator, Azure Bot Service channels); anonymous when MicrosoftAppId is empty. */
export function registerBotFrameworkRoutes(
  server: restify.Server,
  config: Config,
  bot: ActivityHandler,
  middleware: readonly Middleware[],
  onTurnError: (context: import('botbuilder').TurnContext, error: Error) => Promise<void>,
  logger: Logger,
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  for (const m of middleware) adapter.use(m);
  adapter.onTurnError = onTurnError;
  server.post('/api/messages', async (req, res) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { code: 'BAD_ACTIVITY', message: problem });
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
