import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest test files the summary names. */
const SLOWEST_SHOWN = 12;

/**
 * Prints the slowest test files (import plus tests: where the run's budget goes), then the
 * plain closing line `tests: N passed, N failed[, N skipped]` that CI reads, after vitest's
 * own summary. A run that executed no test counts as a failure.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (testModule.state() === 'failed' && testModule.children.size === 0) failed++;
    }
    printSlowest(testModules);
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${tail}\n`);
    if (passed + failed === 0) process.exitCode = 1;
  }
}

function printSlowest(testModules: ReadonlyArray<TestModule>): void {
  const timed = testModules.map((testModule) => {
    const diagnostic = testModule.diagnostic();
    return {
      name: `${testModule.project.name}/${testModule.relativeModuleId}`,
      seconds: (diagnostic.collectDuration + diagnostic.duration) / 1000,
    };
  });
  timed.sort((a, b) => b.seconds - a.seconds);
  const lines = timed
    .slice(0, SLOWEST_SHOWN)
    .map(({ name, seconds }) => `  ${seconds.toFixed(1).padStart(7)} s  ${name}`);
  if (lines.length > 0) process.stdout.write(`\nslowest test files:\n${lines.join('\n')}\n`);
}

export default SummaryReporter;
