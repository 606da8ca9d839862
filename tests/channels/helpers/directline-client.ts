import { WebSocket } from 'ws';
import xhr2 from 'xhr2';
import { DirectLine, ConnectionStatus } from 'botframework-directlinejs';

// The official client reads these globals (passing WebSocket only in options silently falls back to polling).
const globals = globalThis as Record<string, unknown>;
globals.XMLHttpRequest ??= xhr2;
globals.WebSocket ??= WebSocket;

export { ConnectionStatus, DirectLine };

/** Minimal activity shape the tests read. */
export interface SeenActivity {
  type: string;
  id?: string;
  text?: string;
  timestamp?: string;
  from: { id: string; name?: string; role?: string };
  channelData?: Record<string, unknown>;
  suggestedActions?: { actions: { title?: string; value?: unknown }[] };
  replyToId?: string;
}

/**
 * Wraps a DirectLine client: collects every activity, records errors (the stream always has an error handler, as
 * `end()` errors it), and offers waits with timeouts.
 */
export class RecordingClient {
  readonly activities: SeenActivity[] = [];
  readonly statuses: number[] = [];
  readonly errors: unknown[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly subscriptions: { unsubscribe(): void }[] = [];

  constructor(readonly client: DirectLine) {
    this.subscriptions.push(
      client.activity$.subscribe(
        (activity) => {
          this.activities.push(activity as unknown as SeenActivity);
          this.notify();
        },
        (error: unknown) => {
          this.errors.push(error);
          this.notify();
        },
      ),
    );
    this.subscriptions.push(
      client.connectionStatus$.subscribe(
        (status) => {
          this.statuses.push(status);
          this.notify();
        },
        () => undefined,
      ),
    );
  }

  /** Resolves with the first activity (already seen or future) matching `predicate`. */
  async waitFor(predicate: (a: SeenActivity) => boolean, what: string, timeoutMs = 10_000): Promise<SeenActivity> {
    return this.until(() => this.activities.find(predicate), what, timeoutMs);
  }

  /** Resolves when the connection status is `status`. */
  async waitForStatus(status: ConnectionStatus, timeoutMs = 10_000): Promise<void> {
    await this.until(() => (this.statuses.includes(status) ? true : undefined), `status ${status}`, timeoutMs);
  }

  /** Posts a message with a clientActivityID like Web Chat does; resolves with the server's id. */
  async say(text: string, clientActivityID: string, locale = 'zh-CN'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.client
        .postActivity({
          type: 'message',
          text,
          locale,
          from: { id: 'ignored-by-server', role: 'user' },
          channelData: { clientActivityID },
        } as never)
        .subscribe(resolve, reject);
    });
  }

  end(): void {
    try {
      this.client.end();
    } catch {
      /* already ended */
    }
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private async until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}; saw ${JSON.stringify(this.activities.map((a) => [a.type, a.text?.slice(0, 40)]))}, statuses ${this.statuses}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
