import { Writable } from 'node:stream';
import { yunnanGmy2025 } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../access/issue-api-key.js';
import { createApp } from '../app.js';
import { readEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { resolveServiceEnv } from '../secrets/resolve-service-env.js';
import {
  hasPostgresBinaries,
  type PrivatePostgres,
  startPrivatePostgres,
  startPrivateReplica,
} from '../testing/private-postgres.test-helpers.js';
import { type OpenDatabase, openDatabase } from './open-database.js';
import { queryRows } from './query-rows.js';
import { chooseReadDatabase, type ReadReplica } from './read-replica.js';

const NOW = new Date('2026-03-02T09:00:00+08:00');

// #17 item 7: the report and public reads on a streaming replica. A private primary, a replica
// made from it by `pg_basebackup -R`, and the service with DATABASE_REPLICA_URL's wiring: a read
// runs on the replica only once it has replayed every write made before the request, so a
// caller's own write is never missing from its report — replay paused, the read stays on the
// primary and sees it; replica stopped, the read stays on the primary and answers.
describe.runIf(hasPostgresBinaries())('reads on a streaming replica', () => {
  let primary: PrivatePostgres;
  let standby: PrivatePostgres;
  let database: OpenDatabase;
  let replicaDatabase: OpenDatabase;
  let replica: ReadReplica;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let env: Parameters<typeof createApp>[0]['env'];
  const logLines: Record<string, unknown>[] = [];

  /** Where the app's request log says the last request to `path` read from. */
  const sourceOf = (path: string) =>
    logLines.filter((line) => line.msg === 'request' && line.route === path).at(-1)?.readSource;
  const get = (path: string, auth = true) =>
    app.request(path, auth ? { headers: { Authorization: `Bearer ${key}` } } : {});
  /** A row written on the primary, as a caller's write would be. */
  const writeOnPrimary = (n: number) =>
    database.db.execute(sql`insert into replica_probe (n) values (${n})`);
  const probeOn = async (db: OpenDatabase['db']) =>
    (await queryRows<{ n: number }>(db, sql`select n from replica_probe order by n`)).map(
      (row) => row.n,
    );

  beforeAll(async () => {
    primary = await startPrivatePostgres();
    database = await openDatabase({ kind: 'postgres', url: primary.url, maxConnections: 5 });
    await database.migrate();
    await database.db.execute(sql`create table replica_probe (n int primary key)`);
    const issued = await database.db.transaction((tx) =>
      issueApiKey(
        tx,
        {
          authority: { id: 'yn-yjt', tier: 'province', region: '530000', name: '云南省应急管理厅' },
          role: 'admin',
          label: 'replica test',
          actor: { keyId: 'system:test', authorityId: null },
        },
        NOW,
      ),
    );
    key = issued.key;
    standby = await startPrivateReplica(primary);
    replicaDatabase = await openDatabase({
      kind: 'postgres',
      url: standby.url,
      maxConnections: 3,
    });
    replica = { db: replicaDatabase.db, waitMs: 2000 };
    env = (
      await resolveServiceEnv(
        readEnv({ LOG_LEVEL: 'info', DATABASE_URL: primary.url }),
        database.db,
        'api',
      )
    ).env;
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    app = createApp({
      db: database.db,
      env,
      logger: createLogger('info', log),
      ruleSet: yunnanGmy2025,
      now: () => NOW,
      readReplica: replica,
    });
  });

  afterAll(async () => {
    await replicaDatabase?.close().catch(() => {});
    await database?.close().catch(() => {});
    await standby?.close();
    await primary?.close();
  });

  it('reads on the replica once it has replayed the primary: the caller’s write included', async () => {
    await writeOnPrimary(1);
    const chosen = await chooseReadDatabase(database.db, replica);
    expect(chosen.source).toBe('replica');
    expect(await probeOn(chosen.db)).toEqual([1]);
  });

  it('serves the annual report, the lists and the public query from the replica', async () => {
    for (const path of ['/v1/reports/annual', '/v1/reports/lists']) {
      expect((await get(path)).status).toBe(200);
      expect(sourceOf(path)).toBe('replica');
    }
    expect((await get('/v1/public/experts', false)).status).toBe(200);
    expect(sourceOf('/v1/public/experts')).toBe('replica');
  });

  it('stays on the primary while the replica has not replayed a write, and sees it', async () => {
    await replicaDatabase.db.execute(sql`select pg_wal_replay_pause()`);
    try {
      await writeOnPrimary(2);
      const behind = await chooseReadDatabase(database.db, { ...replica, waitMs: 200 });
      expect(behind.source).toBe('primary (replica behind)');
      expect(await probeOn(behind.db)).toEqual([1, 2]);
      expect(await probeOn(replicaDatabase.db)).toEqual([1]); // the replica really lags
      const slow = createApp({
        db: database.db,
        env,
        logger: createLogger('silent'),
        ruleSet: yunnanGmy2025,
        now: () => NOW,
        readReplica: { ...replica, waitMs: 50 },
      });
      const answer = await slow.request('/v1/reports/annual', {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(answer.status).toBe(200);
    } finally {
      await replicaDatabase.db.execute(sql`select pg_wal_replay_resume()`);
    }
    // Replay resumed: the same read moves back to the replica, which now has the row.
    const caughtUp = await chooseReadDatabase(database.db, replica);
    expect(caughtUp.source).toBe('replica');
    expect(await probeOn(caughtUp.db)).toEqual([1, 2]);
  });

  it('reads the primary while the replica is down', async () => {
    await standby.stop('immediate');
    try {
      await writeOnPrimary(3);
      const chosen = await chooseReadDatabase(database.db, replica);
      expect(chosen.source).toBe('primary (replica down)');
      expect(await probeOn(chosen.db)).toEqual([1, 2, 3]);
      expect((await get('/v1/reports/lists')).status).toBe(200);
      expect(sourceOf('/v1/reports/lists')).toBe('primary (replica down)');
    } finally {
      await standby.start();
    }
  });
});
