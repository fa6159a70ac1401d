import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// One run covers every package so that `npm test` ends with a single summary.
const sourceConditions = ['@expert-dispatch/source'];

/**
 * A package's test project. Packages resolve each other's TypeScript sources through the
 * custom export condition, so tests never depend on a stale build.
 */
function packageProject(
  name: string,
  test: Omit<NonNullable<TestProjectInlineConfiguration['test']>, 'name' | 'root'> = {},
): TestProjectInlineConfiguration {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name,
      root: `./packages/${name}`,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      ...test,
    },
  };
}

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    // The suites mostly wait on PostgreSQL, Redis, timers and child processes, and each file has
    // its own database and key prefix: four files at a time keep the run well under 20 minutes on
    // 2 cores (one at a time, vitest's default there, took 19 minutes before the suite doubled).
    maxWorkers: 4,
    projects: [
      packageProject('rules'),
      packageProject('matcher', { testTimeout: 60_000 }),
      packageProject('verify', { testTimeout: 60_000 }),
      packageProject('service', { testTimeout: 60_000, hookTimeout: 60_000 }),
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
