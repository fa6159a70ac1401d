// Benchmark of the incremental pool (#17): preparePool under the version 1 digest (the SHA-256 of
// the whole pool's canonical JSON) and under pool-digest@2 (a hash tree over per-record hashes),
// and updatePreparedPool for one changed expert (a profile update: patched in place of a copy),
// for one added expert (spliced in: the blocks of the tree after it rehashed, so its place
// matters — first in id order, a random place, last) and for one removed expert, against a fresh
// preparePool. Each update is timed by the wall clock and by the process's CPU time (user +
// system, GC threads included), which a loaded machine inflates less.
// Run: `npm run bench:pool-update -w @expert-dispatch/matcher`. BENCH_POOL_SIZE (default 20000;
// 100000 for the figure), BENCH_REPEATS (default 5; medians are printed).
// node:crypto's SHA-256 is passed in, as the service does. Every figure is printed with
// os.loadavg() beside it: the machine is shared, read the times with the load.
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import type { DrawExpert } from '@expert-dispatch/rules';
import { generatePool, preparePool, updatePreparedPool } from '../src/index.js';

const size = Number(process.env.BENCH_POOL_SIZE ?? 20_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const NOW = '2026-03-01T09:00:00+08:00';
const sha256 = () => createHash('sha256');

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
const time = (run: () => unknown): number => {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const cpu = (run: () => unknown): number => {
  const start = process.cpuUsage();
  run();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1000;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const report = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(52)} median ${median(values).toFixed(2).padStart(9)} ms  (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)}, n=${values.length})  load ${load()}`,
  );

const experts = generatePool({ size, seed: 'pool-update', now: NOW });
console.log(`pool of ${size} synthetic experts, ${repeats} repeats, load ${load()}`);

// Interleaved (ABAB), so that both definitions see the same load.
const v1: number[] = [];
const v2: number[] = [];
for (let r = 0; r < repeats; r++) {
  v1.push(time(() => preparePool(experts, { sha256 })));
  v2.push(time(() => preparePool(experts, { sha256, digest: 2 })));
}
report('preparePool, digest 1 (whole-pool SHA-256)', v1);
report('preparePool, digest 2 (pool-digest@2 tree)', v2);

let pool = preparePool(experts, { sha256, digest: 2 });
const modify: number[] = [];
const changes = Math.max(repeats * 10, 50);
for (let c = 0; c < changes; c++) {
  const at = (c * 7919) % size;
  const expert = pool.experts[at] as DrawExpert;
  const changed: DrawExpert = {
    ...expert,
    practiceYears: expert.practiceYears + 1,
    specialties: c % 2 === 0 ? [...expert.specialties, '应急管理'] : expert.specialties,
    profileUpdatedAt: '2026-03-01T10:00:00+08:00',
  };
  const before = pool;
  modify.push(time(() => (pool = updatePreparedPool(before, { upserted: [changed] }, { sha256 }))));
}
report('updatePreparedPool, 1 changed expert (patched)', modify);

// What the service writes for a new revision that changed one expert, stored as versions
// (packages/service/src/draws/pool-snapshot-store.ts): the new record version, the new block
// (its record hashes) and the snapshot's list of block hashes, against the whole pool as JSON.
{
  const tree = pool.digestTree;
  if (tree === undefined) throw new Error('no digest tree');
  const version = JSON.stringify(pool.experts[0]).length + 64;
  const block = Math.min(256, tree.records.length) * 65 + 64;
  const list = tree.blocks.length * 65 + tree.digest.length;
  const whole = JSON.stringify(pool.experts).length;
  console.log(
    `bytes per revision with 1 changed expert: ${((version + block + list) / 1024).toFixed(1)} KB as versions (version ${version} B, block ${(block / 1024).toFixed(1)} KB, block list ${(list / 1024).toFixed(1)} KB for ${tree.blocks.length} blocks) vs ${(whole / 1_048_576).toFixed(1)} MB whole; load ${load()}`,
  );
}

// Added experts: ids sorting first ('a-…' before 'ex-…'), after a random expert, last ('z-…').
const updates = Math.max(repeats * 10, 50);
for (const place of ['first', 'random', 'last'] as const) {
  const wall: number[] = [];
  const spent: number[] = [];
  for (let r = 0; r < updates; r++) {
    const donor = pool.experts[(r * 7919) % pool.size] as DrawExpert;
    const id =
      place === 'first' ? `a-${r}` : place === 'last' ? `z-${r}` : `${donor.id}-added-${r}`;
    const added: DrawExpert = { ...donor, id };
    const before = pool;
    const change = { upserted: [added] };
    // Alternately timed by the wall clock and by CPU time (one clock per update).
    if (r % 2 === 0) wall.push(time(() => (pool = updatePreparedPool(before, change, { sha256 }))));
    else spent.push(cpu(() => (pool = updatePreparedPool(before, change, { sha256 }))));
  }
  report(`updatePreparedPool, 1 added expert (${place}), wall`, wall);
  report(`updatePreparedPool, 1 added expert (${place}), CPU`, spent);
}
{
  const wall: number[] = [];
  const spent: number[] = [];
  for (let r = 0; r < updates; r++) {
    const gone = (pool.experts[(r * 7919) % pool.size] as DrawExpert).id;
    const before = pool;
    if (r % 2 === 0) {
      wall.push(time(() => (pool = updatePreparedPool(before, { removed: [gone] }, { sha256 }))));
    } else {
      spent.push(cpu(() => (pool = updatePreparedPool(before, { removed: [gone] }, { sha256 }))));
    }
  }
  report('updatePreparedPool, 1 removed expert (random), wall', wall);
  report('updatePreparedPool, 1 removed expert (random), CPU', spent);
}

// The patched pool is the pool preparePool gives: checked here too (the property test checks
// draws), so that the figures are of a correct update.
const fresh = preparePool(pool.experts, { sha256, digest: 2 });
if (fresh.digest !== pool.digest) throw new Error('the updated pool differs from a fresh one');
console.log(`updated pool digest equals a fresh preparePool's: ${fresh.digest.slice(0, 30)}…`);
