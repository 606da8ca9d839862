import type { Middleware, TurnContext } from 'botbuilder';

/** What {@link TurnMetricsMiddleware} reports; implemented by the metrics (no prom-client import here). */
export interface TurnObserver {
  turnEnded(channel: string, activityType: string, outcome: 'ok' | 'error', seconds: number): void;
}

/**
 * Times every turn of every channel and whether it threw. First in the middleware list, so the time covers the
 * transcript and handoff middleware and the bot; the error still goes on to the adapter's onTurnError.
 */
export class TurnMetricsMiddleware implements Middleware {
  constructor(private readonly observer: TurnObserver) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const started = process.hrtime.bigint();
    const { channelId, type } = context.activity;
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      await next();
    } catch (error) {
      this.observer.turnEnded(channelId, type, 'error', seconds());
      throw error;
    }
    this.observer.turnEnded(channelId, type, 'ok', seconds());
  }
}
