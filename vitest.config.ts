import { defineConfig } from 'vitest/config';

// `npm test`: unit, integration and API tests on embedded PGlite; no services needed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/api/**/*.test.ts'],
    exclude: ['**/*.pg.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
