// Benchmark of one selectPanel draw on prepared synthetic pools, against a baseline measured in
// the same run: a plain pass over the same pool reading each expert's status and birth date.
// Run after building: `npm run build -w @expert-dispatch/rules -w @expert-dispatch/matcher`,
// then `npm run bench -w @expert-dispatch/matcher`.
//
// Why the baseline is stable (issue #17: it once read 3.1 ms and 6.9 ms in consecutive runs):
// - it used to be measured once, in a block before the draws, so one busy stretch of a shared
//   machine (another process, a GC of the pool, CPU frequency) moved every baseline sample
//   together; now each baseline sample is interleaved with a draw sample (ABAB, alternating
//   which goes first), so both see the same machine state across the whole run;
// - each baseline sample times BASELINE_PASSES passes in one block and divides, so a sample is
//   long enough (tens of ms at 100,000) that timer and scheduler granularity do not dominate it;
// - there are as many baseline samples as draw samples, for every policy, and the figure is the
//   median (p99 beside it), which one slow slice cannot move;
// - os.loadavg() is read beside every figure so a reader can see the load it was taken under.
//
// The history (issue #17 item 3): `records` is generateHistory's three years of invitation
// records; `counts` is the same kind of history as the service now stores it, per-expert daily
// counters (generateHistoryCounts, BENCH_HISTORY_DAYS days, default 365: "a year", at
// BENCH_HISTORY_RATE invitations per expert a year, default 1 as generateHistory). The default
// is records below 1,000,000 experts (figures comparable with earlier runs) and counts from
// 1,000,000 on, where the records no longer fit (prepareHistory failed with "invalid size").
// Choose with BENCH_HISTORY=records|counts. At 1,000,000 the pool is prepared once, with
// node:crypto as the service does (BENCH_NOBLE=1 also prepares with @noble/hashes).
// `BENCH_SIZES=1000000 npm run bench -w @expert-dispatch/matcher` runs the million (~15 min).

import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  generateHistory,
  generateHistoryCounts,
  generatePool,
  generateTask,
  prepareHistory,
  preparePool,
  selectPanel,
} from '../dist/index.js';

const NOW = '2026-03-01T09:00:00+08:00';
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const POLICIES = ['best', 'lottery', 'capped'];
const BASELINE_PASSES = Number(process.env.BENCH_BASELINE_PASSES ?? 5);
const HISTORY_DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 365);
// Invitations per expert per year: generateHistory's own rate (3 in three years) unless set.
const HISTORY_RATE = Number(process.env.BENCH_HISTORY_RATE ?? 1);
const historyFormOf = (size) =>
  process.env.BENCH_HISTORY ?? (size >= 1_000_000 ? 'counts' : 'records');
const nobleAt = (size) =>
  process.env.BENCH_NOBLE === undefined ? size < 1_000_000 : process.env.BENCH_NOBLE === '1';
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join('/');
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

function heapMb() {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

/** Typed arrays' buffers live outside the V8 heap: counted apart. */
const arrayBuffersMb = () => process.memoryUsage().arrayBuffers / 1_048_576;

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
  let prepareMs = Number.NaN;
  let noble;
  if (nobleAt(size)) {
    const preparedAt = process.hrtime.bigint();
    noble = preparePool(experts);
    prepareMs = Number(process.hrtime.bigint() - preparedAt) / 1e6;
  }
  const loadAtPrepare = load();
  // The service passes node:crypto's SHA-256 (the same digest).
  const nodeHashAt = process.hrtime.bigint();
  const pool = preparePool(experts, { sha256: () => createHash('sha256') });
  const prepareNodeMs = Number(process.hrtime.bigint() - nodeHashAt) / 1e6;
  if (noble !== undefined && noble.digest !== pool.digest)
    throw new Error('the node:crypto digest differs');
  noble = undefined;
  const afterPrepare = heapMb();
  const form = historyFormOf(size);
  const raw =
    form === 'counts'
      ? generateHistoryCounts({
          experts,
          seed: `bench-${size}`,
          now: NOW,
          days: HISTORY_DAYS,
          invitationsPerExpert: (HISTORY_RATE * HISTORY_DAYS) / 365,
        })
      : generateHistory({ experts, seed: `bench-${size}`, now: NOW });
  const historyItems =
    form === 'counts'
      ? `${raw.day.length} counters`
      : `${raw.invitations.length + raw.ratings.length} records`;
  const afterRaw = heapMb();
  const historyAt = process.hrtime.bigint();
  // With node:crypto's SHA-256 for the digest, as the service prepares it.
  const history = prepareHistory(raw, pool, undefined, { sha256: () => createHash('sha256') });
  const prepareHistoryMs = Number(process.hrtime.bigint() - historyAt) / 1e6;
  const afterHistory = heapMb();
  const task = generateTask({ seed: `bench-${size}`, now: NOW, experts });
  // The first draw of a day on a fresh history computes the task-independent score points.
  const coldMs = time(() => selectPanel({ task, experts: pool, history, now: NOW, seed: 'cold' }));
  const runs = size >= 100_000 ? 60 : 200;

  let sink = 0;
  for (let k = 0; k < 20; k++) sink += baselinePass(experts);
  // One baseline sample: BASELINE_PASSES passes timed as one block, per pass.
  const baselineSample = () =>
    time(() => {
      for (let pass = 0; pass < BASELINE_PASSES; pass++) sink += baselinePass(experts);
    }) / BASELINE_PASSES;

  for (const policy of POLICIES) {
    const input = (seed) => ({ task, experts: pool, history, now: NOW, seed, policy, cap: 0.2 });
    for (let k = 0; k < 10; k++) selectPanel(input(`warm-${k}`));
    const loadAtStart = load();
    const samples = [];
    const baseline = [];
    let ok = 0;
    for (let k = 0; k < runs; k++) {
      // ABAB, alternating which goes first, so neither side always follows the other.
      if (k % 2 === 1) baseline.push(baselineSample());
      let result;
      samples.push(
        time(() => {
          result = selectPanel(input(`draw-${k}`));
        }),
      );
      if (k % 2 === 0) baseline.push(baselineSample());
      if (result.ok) ok++;
    }
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    const baselineP50 = percentile(baseline, 50);
    const baselineP99 = percentile(baseline, 99);
    rows.push({
      pool: size,
      policy,
      'p50 ms': p50.toFixed(2),
      'p99 ms': p99.toFixed(2),
      'baseline p50 ms': baselineP50.toFixed(3),
      'baseline p99 ms': baselineP99.toFixed(3),
      'ratio p50': (p50 / baselineP50).toFixed(1),
      'ratio p99': (p99 / baselineP99).toFixed(1),
      'ok draws': `${ok}/${runs}`,
      'heap pool+index MB': (afterPrepare - before).toFixed(1),
      'heap index MB': (afterPrepare - afterPool).toFixed(1),
      history: `${form}: ${historyItems}`,
      'heap history MB (input+prepared)': `${(afterRaw - afterPrepare).toFixed(1)}+${(afterHistory - afterRaw).toFixed(1)}`,
      'heap total MB': afterHistory.toFixed(0),
      'typed arrays MB': arrayBuffersMb().toFixed(0),
      'prepare ms (loadavg)': `${Number.isNaN(prepareMs) ? '—' : prepareMs.toFixed(0)} (${loadAtPrepare})`,
      'prepare ms, node:crypto': prepareNodeMs.toFixed(0),
      'prepareHistory ms': prepareHistoryMs.toFixed(0),
      'first draw ms': coldMs.toFixed(1),
      'loadavg 1/5/15 start→end': `${loadAtStart} → ${load()}`,
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
  `expert's status and birth date (${BASELINE_PASSES} passes per sample, samples interleaved with`,
  'the draws); ratio p50 = draw p50 / baseline p50, ratio p99 = draw p99 / baseline p99; heap after GC;',
  'loadavg = os.loadavg() at the start and end of each row.',
  `Total ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s.`,
);
