import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What `npm run bench:channel` measures; flags win over the older BENCH_* environment variables. */
export interface ChannelBenchOptions {
  /** Concurrent conversations (closed-loop workers, and the conversations an open-loop load spreads over). */
  readonly conversations: number;
  /** Measured seconds per phase, after the warm-up. */
  readonly seconds: number;
  /** Idle conversations of the memory phase (0: skip it). */
  readonly idle: number;
  readonly storage: 'sqlite' | 'memory' | 'postgres';
  /** Server processes; above 1 they share one PostgreSQL schema, as instances behind a load balancer. */
  readonly instances: number;
  /** Offered load of the fixed-load phase, turns per second (open-loop arrivals); undefined: no such phase. */
  readonly rate?: number;
  /** `bot`: only the real bot's load; `idle`: only the idle-memory phase; undefined: everything. */
  readonly only?: 'bot' | 'idle';
  /** Print one `BENCH_RESULT {json}` line at the end, for `npm run bench:cluster`. */
  readonly json: boolean;
}

const USAGE = `usage: npm run bench:channel -- [--storage sqlite|memory|postgres] [--instances N] [--rate TURNS_PER_S]
                                  [--conversations N] [--seconds S] [--idle N] [--only bot|idle] [--json]`;

const schema = z
  .object({
    conversations: z.coerce.number().int().min(1).max(10_000),
    seconds: z.coerce.number().positive().max(3600),
    idle: z.coerce.number().int().min(0).max(100_000),
    storage: z.enum(['sqlite', 'memory', 'postgres']),
    instances: z.coerce.number().int().min(1).max(16),
    rate: z.coerce.number().positive().max(100_000).optional(),
    only: z.enum(['bot', 'idle']).optional(),
    json: z.boolean(),
  })
  .refine((o) => o.instances === 1 || o.storage === 'postgres', { message: '--instances above 1 needs --storage postgres' });

/** Reads the flags (and, for compatibility, BENCH_N, BENCH_SECONDS, BENCH_IDLE, BENCH_STORAGE, BENCH_ONLY). */
export function parseChannelBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ChannelBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      storage: { type: 'string' },
      instances: { type: 'string' },
      rate: { type: 'string' },
      conversations: { type: 'string' },
      seconds: { type: 'string' },
      idle: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const parsed = schema.safeParse({
    conversations: values.conversations ?? env.BENCH_N ?? 50,
    seconds: values.seconds ?? env.BENCH_SECONDS ?? 10,
    idle: values.idle ?? env.BENCH_IDLE ?? 10_000,
    storage: values.storage ?? (env.BENCH_STORAGE || 'sqlite'),
    instances: values.instances ?? 1,
    rate: values.rate,
    only: values.only ?? (env.BENCH_ONLY || undefined),
    json: values.json ?? false,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') ? `--${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid option'}\n${USAGE}`);
  }
  return parsed.data;
}
