import { afterEach, describe, expect, it } from 'vitest';
import { DirectLine, RecordingClient, type SeenActivity } from '../channels/helpers/directline-client.js';
import { localeText, request, startTestServer, type TestServer } from '../channels/helpers/test-server.js';
import { signIn } from '../console/console-harness.js';

const ADMIN_PASSWORD = 'admin-password-1';
const zh = (ns: string, key: string) => localeText('zh-CN', ns, key);
const isBotText = (text: string) => (a: SeenActivity) => a.type === 'message' && a.from.role === 'bot' && (a.text ?? '').includes(text);

/** A weekday window that does not include now in Asia/Shanghai (the default OFFICE_TIMEZONE). */
function closedOfficeHours(): string {
  const today = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(new Date());
  const index = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(today);
  const other = ((index + 3) % 7) + 1; // two days later, 1..7
  return `${other}-${other} 09:00-10:00`;
}

let server: TestServer | undefined;
let seller: RecordingClient | undefined;
afterEach(async () => {
  seller?.end();
  await server?.close();
});

async function connectSeller(s: TestServer): Promise<RecordingClient> {
  const res = await request(`${s.domain}/tokens/generate`, { token: s.secret, body: {} });
  expect(res.status).toBe(200);
  const client = new RecordingClient(new DirectLine({ domain: s.domain, token: (res.body as { token: string }).token, webSocket: true }));
  await client.waitFor((a) => a.type === 'message' && a.from.role === 'bot', 'welcome', 20_000);
  return client;
}

describe('handoff that finds no consultant: phone line and callback request, seen in the console', () => {
  it('no agent within HANDOFF_MAX_WAIT_SECONDS: the bot offers a callback, staff see the request', { timeout: 90_000 }, async () => {
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD, HANDOFF_MAX_WAIT_SECONDS: '1', CONSULTANT_PHONE: '13122891139' });
    seller = await connectSeller(server);
    await seller.say('我想找人工', 'c-1');
    await seller.waitFor(isBotText(zh('escalation', 'failed_no_agent')), 'no-agent message', 20_000);
    await seller.waitFor(isBotText('13122891139'), 'consultant phone line', 10_000);
    await seller.waitFor(isBotText(zh('escalation', 'offer_callback')), 'callback offer', 10_000);
    await seller.say(zh('escalation', 'callback_choice_yes'), 'c-2');
    await seller.waitFor(isBotText(zh('escalation', 'ask_name')), 'name prompt', 10_000);
    await seller.say('王先生', 'c-3');
    await seller.waitFor(isBotText(zh('escalation', 'ask_phone')), 'phone prompt', 10_000);
    await seller.say('138 0000 0000', 'c-4');
    await seller.waitFor(isBotText('王先生'), 'callback saved', 10_000);

    const staff = await signIn(server.base, 'admin', ADMIN_PASSWORD);
    await expect
      .poll(async () => ((await (await staff.get('/api/console/callbacks')).json()) as { callbacks: unknown[] }).callbacks, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ name: '王先生', phone: expect.stringMatching(/^138 ?0000 ?0000$/), status: 'open' })]);

    const { conversations } = (await (await staff.get('/api/console/conversations')).json()) as {
      conversations: Array<{ conversationId: string; handoffState: string; handoffRequestedAt: string | null }>;
    };
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({ handoffState: 'bot', handoffRequestedAt: expect.any(String) });
    const detail = (await (await staff.get(`/api/console/conversations/${encodeURIComponent(conversations[0]!.conversationId)}`)).json()) as {
      transcript: Array<{ type: string; name?: string; value?: unknown }>;
    };
    // handoff.initiate and handoff.status (failed) are both recorded in the transcript.
    expect(detail.transcript).toContainEqual(expect.objectContaining({ type: 'event', name: 'handoff.initiate' }));
    expect(detail.transcript).toContainEqual(
      expect.objectContaining({ type: 'event', name: 'handoff.status', value: { state: 'failed', reason: 'no_agent' } }),
    );
  });

  it('outside office hours the handoff fails at once with out_of_hours', { timeout: 60_000 }, async () => {
    server = await startTestServer({ CONSOLE_ADMIN_PASSWORD: ADMIN_PASSWORD, OFFICE_HOURS: closedOfficeHours() });
    seller = await connectSeller(server);
    const started = Date.now();
    await seller.say('我想找人工', 'c-1');
    const failed = await seller.waitFor(
      isBotText(zh('escalation', 'failed_out_of_hours').split('（')[0]!),
      'out-of-hours message',
      20_000,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // No queue place is announced when nobody can answer.
    expect(seller.activities.some((a) => (a.text ?? '').startsWith(zh('handoff', 'queue.position').slice(0, 4)))).toBe(false);
    expect(failed.text).toBeTruthy();
    const staff = await signIn(server.base, 'admin', ADMIN_PASSWORD);
    const { conversations } = (await (await staff.get('/api/console/conversations?status=queued')).json()) as { conversations: unknown[] };
    expect(conversations).toEqual([]);
  });
});
