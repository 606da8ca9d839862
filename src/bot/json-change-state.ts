import { BotState, ConversationState, UserState, type Storage, type StorageKeyFactory, type TurnContext } from 'botbuilder';

/** What BotState keeps in turn state for each state object (same shape as botbuilder's). */
interface CachedState {
  state: Record<string, unknown>;
  hash: string;
}

/**
 * Change detection for bot state with one serialisation on load and one before saving.
 *
 * botbuilder's BotState fingerprints the state on load, before saving and again after writing, each time with
 * botbuilder-stdlib's stringify (a replacer called on every key) followed by SHA-256: a few percent of a whole
 * turn. This bot's state is plain JSON (storage serialises it as such), so the JSON text itself is the fingerprint.
 * The cache entry in turn state is botbuilder's own ({ state, hash } under the instance's key), so BotState's other
 * methods (property accessors, clear, delete) work unchanged.
 */
class JsonChangeCheck {
  private readonly cacheKey: symbol;

  constructor(
    owner: BotState,
    private readonly storage: Storage,
    private readonly storageKey: StorageKeyFactory,
  ) {
    const key = (owner as unknown as { stateKey?: unknown }).stateKey;
    // A botbuilder upgrade that renames the field must fail at start-up, not silently lose state.
    if (typeof key !== 'symbol') throw new Error('JsonChangeCheck: botbuilder BotState has no stateKey symbol');
    this.cacheKey = key;
  }

  async load(context: TurnContext, force: boolean): Promise<Record<string, unknown>> {
    const cached = context.turnState.get(this.cacheKey) as CachedState | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] as Record<string, unknown> | undefined) ?? {};
    context.turnState.set(this.cacheKey, { state, hash: fingerprint(state) } satisfies CachedState);
    return state;
  }

  async saveChanges(context: TurnContext, force: boolean): Promise<void> {
    let cached = context.turnState.get(this.cacheKey) as CachedState | undefined;
    const current = cached ? fingerprint(cached.state) : undefined;
    if (!force && (!cached || cached.hash === current)) return;
    cached ??= { state: {}, hash: '' };
    cached.state.eTag = '*';
    const key = await this.storageKey(context);
    await this.storage.write({ [key]: cached.state });
    cached.hash = current ?? fingerprint(cached.state);
    context.turnState.set(this.cacheKey, cached);
  }
}

function fingerprint(state: Record<string, unknown>): string {
  const { eTag: _ignored, ...rest } = state;
  return JSON.stringify(rest);
}

/** A botbuilder BotState class whose instances take the storage as first constructor argument (`any[]`: TypeScript requires it of a mixin base). */
type BotStateClass = new (...args: any[]) => BotState;

/** `Base` (ConversationState, UserState) with {@link JsonChangeCheck} in place of its own load and save. */
function withJsonChangeCheck<TBase extends BotStateClass>(Base: TBase) {
  return class extends Base {
    readonly #changes: JsonChangeCheck;

    constructor(...args: any[]) {
      super(...args);
      this.#changes = new JsonChangeCheck(this, args[0] as Storage, this.storageKey);
    }

    override load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
      return this.#changes.load(context, force);
    }

    override saveChanges(context: TurnContext, force = false): Promise<void> {
      return this.#changes.saveChanges(context, force);
    }
  };
}

/** botbuilder's ConversationState with {@link JsonChangeCheck}. */
export const JsonConversationState = withJsonChangeCheck(ConversationState);

/** botbuilder's UserState with {@link JsonChangeCheck}. */
export const JsonUserState = withJsonChangeCheck(UserState);
