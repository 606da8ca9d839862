import { ConversationState, MemoryStorage, TestAdapter, UserState, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { JsonConversationState, JsonUserState } from '../../src/bot/json-change-state.js';

/** botbuilder's MemoryStorage, recording which keys each write carried. */
class RecordingStorage extends MemoryStorage {
  readonly writes: string[][] = [];
  override write(changes: StoreItems): Promise<void> {
    this.writes.push(Object.keys(changes));
    return super.write(changes);
  }
}

// botbuilder's own classes run the same tests: the cheaper change check must not change what gets written.
const implementations = [
  ['JsonConversationState / JsonUserState', JsonConversationState, JsonUserState],
  ['botbuilder ConversationState / UserState (reference)', ConversationState, UserState],
] as const;

describe.each(implementations)('%s', (_name, Conversation, User) => {
  it('keeps state across turns and writes only the turns that changed it', async () => {
    const storage = new RecordingStorage();
    const conversation = new Conversation(storage);
    const user = new User(storage);
    const turns = conversation.createProperty<number>('turns');
    const name = user.createProperty<string>('name');
    const adapter = new TestAdapter(async (context) => {
      const text = context.activity.text ?? '';
      if (text.startsWith('name ')) await name.set(context, text.slice(5));
      if (text !== 'peek') await turns.set(context, (await turns.get(context, 0)) + 1);
      await context.sendActivity(`${await turns.get(context, 0)} ${await name.get(context, '?')}`);
      await conversation.saveChanges(context);
      await user.saveChanges(context);
    });
    await adapter
      .send('hi').assertReply('1 ?')
      .send('name 李').assertReply('2 李')
      .send('peek').assertReply('2 李')
      .send('again').assertReply('3 李')
      .startTest();
    const kinds = storage.writes.map((keys) => keys.map((key) => (key.includes('/users/') ? 'user' : 'conversation')));
    // get() with a default stores it (botbuilder's accessor), so turn 1 writes both; 'peek' changed nothing.
    expect(kinds).toEqual([['conversation'], ['user'], ['conversation'], ['user'], ['conversation']]);
  });

  it('writes cleared state, and force writes unchanged state', async () => {
    const storage = new RecordingStorage();
    const conversation = new Conversation(storage);
    const flag = conversation.createProperty<boolean>('flag');
    const adapter = new TestAdapter(async (context) => {
      if (context.activity.text === 'set') await flag.set(context, true);
      if (context.activity.text === 'clear') await conversation.clear(context);
      await conversation.saveChanges(context, context.activity.text === 'force');
      await context.sendActivity(String(await flag.get(context, false)));
    });
    await adapter.send('set').assertReply('true').send('clear').assertReply('false').send('look').assertReply('false').send('force').assertReply('false').startTest();
    expect(storage.writes).toHaveLength(3);
  });
});
