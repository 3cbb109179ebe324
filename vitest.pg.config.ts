import { defineConfig } from 'vitest/config';

// `npm run test:pg`: the integration suite on a real PostgreSQL server (DATABASE_URL), plus the
// concurrency and crash tests that need many connections.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/api/**/*.test.ts', 'test/pg/**/*.pg.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    env: { TEST_DATABASE: 'postgres' },
  },
});
