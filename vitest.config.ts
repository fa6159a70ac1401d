import { defineConfig } from 'vitest/config';

// One run covers every package so that `npm test` ends with a single summary.
// Packages resolve each other's TypeScript sources through the custom export condition,
// so tests never depend on a stale build.
const sourceConditions = ['@expert-dispatch/source'];

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        resolve: { conditions: sourceConditions },
        ssr: { resolve: { conditions: sourceConditions } },
        test: { name: 'rules', root: './packages/rules', include: ['src/**/*.test.ts'] },
      },
      {
        resolve: { conditions: sourceConditions },
        ssr: { resolve: { conditions: sourceConditions } },
        test: {
          name: 'matcher',
          root: './packages/matcher',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { conditions: sourceConditions },
        ssr: { resolve: { conditions: sourceConditions } },
        test: {
          name: 'service',
          root: './packages/service',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'packaging',
          root: './test',
          include: ['**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
