import type { Activity } from 'botbuilder';
import type { Stores } from '../../src/storage/stores.js';

/** Clock of the seeded data: the real time, so that a server started by a test judges ages as the test does. */
export const NOW = Date.now();
export const daysAgo = (days: number): Date => new Date(NOW - days * 86_400_000);

/** Everything a real conversation leaves behind, written through the stores' own interfaces. */
export async function seedConversation(
  stores: Stores,
  options: { id: string; user: string; ageDays: number; text: string; phone: string },
): Promise<void> {
  const { id, user, ageDays, text, phone } = options;
  const when = daysAgo(ageDays);
  const iso = when.toISOString();
  await stores.conversations.createConversation({ id, userId: user, locale: 'zh-CN', createdAt: iso });
  const activities: Partial<Activity>[] = [
    { type: 'message', id: `${id}|1`, text, from: { id: user, name: '', role: 'user' } },
    { type: 'message', id: `${id}|2`, text: '诚信通和速卖通没有系统绑定', from: { id: 'bot', name: 'bot', role: 'bot' } },
  ];
  for (const [n, activity] of activities.entries()) {
    const stamped = { ...activity, timestamp: new Date(when.getTime() + n * 1000), channelId: 'directline', conversation: { id, isGroup: false, conversationType: 'personal', name: '' } };
    const [stored] = await stores.conversations.append(id, [stamped], when.getTime() + n * 1000, activity.from?.role === 'user');
    await stores.transcripts.logActivity({ ...stamped, id: stored!.activity.id } as Activity);
  }
  await stores.handoff.conversations.touch(
    {
      conversationId: id,
      channelId: 'directline',
      locale: 'zh-CN',
      handoffState: 'closed',
      assignedAgent: 'alice',
      createdAt: iso,
      lastActivityAt: iso,
      waitingSince: null,
      handoffRequestedAt: iso,
      caseSummary: null,
      lastSellerText: text,
      reference: null,
    },
    () => ({}),
  );
  await stores.handoff.recognitions.append({ conversationId: id, activityId: `${id}|1`, text, intent: 'none', score: 0.1, ambiguous: false, at: iso });
  await stores.handoff.callbacks.add({ id: `cb-${id}`, conversationId: id, name: '王先生', phone, locale: 'zh-CN', createdAt: iso, status: 'open', handledBy: null });
  await stores.handoff.ratings.add({ id: `r-${id}`, conversationId: id, score: 4, agent: 'alice', createdAt: iso });
  await stores.storage.write({
    [`directline/conversations/${id}/ConversationState`]: { dialogStack: [], answers: { account: text } },
    [`directline/users/${user}/UserState`]: { locale: 'zh-CN' },
  });
}

/** A seller whose conversation ended 40 days before NOW. */
export const SELLER_A = { id: 'conv-a', user: 'seller-a', ageDays: 40, text: '我的手机13812345678，要注销', phone: '13812345678' };
/** A seller active the day before NOW. */
export const SELLER_B = { id: 'conv-b', user: 'seller-b', ageDays: 1, text: '怎么解绑诚信通', phone: '13998765432' };

