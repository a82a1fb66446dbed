import { defineConfig } from 'vitest/config';

// Unit tests sit next to their code and need no servers. Integration tests share one throwaway stack of the real
// servers and services, started by the global setup on free ports (or an already running dev stack when
// ESIGN_TEST_STACK=dev).
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'workflows/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'workflows/test/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'examples/**/*.test.ts',
          ],
          globalSetup: ['./test/support/global-setup.ts'],
          setupFiles: ['./test/support/quiet-temporal.ts'],
          // One file at a time: they share one stack on a 2-core machine, and some stop and start services.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
