import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // DATABASE_URL, or an embedded PostgreSQL for the run (the PostgreSQL storage tests never skip).
    globalSetup: ['tests/setup/postgres.global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Browser and server-process tests share the 2-core machine; keep parallelism modest.
    maxWorkers: 2,
  },
});
