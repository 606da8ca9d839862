import { ActivityTypes, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { createBotRuntime, type BotRuntime } from '../bot/bot-runtime.js';
import type { Config } from '../config.js';
import { SERVER_EVENT_KEY } from '../handoff/server-event.js';
import type { Logger } from '../logger.js';
import type { Recognizer } from '../nlu/recognizer.js';

/** What the seller sees of one bot message. */
export interface SeenMessage {
  readonly text: string;
  /** Labels of the message's suggested actions, in order. */
  readonly buttons: string[];
}

/** One turn's output: messages the seller sees, plus events and traces the channel receives. */
export interface TurnOutput {
  readonly messages: SeenMessage[];
  readonly events: Partial<Activity>[];
  readonly traces: Partial<Activity>[];
  /** All message texts joined by a newline, for substring checks. */
  readonly text: string;
  /** Buttons of the last message: the only ones a seller can still tap. */
  readonly buttons: string[];
}

export interface ConversationRunnerOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly recognizer: Recognizer;
  /** Repository root holding locales/ and content/. */
  readonly rootDir: string;
  /** BCP-47 tag the seller's client sends on every activity (zh-TW too); default zh-CN. */
  readonly locale?: string;
}

/**
 * Drives the real bot in-process as one seller would, through botbuilder's TestAdapter and a fresh
 * MemoryStorage, and returns what each turn shows. State persists across turns like in a real
 * conversation; a new runner is a new seller. Used by the dialog tests and `npm run eval:dialog`,
 * so both drive the bot the same way.
 */
export class ConversationRunner {
  readonly runtime: BotRuntime;
  private readonly adapter: TestAdapter;
  private nextTurnFromServer = false;

  constructor(options: ConversationRunnerOptions) {
    this.runtime = createBotRuntime({
      config: options.config,
      logger: options.logger,
      storage: new MemoryStorage(),
      recognizer: options.recognizer,
      rootDir: options.rootDir,
    });
    this.adapter = new TestAdapter(
      (context) => this.runtime.bot.run(context),
      { locale: options.locale ?? 'zh-CN', channelId: 'test' },
      true,
    );
    this.adapter.onTurnError = this.runtime.onTurnError;
    this.adapter.use(async (context, next) => {
      if (this.nextTurnFromServer) context.turnState.set(SERVER_EVENT_KEY, true);
      await next();
    });
  }

  /** The conversation starts: the widget opens. */
  open(): Promise<TurnOutput> {
    return this.turn({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: 'user', name: 'seller' }],
    });
  }

  /** The seller types (or taps a button whose label is) `text`. */
  say(text: string): Promise<TurnOutput> {
    return this.turn({ type: ActivityTypes.Message, text });
  }

  /** An event the seller's client sends (it may forge any name, e.g. `handoff.status`). */
  event(name: string, value: unknown): Promise<TurnOutput> {
    return this.turn({ type: ActivityTypes.Event, name, value });
  }

  /** An event the server emits into the conversation (the handoff's `handoff.status`), as the channels' gateways run it. */
  serverEvent(name: string, value: unknown): Promise<TurnOutput> {
    return this.turn({ type: ActivityTypes.Event, name, value }, true);
  }

  private async turn(activity: Partial<Activity>, fromServer = false): Promise<TurnOutput> {
    this.adapter.activeQueue.splice(0);
    this.nextTurnFromServer = fromServer;
    await this.adapter.receiveActivity(activity);
    const out = this.adapter.activeQueue.splice(0);
    const messages = out
      .filter((a) => a.type === ActivityTypes.Message)
      .map((a) => ({ text: a.text ?? '', buttons: (a.suggestedActions?.actions ?? []).map((x) => String(x.title)) }));
    return {
      messages,
      events: out.filter((a) => a.type === ActivityTypes.Event),
      traces: out.filter((a) => a.type === ActivityTypes.Trace),
      text: messages.map((m) => m.text).join('\n'),
      buttons: messages.at(-1)?.buttons ?? [],
    };
  }
}
