import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: Debian's Chromium drives the built web app served by a real server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
