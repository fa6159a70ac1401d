import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCheckpointExports, auditCheckpoints } from '../db/schema.js';
import {
  FAST_SETTINGS,
  makeDispatchContext,
  TEST_SIGNING_SECRET,
  until,
} from '../dispatch/dispatch.test-helpers.js';
import { type Dispatcher, startDispatch } from '../dispatch/start-dispatch.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { PeriodRun } from '../schedule/run-once-per-period.js';
import { startScheduler } from '../schedule/start-scheduler.js';
import { type HttpReceiver, startHttpReceiver } from '../testing/http-receiver.test-helpers.js';
import {
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { appendAudit } from './append-audit.js';
import { isCheckpointSigned, loadCheckpointSigner } from './checkpoint-key.js';
import {
  CHECKPOINT_FORMAT,
  type CheckpointSinks,
  type ExportedCheckpoint,
} from './export-checkpoint.js';

const backends = await availableBackends();

/** The checkpoint a scheduler run signed, of the one chain that moved. */
function checkpointIdOf(run: PeriodRun | undefined): number {
  if (!run?.ran) throw new Error('the checkpoint job did not run');
  const signed = run.result.signed as { id: number }[];
  if (signed.length !== 1) throw new Error(`${signed.length} checkpoints signed, not one`);
  return Number(signed[0]?.id);
}

describe.each(backends)('audit checkpoints leaving the service on %s', (kind) => {
  let t: TestContext;
  let receiver: HttpReceiver;
  let dir: string;
  let sinks: CheckpointSinks;
  let dispatcher: Dispatcher;

  /** One tick of a fresh scheduler at `at`: the checkpoint job's run. */
  const tickAt = async (at: string) => {
    t.clock.set(at);
    const scheduler = startScheduler(
      { db: t.database.db, logger: t.services.logger, now: t.clock.now, ruleSet: yunnanGmy2025 },
      {
        intervalMs: 3_600_000,
        digestContacts: [],
        auditCheckpoints: { signer: () => loadCheckpointSigner(t.database.db, undefined), sinks },
      },
    );
    const report = await scheduler.tickNow();
    await scheduler.close();
    return report.audit_checkpoint;
  };
  const append = (entityId: string) =>
    t.database.db.transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: { keyId: 'k-test', authorityId: 'yn-yjt' },
          action: 'test.appended',
          entityType: 'test',
          entityId,
        },
        t.clock.now(),
      ),
    );
  const fileLines = async (): Promise<ExportedCheckpoint[]> => {
    const text = await readFile(sinks.file ?? '', 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ExportedCheckpoint);
  };
  const postsOf = (id: number) =>
    receiver.requests.filter((request) => request.key === `audit-checkpoint-${id}`);

  beforeAll(async () => {
    t = await createTestContext(kind);
    receiver = await startHttpReceiver(TEST_SIGNING_SECRET);
    dir = await mkdtemp(join(tmpdir(), 'ed-checkpoints-'));
    sinks = { url: receiver.url, file: join(dir, 'checkpoints.jsonl') };
    dispatcher = startDispatch(
      { ...makeDispatchContext(t), auditCheckpointSinks: sinks },
      createInProcessQueue(),
      { ...FAST_SETTINGS, deliveryBackoffMs: 10 },
    );
  });
  afterAll(async () => {
    await dispatcher.close();
    await receiver.close();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes one checkpoint an hour, however many schedulers tick', async () => {
    await append('hourly-1');
    const runs = await Promise.all([
      tickAt('2026-03-02T09:05:00+08:00'),
      tickAt('2026-03-02T09:05:00+08:00'),
    ]);
    expect(runs.map((run) => run?.ran).sort()).toEqual([false, true]);
    // One checkpoint per chain with entries: the keys' (system) and the province's.
    const first = runs.find((run) => run?.ran);
    expect(first?.ran && (first.result.signed as { chain: string }[]).map((c) => c.chain)).toEqual([
      'authority:yn-yjt',
      'system',
    ]);
    expect(await tickAt('2026-03-02T09:59:59+08:00')).toEqual({ ran: false });
    // Sent within the hour (in wall-clock time, milliseconds), as it would be in service.
    await until(() => receiver.delivered.has('audit-checkpoint-1'));
    await append('hourly-2');
    // The next hour signs the chain that moved, and only that one.
    const next = await tickAt('2026-03-02T10:00:00+08:00');
    expect(next).toMatchObject({
      ran: true,
      result: { signed: [{ chain: 'authority:yn-yjt' }], broken: [] },
    });
    const rows = await t.database.db
      .select()
      .from(auditCheckpoints)
      .orderBy(asc(auditCheckpoints.id));
    expect(rows.map((row) => [row.chain, row.trigger, row.at.toISOString()])).toEqual([
      ['authority:yn-yjt', 'scheduled', '2026-03-02T01:05:00.000Z'],
      ['system', 'scheduled', '2026-03-02T01:05:00.000Z'],
      ['authority:yn-yjt', 'scheduled', '2026-03-02T02:00:00.000Z'],
    ]);
    expect((rows[2]?.seq ?? 0) - (rows[0]?.seq ?? 0)).toBe(1);
  });

  it('posts each checkpoint to the receiver, signed, and appends it to the file', async () => {
    await until(async () => receiver.delivered.size === 3 && (await fileLines()).length === 3);
    expect(receiver.requests.every((request) => request.signatureOk)).toBe(true);
    const listed = await call(t, 'GET', '/v1/audit/checkpoints', { key: 'yn.auditor' });
    const [key] = listed.body.keys as { keyId: string; publicKey: string }[];
    for (const body of [...receiver.requests.map((r) => r.body), ...(await fileLines())]) {
      const exported = body as unknown as ExportedCheckpoint;
      expect(exported).toMatchObject({ format: CHECKPOINT_FORMAT, keyId: key?.keyId });
      expect(isCheckpointSigned(exported, exported.signature, key?.publicKey ?? '')).toBe(true);
    }
    // In order of id: the export jobs of one round run side by side.
    expect((await fileLines()).sort((a, b) => a.id - b.id)).toEqual(
      listed.body.items?.map((item) => expect.objectContaining(item)),
    );
  });

  it('sends a checkpoint taken while the receiver was down once it is back', async () => {
    receiver.behaviour = () => 'fail';
    await append('while-down');
    const down = await tickAt('2026-03-02T11:00:00+08:00');
    const downId = checkpointIdOf(down);
    // The job's attempts are spent; the file has it, the receiver never confirmed it.
    await until(() => postsOf(downId).length === 3);
    await until(async () => (await fileLines()).length === 4);
    const confirmed = await t.database.db.select().from(auditCheckpointExports);
    expect(confirmed.filter((row) => row.checkpointId === downId).map((row) => row.sink)).toEqual([
      'file',
    ]);

    receiver.behaviour = () => 'ok';
    await append('back');
    const back = await tickAt('2026-03-02T12:00:00+08:00');
    expect(back).toMatchObject({ ran: true, result: { requeued: 1 } });
    const backId = checkpointIdOf(back);
    await until(() => receiver.delivered.has(`audit-checkpoint-${downId}`));
    await until(() => receiver.delivered.has(`audit-checkpoint-${backId}`));
    // The file got each checkpoint once.
    await until(async () => (await fileLines()).length === 5);
    expect(new Set((await fileLines()).map((line) => line.id)).size).toBe(5);
  });
});
