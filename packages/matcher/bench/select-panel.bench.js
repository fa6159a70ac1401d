// Benchmark of one selectPanel draw on prepared synthetic pools, against a baseline measured in
// the same run: one plain pass over the same pool reading each expert's status and birth date.
// Run after building: `npm run build -w @expert-dispatch/rules -w @expert-dispatch/matcher`,
// then `npm run bench -w @expert-dispatch/matcher`.
import {
  generateHistory,
  generatePool,
  generateTask,
  prepareHistory,
  preparePool,
  selectPanel,
} from '../dist/index.js';

const NOW = '2026-03-01T09:00:00+08:00';
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const POLICIES = ['best', 'lottery', 'capped'];
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

function heapMb() {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function baselinePass(experts) {
  // Reads each expert's status and birth date, as the cheapest possible screening would.
  let count = 0;
  for (let i = 0; i < experts.length; i++) {
    const expert = experts[i];
    if (expert.status === 'active' && expert.birthDate > '1961-03-01') count++;
  }
  return count;
}

const rows = [];
const started = process.hrtime.bigint();
for (const size of SIZES) {
  const before = heapMb();
  const experts = generatePool({ size, seed: `bench-${size}`, now: NOW });
  const afterPool = heapMb();
  const preparedAt = process.hrtime.bigint();
  const pool = preparePool(experts);
  const prepareMs = Number(process.hrtime.bigint() - preparedAt) / 1e6;
  const afterPrepare = heapMb();
  const history = prepareHistory(
    generateHistory({ experts, seed: `bench-${size}`, now: NOW }),
    pool,
  );
  const task = generateTask({ seed: `bench-${size}`, now: NOW, experts });
  // The first draw of a day on a fresh history computes the task-independent score points.
  const coldMs = time(() => selectPanel({ task, experts: pool, history, now: NOW, seed: 'cold' }));
  const runs = size >= 100_000 ? 60 : 200;

  let sink = 0;
  for (let k = 0; k < 20; k++) sink += baselinePass(experts);
  const baseline = [];
  for (let k = 0; k < runs; k++)
    baseline.push(
      time(() => {
        sink += baselinePass(experts);
      }),
    );
  const baselineP50 = percentile(baseline, 50);

  for (const policy of POLICIES) {
    const input = (seed) => ({ task, experts: pool, history, now: NOW, seed, policy, cap: 0.2 });
    for (let k = 0; k < 10; k++) selectPanel(input(`warm-${k}`));
    const samples = [];
    let ok = 0;
    for (let k = 0; k < runs; k++) {
      let result;
      samples.push(
        time(() => {
          result = selectPanel(input(`draw-${k}`));
        }),
      );
      if (result.ok) ok++;
    }
    const p50 = percentile(samples, 50);
    rows.push({
      pool: size,
      policy,
      'p50 ms': p50.toFixed(2),
      'p99 ms': percentile(samples, 99).toFixed(2),
      'baseline p50 ms': baselineP50.toFixed(3),
      ratio: (p50 / baselineP50).toFixed(1),
      'ok draws': `${ok}/${runs}`,
      'heap pool+index MB': (afterPrepare - before).toFixed(1),
      'heap index MB': (afterPrepare - afterPool).toFixed(1),
      'prepare ms': prepareMs.toFixed(0),
      'first draw ms': coldMs.toFixed(1),
    });
  }
  if (sink < 0) console.log(sink);
}
console.log(
  `selectPanel benchmark — node ${process.version}, panel 5, 5 alternates, 2 industries, 2 specialties`,
);
console.table(rows);
console.log(
  'p50/p99: one selectPanel on a prepared pool and history; baseline: one plain pass reading each',
  "expert's status and birth date; ratio = draw p50 / baseline p50; heap after GC.",
  `Total ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s.`,
);
