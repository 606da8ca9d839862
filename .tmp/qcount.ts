import pg from 'pg';
import { parseConfig } from '../src/config.js';
import { buildApp } from '../src/app.js';
import type { DirectLineChannel } from '../src/channels/directline/directline-channel.js';

const counts = new Map<string, number>();
const orig = pg.Client.prototype.query;
let counting = false;
(pg.Client.prototype as any).query = function (this: any, ...args: any[]) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?';
  if (counting) {
    const key = String(text).replace(/\s+/g, ' ').slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return (orig as any).apply(this, args);
};
const schema = `qcount_${Date.now()}`;
const app = await buildApp(parseConfig({ STORAGE: (process.env.QSTORE ?? 'postgres') as 'postgres', DATA_DIR: '/tmp/qcount-data', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', DATABASE_SCHEMA: schema, LOG_LEVEL: 'silent', PORT: '0', DIRECTLINE_SECRET: 'qcount-secret-0123456789' }));
const channel = app.gateway as DirectLineChannel;
const { conversationId, token } = await channel.issueWidgetToken('zh-CN', undefined);
const principal = channel.authenticate(`Bearer ${token}`);
const frames: string[] = [];
channel.attachStream(conversationId, 0, { send: (f) => frames.push(f), close: () => undefined });
await new Promise((r) => setTimeout(r, 1000));
counting = true;
const N = Number(process.env.QN ?? 20);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) {
  const before = frames.length;
  await channel.postActivity(principal, conversationId, { type: 'message', text: i % 2 ? '速卖通关店一般要多久' : '诚信通能一键解绑速卖通吗' });
  while (!frames.slice(before).some((f) => f.includes('"replyToId"'))) await new Promise((r) => setTimeout(r, 2));
}
const cpu = process.cpuUsage(cpu0);
counting = false;
console.log(`per turn: ${((performance.now() - t0) / N).toFixed(1)} ms wall, ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms cpu`);
let total = 0;
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) { total += v; console.log((v / N).toFixed(2), k); }
console.log('total queries per turn', (total / N).toFixed(1));
await app.close();
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }); await c.connect(); await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end();
