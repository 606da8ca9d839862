import { randomBytes } from 'node:crypto';
import { ActivityTypes, type Activity, type ActivityHandler, type Middleware, type TurnContext } from 'botbuilder';
import type { ClusterBus } from '../../cluster/cluster-bus.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { toSupportedLocale } from '../../i18n/supported-locales.js';
import { SERVER_EVENT_KEY } from '../../handoff/server-event.js';
import { ConversationNotFoundError, type ConversationGateway } from '../conversation-gateway.js';
import type { AsyncConversationStore } from './async-conversation-store.js';
import { ChannelActivities } from './channel-activities.js';
import { ChannelAuth, type Principal } from './channel-auth.js';
import type { StoredActivity, StoredConversation } from './conversation-store.js';
import { DirectLineAdapter } from './directline-adapter.js';
import { StorageError } from '../../storage/storage-error.js';
import { DirectLineError } from './directline-error.js';
import { HistoryAnnouncements } from './history-announcements.js';
import {
  incomingActivitySchema,
  startConversationSchema,
  watermarkSchema,
  type StartConversationBody,
} from './incoming-activity.schema.js';
import { LeasedTurnRunner } from './leased-turn-runner.js';
import { LocalTurnRunner } from './local-turn-runner.js';
import { StreamHub, type StreamSink } from './stream-hub.js';
import { StreamTickets, type StreamTicket } from './stream-tickets.js';
import type { TurnLedger } from './turn-ledger.js';
import type { TurnRunner } from './turn-runner.js';

export type { Principal } from './channel-auth.js';
export type { StreamSink } from './stream-hub.js';

/** Collaborators of the channel, built by the composition root. */
export interface DirectLineChannelDeps {
  /** The same bot as `/api/messages`. */
  readonly bot: ActivityHandler;
  /** The same middleware list as `/api/messages`, complete at construction time. */
  readonly middleware: readonly Middleware[];
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  /** The history (durable when a write resolves). */
  readonly store: AsyncConversationStore;
  /**
   * Several instances on one database: the turn ledger (turns run where the conversation's lease is) and the bus
   * (history announcements for streams on other instances). Without them, this process is the only one.
   */
  readonly cluster?: { readonly ledger: TurnLedger; readonly bus: ClusterBus };
  readonly config: Config;
  readonly logger: Logger;
  /** The channel secret (see `resolveChannelSecret`). */
  readonly secret: string;
  /** Clock in milliseconds, replaceable in tests. */
  readonly now?: () => number;
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

/** Turn state of the turns {@link DirectLineChannel.dispatchEvent} starts: the server emitted their event. */
const SERVER_EVENT_TURN: ReadonlyMap<symbol, unknown> = new Map([[SERVER_EVENT_KEY, true]]);
/** More turns waiting than this for one conversation answers 429 (a client flooding its own conversation). */
const MAX_PENDING_TURNS = 16;
/** Page size of polling answers. */
const HISTORY_PAGE = 500;

/**
 * The self-hosted Direct Line 3.0 channel, independent of HTTP: the restify routes in src/server/ translate
 * requests into these calls. Its parts: {@link ChannelAuth} (who may do what), the history store (every
 * acknowledged activity is durable before it is answered or shown), {@link StreamHub} (streams, whichever instance
 * stored what they show) and a {@link TurnRunner} (bot turns one at a time per conversation, in history order).
 */
export class DirectLineChannel implements ConversationGateway {
  private readonly auth: ChannelAuth;
  private readonly tickets: StreamTickets;
  private readonly adapter: DirectLineAdapter;
  private readonly turns: TurnRunner;
  private readonly streams: StreamHub;
  private readonly announcements: HistoryAnnouncements | undefined;
  private readonly stopListening: () => void;
  /** Seller activities of a conversation being stored right now (with the turns waiting: the flood limit). */
  private readonly storing = new Map<string, number>();
  private readonly activities: ChannelActivities;
  private readonly now: () => number;
  private readonly store: AsyncConversationStore;
  private closed = false;

  constructor(private readonly deps: DirectLineChannelDeps) {
    this.now = deps.now ?? Date.now;
    this.store = deps.store;
    this.auth = new ChannelAuth(deps.secret, deps.config.DIRECTLINE_TOKEN_TTL_SECONDS, this.now);
    this.tickets = new StreamTickets(deps.secret, 60_000, this.now);
    this.activities = new ChannelActivities({ id: deps.config.MicrosoftAppId || 'cxt-bot', name: 'bot', role: 'bot' });
    this.adapter = new DirectLineAdapter((conversationId, activities) => this.publish(conversationId, activities));
    for (const middleware of deps.middleware) this.adapter.use(middleware);
    this.adapter.onTurnError = deps.onTurnError;
    const runTurn = (activity: Partial<Activity>, turnState?: ReadonlyMap<symbol, unknown>): Promise<void> =>
      this.adapter.runTurn(activity, (context) => deps.bot.run(context), turnState);
    this.streams = new StreamHub(
      (conversationId, after, limit) => this.store.activitiesAfter(conversationId, after, limit),
      deps.logger,
      (activity) => this.activities.typingAfter(activity),
    );
    if (deps.cluster) {
      const leaseMs = deps.config.DIRECTLINE_TURN_LEASE_SECONDS * 1000;
      this.turns = new LeasedTurnRunner({
        ledger: deps.cluster.ledger,
        store: this.store,
        runTurn,
        logger: deps.logger,
        leaseMs,
        sweepMs: Math.max(250, leaseMs / 2),
      });
      this.announcements = new HistoryAnnouncements(deps.cluster.bus, deps.logger);
      this.stopListening = this.announcements.listen(
        (conversationId, watermark) => this.streams.advanced(conversationId, watermark),
        () => this.streams.resync(),
      );
    } else {
      this.turns = new LocalTurnRunner(runTurn, deps.logger);
      this.stopListening = () => undefined;
    }
  }

  /**
   * Reads the `Authorization` header.
   * @throws {DirectLineError} 401 when missing, 403 when wrong or expired.
   */
  authenticate(authorization: string | undefined): Principal {
    return this.auth.authenticate(authorization);
  }

  /** `POST /conversations`: a token scoped to a conversation gives that conversation back; a secret starts one. */
  async startConversation(principal: Principal, body: unknown, streamBase: string): Promise<ConversationResponse> {
    const start = parseBody(startConversationSchema, body);
    let conversationId: string;
    let userId: string;
    if (principal.kind === 'token') {
      ({ conv: conversationId, user: userId } = principal.claims);
      // A valid token whose conversation is gone (memory store after a restart) starts it again, same id and user.
      if (!(await this.store.getConversation(conversationId))) await this.createConversation(conversationId, userId, start.locale);
    } else {
      ({ id: conversationId, userId } = await this.createConversation(newId(), userIdFrom(start), start.locale));
    }
    const issued = this.auth.issue(conversationId, userId);
    return { conversationId, token: issued.token, expires_in: issued.expiresIn, streamUrl: this.streamUrl(streamBase, conversationId, 0) };
  }

  /** `POST /tokens/generate` (secret only): a new conversation and a token for it. */
  async generateToken(principal: Principal, body: unknown): Promise<ConversationResponse> {
    if (principal.kind !== 'secret') {
      throw new DirectLineError(403, 'FORBIDDEN', 'tokens/generate needs the Direct Line secret, not a token');
    }
    const start = parseBody(startConversationSchema, body);
    const conversation = await this.createConversation(newId(), userIdFrom(start), start.locale);
    const issued = this.auth.issue(conversation.id, conversation.userId);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expiresIn };
  }

  /**
   * A token for a web page (no secret): a new conversation in `locale`, or, given a token this server issued
   * earlier (even expired, within 30 days), the same conversation and user again.
   * @throws {DirectLineError} 403 when `previousToken` is forged or too old.
   */
  async issueWidgetToken(locale: string | undefined, previousToken: string | undefined): Promise<WidgetTokenResponse> {
    let userId = `dl_${newId()}`;
    if (previousToken) {
      const claims = this.auth.previousPageToken(previousToken);
      if (await this.store.getConversation(claims.conv)) {
        const issued = this.auth.issue(claims.conv, claims.user);
        return { conversationId: claims.conv, token: issued.token, expires_in: issued.expiresIn, userId: claims.user };
      }
      // The conversation is gone: a new one, but the seller keeps their user id.
      userId = claims.user;
    }
    const conversation = await this.createConversation(newId(), userId, locale);
    const issued = this.auth.issue(conversation.id, conversation.userId);
    return { conversationId: conversation.id, token: issued.token, expires_in: issued.expiresIn, userId: conversation.userId };
  }

  /** `GET /conversations/{id}?watermark=`: a fresh token and a stream URL that replays after the watermark. */
  async resumeConversation(principal: Principal, conversationId: string, watermark: unknown, streamBase: string): Promise<ConversationResponse> {
    const conversation = await this.authorize(principal, conversationId);
    const after = parseBody(watermarkSchema, watermark, 'BAD_WATERMARK');
    const issued = this.auth.issue(conversation.id, conversation.userId);
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
    const issued = this.auth.issue(conv, user);
    return { conversationId: conv, token: issued.token, expires_in: issued.expiresIn };
  }

  /** `GET /conversations/{id}/activities?watermark=` (polling). */
  async getActivities(principal: Principal, conversationId: string, watermark: unknown): Promise<{ activities: Partial<Activity>[]; watermark: string }> {
    await this.authorize(principal, conversationId);
    const after = parseBody(watermarkSchema, watermark, 'BAD_WATERMARK');
    const page = await this.store.activitiesAfter(conversationId, after, HISTORY_PAGE);
    const last = page.at(-1)?.watermark ?? Math.min(after, await this.store.lastWatermark(conversationId));
    return { activities: page.map((entry) => entry.activity), watermark: String(last) };
  }

  /**
   * `POST /conversations/{id}/activities`: stores the seller's activity, answers its id once it is durable, shows it
   * on the streams (with a typing indicator for a message) and has its bot turn run.
   */
  async postActivity(principal: Principal, conversationId: string, body: unknown): Promise<{ id: string }> {
    const conversation = await this.authorize(principal, conversationId);
    const incoming = parseBody(incomingActivitySchema, body, 'BAD_ACTIVITY');
    if (incoming.type === ActivityTypes.Typing) return { id: `${conversationId}|typing` };
    const storing = this.storing.get(conversationId) ?? 0;
    if (this.turns.pending(conversationId) + storing >= MAX_PENDING_TURNS) throw tooManyMessages();
    const activity = this.activities.fromSeller(conversation, incoming);
    this.storing.set(conversationId, storing + 1);
    let stored: StoredActivity;
    try {
      // With several instances the store applies the same limit to the turns waiting anywhere, atomically.
      [stored] = (await this.store.append(conversationId, [activity], this.now(), true, MAX_PENDING_TURNS)) as [StoredActivity];
    } catch (error) {
      if (error instanceof StorageError && error.code === 'STORAGE_BACKLOG_FULL') throw tooManyMessages();
      throw error;
    } finally {
      const left = (this.storing.get(conversationId) ?? 1) - 1;
      if (left === 0) this.storing.delete(conversationId);
      else this.storing.set(conversationId, left);
    }
    this.shown(conversationId, [stored]);
    this.turns.sellerActivityStored(conversationId, { watermark: stored.watermark, activity: { ...stored.activity, from: { ...stored.activity.from! } } });
    return { id: stored.activity.id! };
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
   * Attaches an open stream: it gets the history after `watermark`, then every new activity, each once, in order.
   * @returns a function that detaches the stream.
   */
  attachStream(conversationId: string, watermark: number, sink: StreamSink): () => void {
    if (this.closed) {
      sink.close(1001, 'server shutting down');
      return () => undefined;
    }
    return this.streams.attach(conversationId, watermark, sink);
  }

  /** {@inheritDoc ConversationGateway.deliver} */
  async deliver(conversationId: string, activity: Partial<Activity>): Promise<string> {
    const conversation = await this.store.getConversation(conversationId);
    if (!conversation) throw new ConversationNotFoundError(conversationId);
    if (activity.type === ActivityTypes.Trace) throw new RangeError('deliver(): trace activities never reach the seller');
    const [id] = await this.publish(conversationId, [
      { type: ActivityTypes.Message, from: this.activities.bot, ...activity, recipient: { id: conversation.userId, name: '', role: 'user' } },
    ]);
    return id!;
  }

  /** {@inheritDoc ConversationGateway.dispatchEvent} */
  async dispatchEvent(conversationId: string, name: string, value: unknown): Promise<void> {
    const conversation = await this.store.getConversation(conversationId);
    if (!conversation) throw new ConversationNotFoundError(conversationId);
    const locale = await this.currentLocale(conversation);
    const event = this.activities.serverEvent(conversation, name, value, locale, new Date(this.now()));
    await this.turns.run(conversationId, event, SERVER_EVENT_TURN);
  }

  /**
   * Runs the turns of seller activities that were stored (and acknowledged) before a crash but never reached the
   * bot, oldest first per conversation; their replies are stored and shown on reconnect. (Several instances need
   * no replay: the turn ledger knows which activities wait, and the sweep runs them.)
   */
  async replay(unanswered: readonly { conversationId: string; activity: Partial<Activity> }[]): Promise<void> {
    const turns: Promise<void>[] = [];
    for (const { conversationId, activity } of unanswered) {
      if (await this.store.getConversation(conversationId)) turns.push(this.turns.run(conversationId, activity));
    }
    await Promise.all(turns);
  }

  /** Closes every stream and waits for running turns. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    this.streams.closeAll(1001, 'server shutting down');
    await this.turns.close();
  }

  /** Conversations with in-memory state here (open streams, activities being stored; diagnostics, tests). */
  get liveConversations(): number {
    return new Set([...this.streams.conversationIds(), ...this.storing.keys()]).size;
  }

  /** Number of open streams (diagnostics, tests). */
  get openStreams(): number {
    return this.streams.openStreams;
  }

  private async createConversation(id: string, userId: string, locale: string | undefined): Promise<StoredConversation> {
    const conversation: StoredConversation = {
      id,
      userId,
      locale: toSupportedLocale(locale, this.deps.config.DEFAULT_LOCALE),
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.store.createConversation(conversation);
    // The welcome runs now: its reply is stored and replayed when the client opens its stream.
    void this.turns.run(id, this.activities.welcome(conversation, new Date(this.now())));
    return conversation;
  }

  private async authorize(principal: Principal, conversationId: string): Promise<StoredConversation> {
    this.auth.checkConversation(principal, conversationId);
    const conversation = await this.store.getConversation(conversationId);
    if (!conversation) throw new DirectLineError(404, 'CONVERSATION_NOT_FOUND', 'no such conversation');
    return conversation;
  }

  /** The adapter's sink and the gateway's: stores the batch (one write), then shows it as one frame. */
  private async publish(conversationId: string, activities: Partial<Activity>[]): Promise<string[]> {
    const outgoing = activities.map((activity) => this.activities.outgoing(conversationId, activity));
    const stored = await this.store.append(conversationId, outgoing, this.now(), false);
    this.shown(conversationId, stored);
    return stored.map((entry) => entry.activity.id!);
  }

  /** Durable activities go to this instance's streams and are announced to the others. */
  private shown(conversationId: string, stored: readonly StoredActivity[]): void {
    this.streams.delivered(conversationId, stored);
    const last = stored.at(-1);
    if (last) this.announcements?.announce(conversationId, last.watermark);
  }

  private streamUrl(streamBase: string, conversationId: string, watermark: number): string {
    const ticket = this.tickets.issue(conversationId, watermark);
    return `${streamBase}/conversations/${encodeURIComponent(conversationId)}/stream?t=${ticket}`;
  }

  /** The locale of the seller's latest activity, for turns the seller did not start. */
  private async currentLocale(conversation: StoredConversation): Promise<string> {
    const last = await this.store.lastWatermark(conversation.id);
    const recent = await this.store.activitiesAfter(conversation.id, Math.max(0, last - 50));
    for (let i = recent.length - 1; i >= 0; i--) {
      const activity = recent[i]!.activity;
      if (activity.from?.role === 'user' && activity.locale) return activity.locale;
    }
    return conversation.locale;
  }
}

function tooManyMessages(): DirectLineError {
  return new DirectLineError(429, 'TOO_MANY_REQUESTS', 'too many messages at once; wait for the replies');
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

function userIdFrom(start: StartConversationBody): string {
  return start.user?.id ?? `dl_${newId()}`;
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
