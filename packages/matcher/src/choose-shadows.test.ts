import type { RequestingAuthority } from '@expert-dispatch/rules';
import { describe, expect, it } from 'vitest';
import { shadowCandidates } from './choose-shadows.js';
import { makeExpert } from './fixtures.test-helpers.js';
import { preparePool } from './prepare-pool.js';

const pool = preparePool([
  makeExpert('county-same', { tier: 'county', region: '530102' }),
  makeExpert('county-other', { tier: 'county', region: '530111' }),
  makeExpert('city-same', { tier: 'city', region: '530111' }),
  makeExpert('city-other', { tier: 'city', region: '530302' }),
  makeExpert('province', { tier: 'province', region: '532301' }),
]);
const everyone = Int32Array.from({ length: pool.size }, (_, i) => i);

function shadows(authority: RequestingAuthority, taken: number[] = []): string[] {
  return [...shadowCandidates(pool, everyone, authority, new Set(taken))].map(
    (i) => pool.ids[i] as string,
  );
}

describe('shadowCandidates (第二十一条（三）)', () => {
  it('takes a county authority’s own county experts', () => {
    expect(shadows({ authorityId: 'wh', tier: 'county', region: '530102' })).toEqual([
      'county-same',
    ]);
  });

  it('takes a city authority’s own city-tier experts anywhere in the city', () => {
    expect(shadows({ authorityId: 'km', tier: 'city', region: '530100' })).toEqual(['city-same']);
  });

  it('takes provincial experts for a provincial request', () => {
    expect(shadows({ authorityId: 'yn', tier: 'province', region: '530000' })).toEqual([
      'province',
    ]);
  });

  it('leaves out members and alternates', () => {
    expect(shadows({ authorityId: 'km', tier: 'city', region: '530100' }, [2])).toEqual([]);
  });
});
