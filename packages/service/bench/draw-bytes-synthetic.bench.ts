// Bytes a draw writes for what grows with the pool (#17), computed with the service's own
// encoders on the matcher's synthetic pool (generatePool) and a year of synthetic history
// counters (generateHistoryCounts) — the 1,000,000 figure, which a PostgreSQL run cannot seed
// here in reasonable time. For BENCH_DRAWS (20) generated tasks (generateTask, a seed each) on
// the same pool: the exclusion record as stored (pool-indices@2: JSON text, an upper bound of
// its jsonb) plus the exclusion sets that no earlier draw of the sequence stored (hash + text +
// a 24-byte tuple header each), beside the pool-indices@1 record of the same draw; and the pool
// snapshot of a revision that changed one expert (one version, one block of 256 record hashes,
// one list of 64 block hashes, the top list — hashes packed, 32 bytes each). What does
// not grow with the pool (the draws row's result and input, seats, deliveries, outbox, audit,
// idempotency key, task) is measured end to end by bench/draw-bytes.bench.ts.
// Run (packages/service): `NODE_OPTIONS=--max-old-space-size=8192 tsx
// --conditions=@expert-dispatch/source bench/draw-bytes-synthetic.bench.ts`, BENCH_SIZES
// (100000; 1000000 takes minutes to prepare: wrap in `flock /tmp/bench.lock`).
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  generateHistoryCounts,
  generatePool,
  generateTask,
  prepareHistory,
  preparePool,
  selectPanel,
} from '@expert-dispatch/matcher';
import { compactExclusions, type ExclusionRecord } from '../src/draws/compact-exclusions.js';
import { reasonSetExclusions } from '../src/draws/exclusion-sets.js';
import { blockListsOf } from '../src/draws/pool-snapshot-store.js';
import { median } from './sample-stats.js';

const NOW = '2026-03-01T09:00:00+08:00';
const SIZES = (process.env.BENCH_SIZES ?? '100000').split(',').map(Number);
const DRAWS = Number(process.env.BENCH_DRAWS ?? 20);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join('/');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const sha256 = () => createHash('sha256');
/** A stored text[] of n 64-digit hashes: a varlena header per element, the array's header. */
const hashArrayBytes = (n: number) => 24 + n * (64 + 4);
/** n hashes packed in a bytea, 32 bytes each (blocks, lists and top lists since 0029). */
const packedBytes = (n: number) => 4 + n * 32;
/** A heap tuple's header and line pointer. */
const TUPLE = 28;

for (const size of SIZES) {
  const started = Date.now();
  const experts = generatePool({ size, seed: `bytes-${size}`, now: NOW });
  const pool = preparePool(experts, { sha256, digest: 2 });
  const counts = generateHistoryCounts({ experts, seed: `bytes-${size}`, now: NOW, days: 365 });
  const history = prepareHistory(counts, pool, undefined, { sha256 });
  console.log(
    `\n${size} experts: pool and a year of history counters prepared in ${((Date.now() - started) / 1000).toFixed(0)} s; load ${load()}`,
  );
  console.log(
    '\n| draw | groups | excluded | pool-indices@1 record | pool-indices@2 record | new sets (count, bytes, reasons) | written for exclusions | load |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  const stored = new Set<string>();
  const written: number[] = [];
  for (let k = 0; k < DRAWS; k++) {
    const task = generateTask({ seed: `bytes-${size}-${k}`, now: NOW, experts });
    const drawn = selectPanel({
      task,
      experts: pool,
      history,
      now: NOW,
      seed: `s${k}`,
      policy: 'lottery',
    });
    if (!drawn.ok) throw new Error(`draw ${k} at ${size} failed: ${drawn.code}`);
    const { excluded, exclusionReasons, funnel, eligible, engagementRecusals } = drawn;
    const record: ExclusionRecord = {
      funnel,
      eligible,
      excluded,
      exclusionReasons,
      ...(engagementRecusals === undefined ? {} : { engagementRecusals }),
    };
    const perGroup = JSON.stringify(compactExclusions(record, pool.ids, pool.indexOf)).length;
    const bySet = reasonSetExclusions(record, pool.ids, pool.indexOf, pool.experts);
    if (bySet === null) throw new Error(`draw ${k}: the record did not map onto the pool`);
    const recordBytes = JSON.stringify(bySet.stored).length;
    const fresh = bySet.sets.filter((set) => !stored.has(set.hash));
    const freshReasons = (
      bySet.stored.reasonSets as { reason: string; set?: string; complementOf?: string[] }[]
    )
      .filter((entry) =>
        [entry.set, ...(entry.complementOf ?? [])].some((hash) =>
          fresh.some((set) => set.hash === hash),
        ),
      )
      .map((entry) => entry.reason);
    const setBytes = fresh.reduce((sum, set) => sum + TUPLE + 64 + set.indices.length + 8, 0);
    for (const set of fresh) stored.add(set.hash);
    written.push(recordBytes + setBytes);
    console.log(
      `| ${k} | ${excluded.length} | ${excluded.reduce((sum, group) => sum + group.expertIds.length, 0)} | ${kb(perGroup)} | ${kb(recordBytes)} | ${fresh.length}, ${kb(setBytes)} (${freshReasons.join(', ')}) | ${kb(recordBytes + setBytes)} | ${load()} |`,
    );
  }
  const tree = pool.digestTree;
  if (tree === undefined) throw new Error('the pool has no pool-digest@2 tree');
  const lists = blockListsOf(tree.blocks);
  const version = TUPLE + 64 + JSON.stringify(experts[0]).length;
  const block = TUPLE + 64 + packedBytes(256);
  const list = TUPLE + 64 + packedBytes(64);
  const top = TUPLE + 80 + packedBytes(lists.length);
  const oneLevel = TUPLE + 80 + hashArrayBytes(tree.blocks.length);
  console.log(
    `\nExclusions written per draw: first ${kb(written[0] ?? 0)}, draws 2–${DRAWS} median ${kb(median(written.slice(1)))} (max ${kb(Math.max(...written.slice(1)))}); load ${load()}`,
  );
  console.log(
    `Snapshot of a revision that changed one expert: version ${kb(version)} + block ${kb(block)} + list ${kb(list)} + top list of ${lists.length} list hashes ${kb(top)} = ${kb(version + block + list + top)} (one level, before: the list of ${tree.blocks.length} block hashes alone ${kb(oneLevel)}); load ${load()}`,
  );
}
