import { WebSocket } from 'ws';

/** What the seller client needs of an instance: where it is, and whether it still runs (for messages only). */
export interface Instance {
  readonly name: string;
  readonly baseUrl: string;
}

/** The fields of a Direct Line activity these tests read. */
export interface SeenActivity {
  readonly type: string;
  readonly id?: string;
  readonly text?: string;
  readonly replyToId?: string;
  readonly from?: { readonly id?: string; readonly role?: string };
}

const PREFIX = '/v3/directline';
const json = { 'content-type': 'application/json' };
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}`, ...json });

/**
 * A seller's Direct Line client talking to several instances with no sticky sessions, as through a load balancer:
 * messages go to whichever instance the caller names (the next one when that one is unreachable), the stream stays
 * on one instance and, when that instance dies, resumes on another from the last watermark it saw.
 */
export class ClusterSeller {
  /** Every activity the stream delivered (typing indicators aside), in the order it delivered them. */
  readonly streamed: SeenActivity[] = [];
  /** Seller messages whose POST was answered with an id, in the order the answers came: id -> text. */
  readonly acked = new Map<string, string>();
  /** Stream (re)connections, as `instance@watermark`, for failure messages. */
  readonly connections: string[] = [];
  /** Stream problems (refused resumes, bad frames), for failure messages. */
  readonly problems: string[] = [];
  private watermark = '';
  private socket?: WebSocket;
  private streamOn = 0;
  private ended = false;

  private constructor(
    readonly conversationId: string,
    private token: string,
    private readonly instances: readonly Instance[],
  ) {}

  /**
   * A site back end gets a token from instance `tokenFrom` (with the secret); the page starts the conversation with
   * it there, and the stream URL it got is opened on instance `streamOn`, as a load balancer would route it.
   */
  static async open(instances: readonly Instance[], secret: string, tokenFrom: number, streamOn: number): Promise<ClusterSeller> {
    const home = instances[tokenFrom]!;
    const generated = await expectJson(
      await fetch(`${home.baseUrl}${PREFIX}/tokens/generate`, { method: 'POST', headers: bearer(secret), body: JSON.stringify({ locale: 'zh-CN' }) }),
      200,
      `tokens/generate on ${home.name}`,
    );
    const seller = new ClusterSeller(String(generated.conversationId), String(generated.token), instances);
    const started = await expectJson(
      await fetch(`${home.baseUrl}${PREFIX}/conversations`, { method: 'POST', headers: bearer(seller.token), body: '{}' }),
      201,
      `start conversation on ${home.name}`,
    );
    seller.streamOn = streamOn;
    await seller.connect(onInstance(String(started.streamUrl), instances[streamOn]!));
    return seller;
  }

  /** Name of the instance the stream is on now. */
  get streamInstance(): string {
    return this.instances[this.streamOn]!.name;
  }

  /**
   * Posts a message to instance `first`, and to the next ones while an instance cannot be reached or fails (5xx),
   * as a client behind a load balancer retries. Resolves with the acknowledged id, or undefined when none answered.
   */
  async say(text: string, first: number, clientActivityID: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < this.instances.length; attempt++) {
      const instance = this.instances[(first + attempt) % this.instances.length]!;
      try {
        const res = await fetch(`${instance.baseUrl}${PREFIX}/conversations/${encodeURIComponent(this.conversationId)}/activities`, {
          method: 'POST',
          headers: bearer(this.token),
          body: JSON.stringify({ type: 'message', text, locale: 'zh-CN', from: { id: 'ignored' }, channelData: { clientActivityID } }),
        });
        if (res.status >= 500) continue;
        const body = (await res.json()) as { id?: string; code?: string };
        if (res.status !== 200 || !body.id) throw new Error(`${instance.name} answered ${res.status} ${JSON.stringify(body)} to "${text}"`);
        this.acked.set(body.id, text);
        return body.id;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
      }
    }
    return undefined;
  }

  /** The whole history, paged by watermark, read from the first instance that answers. */
  async history(): Promise<SeenActivity[]> {
    let lastError: unknown;
    for (const instance of this.instances) {
      try {
        return await this.historyFrom(instance);
      } catch (error) {
        lastError = error;
        if (!isUnreachable(error)) throw error;
      }
    }
    throw lastError;
  }

  /** Closes the stream for good. */
  end(): void {
    this.ended = true;
    this.socket?.terminate();
  }

  private async historyFrom(instance: Instance): Promise<SeenActivity[]> {
    const all: SeenActivity[] = [];
    let watermark = '';
    for (;;) {
      const url = `${instance.baseUrl}${PREFIX}/conversations/${encodeURIComponent(this.conversationId)}/activities?watermark=${watermark}`;
      const page = await expectJson(await fetch(url, { headers: bearer(this.token) }), 200, `history on ${instance.name}`);
      const activities = page.activities as SeenActivity[];
      if (activities.length === 0) return all;
      all.push(...activities);
      watermark = String(page.watermark);
    }
  }

  private async connect(streamUrl: string): Promise<void> {
    const socket = new WebSocket(streamUrl, { perMessageDeflate: false });
    this.socket = socket;
    this.connections.push(`${this.streamInstance}@${this.watermark || '0'}`);
    socket.on('message', (data) => this.onFrame(String(data)));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`stream on ${this.streamInstance} refused: ${res.statusCode}`)));
      socket.once('close', () => reject(new Error(`stream on ${this.streamInstance} closed before it opened`)));
    });
    socket.once('close', () => {
      if (!this.ended && this.socket === socket) void this.resume();
    });
  }

  private onFrame(text: string): void {
    if (!text) return; // keep-alive
    try {
      const frame = JSON.parse(text) as { activities: SeenActivity[]; watermark?: string };
      for (const activity of frame.activities) if (activity.type !== 'typing') this.streamed.push(activity);
      if (frame.watermark !== undefined) this.watermark = frame.watermark;
    } catch (error) {
      this.problems.push(`bad frame on ${this.streamInstance}: ${String(error)}`);
    }
  }

  /** The stream's instance is gone: resume on the next instances in turn, after the last watermark seen. */
  private async resume(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!this.ended && Date.now() < deadline) {
      this.streamOn = (this.streamOn + 1) % this.instances.length;
      const instance = this.instances[this.streamOn]!;
      try {
        const url = `${instance.baseUrl}${PREFIX}/conversations/${encodeURIComponent(this.conversationId)}?watermark=${this.watermark}`;
        const resumed = await expectJson(await fetch(url, { headers: bearer(this.token) }), 200, `resume on ${instance.name}`);
        this.token = String(resumed.token);
        await this.connect(String(resumed.streamUrl));
        return;
      } catch (error) {
        if (!isUnreachable(error)) this.problems.push(String(error));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    this.problems.push(`stream not resumed within 20 s (last watermark ${this.watermark})`);
  }
}

/** The same URL on another instance, as a load balancer sends a request to any instance. */
function onInstance(url: string, instance: Instance): string {
  const target = new URL(url);
  const base = new URL(instance.baseUrl);
  target.host = base.host;
  return target.toString();
}

async function expectJson(res: Response, status: number, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A refused or reset connection: the instance is down, which a client behind a load balancer retries elsewhere. */
function isUnreachable(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return error instanceof TypeError && ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(cause?.code ?? 'UND_ERR_SOCKET');
}
