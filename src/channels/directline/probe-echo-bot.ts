import { ActivityHandler } from 'botbuilder';

/**
 * A bot that repeats each message and greets a new member with its id: no dialogs, no state. The channel benchmark
 * runs it beside the real bot to tell the channel's own cost from the bot's. Never wired into the product.
 */
export function createProbeEchoBot(): ActivityHandler {
  const bot = new ActivityHandler();
  bot.onMembersAdded(async (context, next) => {
    await context.sendActivity(context.activity.membersAdded?.[0]?.id ?? '');
    await next();
  });
  bot.onMessage(async (context, next) => {
    await context.sendActivity(context.activity.text ?? '');
    await next();
  });
  return bot;
}
