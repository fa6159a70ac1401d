// Bytes a draw stores for its exclusion record, before and after the compact encoding (#17):
// the matcher's synthetic pool and history at each size, one draw per policy, the record as
// the service stored it before (ids per group) and as it stores it now (pool indices, see
// src/draws/compact-exclusions.ts), both as JSON text, with the encode and decode times.
// Run: `tsx --conditions=@expert-dispatch/source bench/exclusion-bytes.bench.ts`
// (BENCH_SIZES=20000,100000,1000000 to change the sizes; 1,000,000 takes minutes to prepare;
// BENCH_REPEATS, 15, the encode/decode samples per draw). The bytes are the figure and do not
// depend on the machine (the old record is their baseline, computed from the same draw); the
// times are the median and the p99 (with 15 samples, the slowest) of interleaved encode/decode
// samples, os.loadavg() beside each row (issue #17).

import { loadavg } from 'node:os';
import {
  generateHistory,
  generatePool,
  generateTask,
  prepareHistory,
  preparePool,
  selectPanel,
} from '@expert-dispatch/matcher';
import { compactExclusions, expandExclusions } from '../src/draws/compact-exclusions.js';
import { median, percentile } from './sample-stats.js';

const NOW = '2026-03-01T09:00:00+08:00';
const SIZES = (process.env.BENCH_SIZES ?? '20000,100000').split(',').map(Number);
const POLICIES = ['best', 'lottery', 'capped'] as const;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join('/');
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 15));
const kb = (text: string) => (Buffer.byteLength(text) / 1024).toFixed(1);

const rows: Record<string, string | number>[] = [];
for (const size of SIZES) {
  const experts = generatePool({ size, seed: `bytes-${size}`, now: NOW });
  const pool = preparePool(experts);
  const history = prepareHistory(
    generateHistory({ experts, seed: `bytes-${size}`, now: NOW }),
    pool,
  );
  const task = generateTask({ seed: `bytes-${size}`, now: NOW, experts });
  for (const policy of POLICIES) {
    const drawn = selectPanel({
      task,
      experts: pool,
      history,
      now: NOW,
      seed: 's',
      policy,
      cap: 0.2,
    });
    if (!drawn.ok) throw new Error(`the ${policy} draw at ${size} failed`);
    const { excluded, exclusionReasons, funnel, eligible, engagementRecusals } = drawn;
    const record = {
      funnel,
      eligible,
      excluded,
      exclusionReasons,
      ...(engagementRecusals === undefined ? {} : { engagementRecusals }),
    };
    // REPEATS samples, encode and decode alternating; the first (cold) one included.
    const encodeTimes: number[] = [];
    const decodeTimes: number[] = [];
    let compact = '';
    let expanded: unknown;
    for (let k = 0; k < REPEATS; k++) {
      const encodeStart = process.hrtime.bigint();
      compact = JSON.stringify(compactExclusions(record, pool.ids, pool.indexOf));
      encodeTimes.push(since(encodeStart));
      const decodeStart = process.hrtime.bigint();
      expanded = expandExclusions(JSON.parse(compact), pool.ids);
      decodeTimes.push(since(decodeStart));
    }
    const encodeMs = median(encodeTimes);
    const decodeMs = median(decodeTimes);
    const old = JSON.stringify(record);
    if (JSON.stringify(expanded) !== old) throw new Error('the compact record did not decode');
    rows.push({
      pool: size,
      policy,
      groups: excluded.length,
      excluded: size - eligible,
      'old record KB': kb(old),
      'compact KB': kb(compact),
      'result (panel) KB': kb(
        JSON.stringify({ members: drawn.members, alternates: drawn.alternates }),
      ),
      [`encode / decode ms, median of ${REPEATS}`]: `${encodeMs.toFixed(1)} / ${decodeMs.toFixed(1)}`,
      'encode / decode ms, p99': `${percentile(encodeTimes, 99).toFixed(1)} / ${percentile(decodeTimes, 99).toFixed(1)}`,
      loadavg: load(),
    });
  }
}
console.log(`Exclusion record bytes per draw — node ${process.version}`);
console.table(rows);
console.log(
  'old: the record as stored before (ids per reason group), JSON; compact: pool indices per group,',
  'the shorter of gap varints and a bitmap, deflated when shorter, base64; loadavg = os.loadavg() 1/5/15.',
);
