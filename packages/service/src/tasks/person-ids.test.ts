import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleExperts } from '../experts/pool-scope.js';
import type { Principal } from '../http/app-env.js';
import { makeActiveExpert } from '../testing/expert-fixtures.test-helpers.js';
import {
  AUTHORITIES,
  type AuthorityName,
  availableBackends,
  call,
  createTestContext,
  type TestContext,
} from '../testing/test-backends.test-helpers.js';
import { loadPersonIds } from './person-ids.js';

const backends = await availableBackends();

const principalOf = (name: AuthorityName): Principal => ({
  keyId: `k-${name}`,
  authorityId: AUTHORITIES[name].id,
  role: 'dispatcher',
  tier: AUTHORITIES[name].tier,
  region: AUTHORITIES[name].region,
});

/** [id, pool, name, birth date, ID number or null] */
const RECORDS: readonly [string, AuthorityName, string, string, string | null][] = [
  ['a-yn', 'yn', '甲', '1970-01-01', '53010219700101001X'],
  ['a-km', 'km', '甲', '1970-01-01', null],
  ['a-dl', 'dl', '甲某', '1970-01-01', '53010219700101001X'],
  ['b-yn', 'yn', '乙', '1980-02-02', '530102198002020011'],
  ['b-km', 'km', '乙', '1980-02-02', '530102198002020022'],
  ['c-km', 'km', '乙', '1980-02-02', null],
  ['d-yn', 'yn', '丙', '1960-03-03', null],
  ['d-km', 'km', '丙', '1960-03-03', null],
];

describe.each(backends)('person ids of the records a draw sees on %s', (kind) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(kind);
    for (const [id, pool, name, birthDate, idNumber] of RECORDS) {
      const created = await call(t, 'POST', '/v1/experts', {
        key: `${pool}.admin`,
        json: makeActiveExpert({
          id,
          name,
          birthDate,
          idNumber: idNumber ?? undefined,
          tier: AUTHORITIES[pool].tier,
          region: pool === 'dl' ? '532901' : '530102',
          employer: { id: `org-${id}`, name: `单位${id}`, kind: 'university' },
        }),
      });
      if (created.status !== 201) throw new Error(`seeding ${id} failed: ${created.text}`);
    }
  });
  afterAll(() => t.close());

  it.each<[string, AuthorityName, Record<string, string>]>([
    [
      'Kunming: the same ID number, or the same name and birth date when one has none',
      'km',
      { 'a-km': 'a-km', 'a-yn': 'a-km', 'd-km': 'd-km', 'd-yn': 'd-km' },
    ],
    [
      'Dali: the same ID number whatever the name; never a Kunming record',
      'dl',
      { 'a-dl': 'a-dl', 'a-yn': 'a-dl' },
    ],
    ['the province: no person holds two provincial records', 'yn', {}],
  ])('%s (第二十一条, 第二十六条)', async (_name, caller, expected) => {
    const ids = await loadPersonIds(t.database.db, visibleExperts(principalOf(caller)));
    expect(Object.fromEntries(ids)).toEqual(expected);
  });

  it('keeps apart records with different ID numbers, and a record without one that matches both', async () => {
    const ids = await loadPersonIds(t.database.db, visibleExperts(principalOf('km')));
    for (const id of ['b-yn', 'b-km', 'c-km']) expect(ids.has(id)).toBe(false);
  });
});
