/**
 * Audited writes per second when two authorities write at once (#17 item 5), on a scratch
 * PostgreSQL database: each transaction appends one audit entry (`appendAudit`) and commits.
 * Two modes, interleaved pass by pass: `two` — half the workers write as authority A, half as
 * authority B; `one` — every worker writes as authority A (the reference: one chain, one lock).
 * Prints each pass with the machine's load average and the median of the passes.
 *
 * Run: `npx tsx --conditions=@expert-dispatch/source packages/service/bench/audit-chains.bench.ts`
 * Settings: BENCH_AUDIT_PASSES (5), BENCH_AUDIT_WRITES (400 per pass), BENCH_AUDIT_WORKERS (8).
 */
import { loadavg } from 'node:os';
import { appendAudit } from '../src/audit/append-audit.js';
import type { AuditEntryInput } from '../src/audit/audit-entry.js';
import { describeMachine } from './machine-load.js';
import { median } from './sample-stats.js';
import { createScratchDatabase } from './scratch-database.js';

const PASSES = Number(process.env.BENCH_AUDIT_PASSES ?? 5);
const WRITES = Number(process.env.BENCH_AUDIT_WRITES ?? 400);
const WORKERS = Number(process.env.BENCH_AUDIT_WORKERS ?? 8);

type Mode = 'one' | 'two';

function entry(authorityId: string, n: number): AuditEntryInput {
  return {
    actor: { keyId: `k-${authorityId}`, authorityId },
    action: 'bench.appended',
    entityType: 'bench',
    entityId: `e-${n}`,
    reason: null,
    before: null,
    after: { n, note: '审计链基准' },
  };
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');

// A scratch database of its own (BENCH_POSTGRES_URL), dropped at the end.
const scratch = await createScratchDatabase(WORKERS + 2);
try {
  const { db } = scratch.database;
  let next = 0;
  const pass = async (mode: Mode): Promise<number> => {
    let done = 0;
    const started = process.hrtime.bigint();
    const worker = async (w: number) => {
      const authority = mode === 'two' && w % 2 === 1 ? 'bench-b' : 'bench-a';
      while (done < WRITES) {
        done += 1;
        const n = next++;
        await db.transaction((tx) => appendAudit(tx, entry(authority, n)));
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    return WRITES / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  console.log(
    `audit-chains bench: ${describeMachine()}; ${WORKERS} workers, ${WRITES} writes a pass`,
  );
  await pass('two'); // warm-up: connections, plans
  const results: Record<Mode, number[]> = { one: [], two: [] };
  for (let p = 0; p < PASSES; p += 1) {
    const order: Mode[] = p % 2 === 0 ? ['two', 'one'] : ['one', 'two'];
    for (const mode of order) {
      const before = load();
      const perSecond = await pass(mode);
      results[mode].push(perSecond);
      console.log(
        `pass ${p + 1} ${mode === 'two' ? 'two authorities' : 'one authority '}: ` +
          `${perSecond.toFixed(0)} audited writes/s (load ${before})`,
      );
    }
  }
  console.log(
    JSON.stringify({
      twoAuthoritiesMedian: Math.round(median(results.two)),
      oneAuthorityMedian: Math.round(median(results.one)),
      passes: PASSES,
      writesPerPass: WRITES,
      workers: WORKERS,
      loadAfter: load(),
    }),
  );
} finally {
  await scratch.drop();
}
