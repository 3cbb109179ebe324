import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test`: unit, integration and API tests on embedded PGlite; no services needed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/api/**/*.test.ts'],
    exclude: ['**/*.pg.test.ts', 'node_modules/**'],
    // One migrated database per run, which every test database is cloned from.
    globalSetup: ['test/support/global-setup.ts'],
    // Hang detectors only: no test may fail because the machine is busy, so these are far above
    // any test's run time on a loaded machine (tests bound their work by counts, not by time).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine.
    // Test files wait on PGlite as much as they compute, so two files at once finish sooner.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
