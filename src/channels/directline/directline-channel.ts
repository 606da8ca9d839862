import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ActivityTypes,
  type Activity,
  type ActivityHandler,
  type ChannelAccount,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { toSupportedLocale } from '../../i18n/supported-locales.js';
import { SERVER_EVENT_KEY } from '../../handoff/server-event.js';
import { RESERVED_CHANNEL_ID } from '../bot-framework-activity-policy.js';
import { ConversationNotFoundError, type ConversationGateway } from '../conversation-gateway.js';
import type { ConversationStore, StoredActivity, StoredConversation } from './conversation-store.js';
import { DirectLineAdapter } from './directline-adapter.js';
import { DirectLineError } from './directline-error.js';
import {
  incomingActivitySchema,
  startConversationSchema,
  watermarkSchema,
  type StartConversationBody,
} from './incoming-activity.schema.js';
import { StreamTickets, type StreamTicket } from './stream-tickets.js';
import { TokenService, type TokenClaims } from './token-service.js';
import { TurnQueue } from './turn-queue.js';

/** Collaborators of the channel, built by the composition root. */
export interface DirectLineChannelDeps {
  /** The same bot as `/api/messages`. */
  readonly bot: ActivityHandler;
  /** The same middleware list as `/api/messages`, complete at construction time. */
  readonly middleware: readonly Middleware[];
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  readonly store: ConversationStore;
  readonly config: Config;
  readonly logger: Logger;
  /** The channel secret (see `resolveChannelSecret`). */
  readonly secret: string;
  /** Clock in milliseconds, replaceable in tests. */
  readonly now?: () => number;
}

/** Who is calling: a site's back end holding the secret, or a client holding a conversation token. */
export type Principal = { readonly kind: 'secret' } | { readonly kind: 'token'; readonly claims: TokenClaims };

/** An open WebSocket stream, seen by the channel as something that takes text frames. */
export interface StreamSink {
  send(frame: string): void;
  close(code: number, reason: string): void;
}

/** Answer of `POST /conversations`, `GET /conversations/{id}` and the token endpoints. */
export interface ConversationResponse {
  readonly conversationId: string;
  readonly token: string;
  readonly expires_in: number;
  readonly streamUrl?: string;
}

/** Answer of the page token endpoint: also the user id, so the page can keep it. */
export interface WidgetTokenResponse extends ConversationResponse {
  readonly userId: string;
}

const CHANNEL_ID = RESERVED_CHANNEL_ID;
/** Turn state of the turns {@link DirectLineChannel.dispatchEvent} starts: the server emitted their event. */
const SERVER_EVENT_TURN: ReadonlyMap<symbol, unknown> = new Map([[SERVER_EVENT_KEY, true]]);
const SERVICE_URL = 'directline://in-process';
/** More queued turns than this for one conversation answers 429 (a client flooding its own conversation). */
const MAX_PENDING_TURNS = 16;
/** Page size of polling answers and stream replays. */
const HISTORY_PAGE = 500;
/** An expired page token may still resume its conversation for this long. */
const RESUME_GRACE_SECONDS = 30 * 24 * 3600;

interface LiveConversation {
  readonly sinks: Set<StreamSink>;
  /** Last timestamp given in this conversation: Web Chat orders by timestamp, so they must strictly increase. */
  lastTimestamp: number;
  /** Highest watermark in the store, read once when the entry is made (this process is the only writer). */
  lastWatermark: number;
  /**
   * Highest watermark known durable and pushed to the streams: history replays and polling stop here, so nobody
   * sees an activity before it is on disk; the ones after it are pushed by whoever appended them.
   */
  pushed: number;
  /** Appends waiting for their commit: the entry must stay until they have pushed. */
  inFlight: number;
}

/**
 * The self-hosted Direct Line 3.0 channel, independent of HTTP: the restify routes in src/server/ translate
 * requests into these calls. It stores every acknowledged activity before answering or pushing it, runs turns
 * in-process through {@link DirectLineAdapter}, one at a time per conversation, and fans frames out to streams.
 */
export class DirectLineChannel implements ConversationGateway {
  /** Signs and checks tokens; the widget routes mint page tokens through the channel, not directly. */
  readonly tokens: TokenService;
  private readonly tickets: StreamTickets;
  private readonly adapter: DirectLineAdapter;
  private readonly queue = new TurnQueue();
  private readonly live = new Map<string, LiveConversation>();
  private readonly botAccount: ChannelAccount;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly deps: DirectLineChannelDeps) {
    this.now = deps.now ?? Date.now;
    this.tokens = new TokenService(deps.secret, deps.config.DIRECTLINE_TOKEN_TTL_SECONDS, this.now);
    this.tickets = new StreamTickets(60_000, this.now);
    this.botAccount = { id: deps.config.MicrosoftAppId || 'cxt-bot', name: 'bot', role: 'bot' };
    this.adapter = new DirectLineAdapter((conversationId, activities) => this.publishFromBot(conversationId, activities));
    for (const middleware of deps.middleware) this.adapter.use(middleware);
    this.adapter.onTurnError = deps.onTurnError;
  }

  /**
   * Reads the `Authorization` header.
   * @throws {DirectLineError} 401 when missing, 403 when wrong or expired.
   */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new DirectLineError(401, 'MISSING_AUTHORIZATION', 'send "Authorization: Bearer <token or secret>"');
    const credential = match[1]!;
    // The secret first: Azure-style secrets contain dots too, so a dot does not make a credential a token.
    if (safeEqual(credential, this.deps.secret)) return { kind: 'secret' };
    if (!credential.includes('.')) {
      throw new DirectLineError(403, 'BAD_TOKEN', 'the secret or token is not valid for this server');
    }
    return { kind: 'token', claims: this.tokens.verify(credential) };
  }

  /** `POST /conversations`: a token scoped to a conversation gives that conversation back; a secret starts one. */
  startConversation(principal: Principal, body: unknown, streamBase: string): ConversationResponse {
    const start = parseBody(startConversationSchema, body);
    if (principal.kind === 'token') {
      const { conv, user } = principal.claims;
      // A valid token whose conversation is gone (memory store after a restart) starts it again, same id and user.
      if (!this.deps.store.getConversation(conv)) this.createConversation(conv, user, start.locale);
      const issued = this.tokens.issue(conv, user);
      return { conversationId: conv, token: issued.token, expires_in: issued.expiresIn, streamUrl: this.streamUrl(streamBase, conv, 0) };
    }
    const conversation = this.createConversation(newId(), userIdFrom(start), start.locale);
    const issued = this.tokens.issue(conversation.id, conversation.userId);
    return {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: this.streamUrl(streamBase, conversation.id, 0),
    };
  }

  /** `POST /tokens/generate` (secret only): a new conversation and a token for it. */
  generateToken(principal: Principal, body: unknown): ConversationResponse {
    if (principal.kind !== 'secret') {
      throw new DirectLineError(403, 'FORBIDDEN', 'tokens/generate needs the Direct Line secret, not a token');
    }
    const start = parseBody(startConversationSchema, body);
    const conversation = this.createConversation(newId(), userIdFrom(start), start.locale);
    const issued = this.tokens.issue(conversation.id, conversation.userId);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expiresIn };
  }

  /**
   * A token for a web page (no secret): a new conversation in `locale`, or, given a token this server issued
   * earlier (even expired, within 30 days), the same conversation and user again.
   * @throws {DirectLineError} 403 when `previousToken` is forged or too old.
   */
  issueWidgetToken(locale: string | undefined, previousToken: string | undefined): WidgetTokenResponse {
    let userId = `dl_${newId()}`;
    if (previousToken) {
      const claims = this.tokens.verify(previousToken, RESUME_GRACE_SECONDS);
      if (this.deps.store.getConversation(claims.conv)) {
        const issued = this.tokens.issue(claims.conv, claims.user);
        return { conversationId: claims.conv, token: issued.token, expires_in: issued.expiresIn, userId: claims.user };
      }
      // The conversation is gone: a new one, but the seller keeps their user id.
      userId = claims.user;
    }
    const conversation = this.createConversation(newId(), userId, locale);
    const issued = this.tokens.issue(conversation.id, conversation.userId);
    return {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      userId: conversation.userId,
    };
  }

  /** `GET /conversations/{id}?watermark=`: a fresh token and a stream URL that replays after the watermark. */
  resumeConversation(principal: Principal, conversationId: string, watermark: unknown, streamBase: string): ConversationResponse {
    const conversation = this.authorize(principal, conversationId);
    const after = parseBody(watermarkSchema, watermark, 'BAD_WATERMARK');
    const issued = this.tokens.issue(conversation.id, conversation.userId);
    return {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: this.streamUrl(streamBase, conversation.id, after),
    };
  }

  /** `POST /tokens/refresh`: the same conversation and user, a later expiry. */
  refreshToken(principal: Principal): ConversationResponse {
    if (principal.kind !== 'token') {
      throw new DirectLineError(400, 'BAD_REQUEST', 'tokens/refresh needs a token, not the secret');
    }
    const { conv, user } = principal.claims;
    const issued = this.tokens.issue(conv, user);
    return { conversationId: conv, token: issued.token, expires_in: issued.expiresIn };
  }

  /** `GET /conversations/{id}/activities?watermark=` (polling). */
  getActivities(principal: Principal, conversationId: string, watermark: unknown): { activities: Partial<Activity>[]; watermark: string } {
    this.authorize(principal, conversationId);
    const after = parseBody(watermarkSchema, watermark, 'BAD_WATERMARK');
    const visible = this.visibleWatermark(conversationId);
    const page = this.visibleAfter(conversationId, after, visible);
    const last = page.length > 0 ? page[page.length - 1]!.watermark : Math.min(after, visible);
    return { activities: page.map((entry) => entry.activity), watermark: String(last) };
  }

  /**
   * `POST /conversations/{id}/activities`: stores and echoes the seller's activity (with a typing indicator for
   * messages), answers its id once the activity is on disk, and queues the bot turn.
   */
  async postActivity(principal: Principal, conversationId: string, body: unknown): Promise<{ id: string }> {
    const conversation = this.authorize(principal, conversationId);
    const incoming = parseBody(incomingActivitySchema, body, 'BAD_ACTIVITY');
    if (incoming.type === ActivityTypes.Typing) return { id: `${conversationId}|typing` };
    if (this.queue.pending(conversationId) + (this.live.get(conversationId)?.inFlight ?? 0) >= MAX_PENDING_TURNS) {
      throw new DirectLineError(429, 'TOO_MANY_REQUESTS', 'too many messages at once; wait for the replies');
    }
    // attachments is always empty here (the schema refuses any)
    const { from, attachments: _none, ...fields } = incoming;
    const activity: Partial<Activity> = {
      ...fields,
      channelId: CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: conversation.userId, name: from?.name ?? '', role: 'user' },
      recipient: this.botAccount,
      locale: incoming.locale ?? conversation.locale,
    };
    const live = this.liveFor(conversationId);
    try {
      const id = this.append(conversationId, activity, live);
      const watermark = live.lastWatermark;
      // Acknowledged only once on disk. Messages stored in the same event-loop pass (from every conversation) share
      // one commit; a commit per message was the largest single cost of a turn. Waiters resolve in append order,
      // so the echoes and turns of one conversation still follow its history.
      await this.settle(conversationId, live);
      this.echo(conversationId, activity, id, watermark, live);
      return { id };
    } finally {
      // A failed append or commit must not leave the entry behind (the queued turn keeps it while it runs).
      this.release(conversationId);
    }
  }

  /** Pushes the seller's stored activity back (with a typing indicator for a message) and queues its turn. */
  private echo(conversationId: string, activity: Partial<Activity>, id: string, watermark: number, live: LiveConversation): void {
    const frame: Partial<Activity>[] = [activity];
    if (activity.type === ActivityTypes.Message) {
      frame.push({
        type: ActivityTypes.Typing,
        id: `${id}|typing`,
        timestamp: activity.timestamp,
        channelId: CHANNEL_ID,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        from: this.botAccount,
        recipient: activity.from,
      });
    }
    this.push(live, frame, watermark);
    void this.enqueueTurn(conversationId, { ...activity, from: { ...activity.from! } });
  }

  /**
   * Checks a stream ticket from a WebSocket URL (single use).
   * @throws {DirectLineError} 403 BAD_STREAM_TICKET.
   */
  redeemStreamTicket(conversationId: string, ticket: string | undefined): StreamTicket {
    const found = ticket ? this.tickets.redeem(ticket, conversationId) : undefined;
    if (!found) throw new DirectLineError(403, 'BAD_STREAM_TICKET', 'the stream URL is used or expired; resume the conversation');
    return found;
  }

  /**
   * Attaches an open stream: first sends the history after `watermark`, then every new frame.
   * Both happen in one synchronous step, so nothing can be missed or sent twice.
   * @returns a function that detaches the stream.
   */
  attachStream(conversationId: string, watermark: number, sink: StreamSink): () => void {
    if (this.closed) {
      sink.close(1001, 'server shutting down');
      return () => undefined;
    }
    const live = this.liveFor(conversationId);
    let after = watermark;
    for (;;) {
      const page = this.visibleAfter(conversationId, after, live.pushed);
      if (page.length === 0) break;
      after = page[page.length - 1]!.watermark;
      sink.send(frameOf(page.map((entry) => entry.activity), after));
    }
    live.sinks.add(sink);
    return () => {
      live.sinks.delete(sink);
      this.release(conversationId);
    };
  }

  /** {@inheritDoc ConversationGateway.deliver} */
  async deliver(conversationId: string, activity: Partial<Activity>): Promise<string> {
    const conversation = this.deps.store.getConversation(conversationId);
    if (!conversation) throw new ConversationNotFoundError(conversationId);
    if (activity.type === ActivityTypes.Trace) throw new RangeError('deliver(): trace activities never reach the seller');
    try {
      const [id] = await this.publish(conversationId, [
        { type: ActivityTypes.Message, from: this.botAccount, ...activity, recipient: { id: conversation.userId, name: '', role: 'user' } },
      ]);
      return id!;
    } finally {
      this.release(conversationId);
    }
  }

  /** {@inheritDoc ConversationGateway.dispatchEvent} */
  async dispatchEvent(conversationId: string, name: string, value: unknown): Promise<void> {
    const conversation = this.deps.store.getConversation(conversationId);
    if (!conversation) throw new ConversationNotFoundError(conversationId);
    await this.enqueueTurn(conversationId, {
      type: ActivityTypes.Event,
      name,
      value,
      id: `${conversationId}|event-${newId()}`,
      timestamp: new Date(this.now()),
      channelId: CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: this.botAccount,
      locale: this.currentLocale(conversation),
    }, SERVER_EVENT_TURN);
  }

  /**
   * Runs the turns of seller activities that were stored (and acknowledged) before a crash but never
   * reached the bot, oldest first per conversation; their replies are stored and shown on reconnect.
   */
  async replay(unanswered: readonly { conversationId: string; activity: Partial<Activity> }[]): Promise<void> {
    const turns = unanswered
      .filter(({ conversationId }) => this.deps.store.getConversation(conversationId) !== undefined)
      .map(({ conversationId, activity }) => this.enqueueTurn(conversationId, activity));
    await Promise.all(turns);
  }

  /** Closes every stream and waits for running turns. */
  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) for (const sink of live.sinks) sink.close(1001, 'server shutting down');
    await this.queue.drain();
  }

  /** Number of conversations with in-memory state (open streams, turns or commits under way; diagnostics, tests). */
  get liveConversations(): number {
    return this.live.size;
  }

  /** Number of open streams (diagnostics, tests). */
  get openStreams(): number {
    let count = 0;
    for (const live of this.live.values()) count += live.sinks.size;
    return count;
  }

  private createConversation(id: string, userId: string, locale: string | undefined): StoredConversation {
    const conversation: StoredConversation = {
      id,
      userId,
      locale: toSupportedLocale(locale, this.deps.config.DEFAULT_LOCALE),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.deps.store.createConversation(conversation);
    // The welcome runs now: its reply is stored and replayed when the client opens its stream.
    void this.enqueueTurn(id, {
      type: ActivityTypes.ConversationUpdate,
      id: `${id}|start`,
      timestamp: new Date(this.now()),
      channelId: CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: { id, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: userId, name: '', role: 'user' },
      recipient: this.botAccount,
      membersAdded: [{ id: userId, name: '', role: 'user' }],
      locale: conversation.locale,
    });
    return conversation;
  }

  private authorize(principal: Principal, conversationId: string): StoredConversation {
    if (principal.kind === 'token' && principal.claims.conv !== conversationId) {
      throw new DirectLineError(403, 'FORBIDDEN', 'the token belongs to another conversation');
    }
    const conversation = this.deps.store.getConversation(conversationId);
    if (!conversation) throw new DirectLineError(404, 'CONVERSATION_NOT_FOUND', 'no such conversation');
    return conversation;
  }

  private enqueueTurn(conversationId: string, activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void> {
    return this.queue
      .run(conversationId, () => this.adapter.runTurn(activity, (context) => this.deps.bot.run(context), turnState))
      .catch((error: unknown) => {
        // runMiddleware already gave the error to onTurnError; this is onTurnError itself failing.
        this.deps.logger.error({ err: error, conversation: conversationId }, 'enqueueTurn(): turn failed');
      })
      .finally(() => this.release(conversationId));
  }

  /** The adapter's sink: stores the bot's batch and pushes it as one frame. */
  private publishFromBot(conversationId: string, activities: Partial<Activity>[]): Promise<string[]> {
    return this.publish(conversationId, activities);
  }

  /** Appends the activities, waits until they are on disk (one commit for the batch), then pushes one frame. */
  private async publish(conversationId: string, activities: Partial<Activity>[]): Promise<string[]> {
    const live = this.liveFor(conversationId);
    const stored: Partial<Activity>[] = [];
    const ids: string[] = [];
    for (const activity of activities) {
      const outgoing: Partial<Activity> = {
        ...activity,
        channelId: CHANNEL_ID,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      };
      ids.push(this.append(conversationId, outgoing, live));
      stored.push(outgoing);
    }
    const watermark = live.lastWatermark;
    await this.settle(conversationId, live);
    this.push(live, stored, watermark);
    return ids;
  }

  /**
   * Waits for the commit of what was just appended. The caller pushes right after, in append order (waiters
   * resolve first in, first out). When the commit failed, the store rolled back: the live watermark is read again.
   */
  private async settle(conversationId: string, live: LiveConversation): Promise<void> {
    live.inFlight += 1;
    try {
      await this.deps.store.durable();
    } catch (error) {
      this.rolledBack(conversationId, live);
      throw error;
    } finally {
      live.inFlight -= 1;
    }
  }

  /** After a failed commit the store lost the batch: the live watermarks are read again. */
  private rolledBack(conversationId: string, live: LiveConversation): void {
    live.lastWatermark = this.deps.store.lastWatermark(conversationId);
    live.pushed = Math.min(live.pushed, live.lastWatermark);
  }

  /** Watermark up to which the history may be shown: all of it unless something is waiting for its commit. */
  private visibleWatermark(conversationId: string): number {
    return this.live.get(conversationId)?.pushed ?? this.deps.store.lastWatermark(conversationId);
  }

  /** A page of history after `after`, without what is not yet on disk. */
  private visibleAfter(conversationId: string, after: number, visible: number): StoredActivity[] {
    if (after >= visible) return [];
    return this.deps.store.activitiesAfter(conversationId, after, Math.min(HISTORY_PAGE, visible - after));
  }

  /** Gives the activity its id and timestamp and appends it; must run before the activity is acknowledged. */
  private append(conversationId: string, activity: Partial<Activity>, live: LiveConversation): string {
    const id = `${conversationId}|${String(live.lastWatermark + 1).padStart(7, '0')}`;
    const timestamp = Math.max(this.now(), live.lastTimestamp + 1);
    live.lastTimestamp = timestamp;
    activity.id = id;
    activity.timestamp = new Date(timestamp);
    live.lastWatermark = this.deps.store.appendActivity(conversationId, activity);
    return id;
  }

  private push(live: LiveConversation, activities: Partial<Activity>[], watermark: number): void {
    live.pushed = Math.max(live.pushed, watermark);
    if (live.sinks.size === 0) return;
    const frame = frameOf(activities, watermark);
    for (const sink of live.sinks) sink.send(frame);
  }

  private liveFor(conversationId: string): LiveConversation {
    let live = this.live.get(conversationId);
    if (!live) {
      // No entry means nothing is waiting for a commit (see release), so the whole history is visible.
      const last = this.deps.store.lastWatermark(conversationId);
      live = { sinks: new Set(), lastTimestamp: 0, lastWatermark: last, pushed: last, inFlight: 0 };
      this.live.set(conversationId, live);
    }
    return live;
  }

  // Idle conversations keep no live entry, so 10k idle conversations cost only their stored history.
  private release(conversationId: string): void {
    const live = this.live.get(conversationId);
    if (live && live.sinks.size === 0 && live.inFlight === 0 && this.queue.pending(conversationId) === 0) {
      this.live.delete(conversationId);
    }
  }

  private streamUrl(streamBase: string, conversationId: string, watermark: number): string {
    const ticket = this.tickets.issue(conversationId, watermark);
    return `${streamBase}/conversations/${encodeURIComponent(conversationId)}/stream?t=${ticket}`;
  }

  /** The locale of the seller's latest activity, for turns the seller did not start. */
  private currentLocale(conversation: StoredConversation): string {
    const last = this.deps.store.lastWatermark(conversation.id);
    const recent = this.deps.store.activitiesAfter(conversation.id, Math.max(0, last - 50));
    for (let i = recent.length - 1; i >= 0; i--) {
      const activity = recent[i]!.activity;
      if (activity.from?.role === 'user' && activity.locale) return activity.locale;
    }
    return conversation.locale;
  }
}

function frameOf(activities: Partial<Activity>[], watermark: number): string {
  return JSON.stringify({ activities, watermark: String(watermark) });
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

function userIdFrom(start: StartConversationBody): string {
  return start.user?.id ?? `dl_${newId()}`;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseBody<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
  code: 'BAD_REQUEST' | 'BAD_ACTIVITY' | 'BAD_WATERMARK' = 'BAD_REQUEST',
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  throw new DirectLineError(400, code, `${where}${issue?.message ?? 'invalid input'}`);
}
