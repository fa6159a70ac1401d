import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import {
  checkOutsideEnterpriseCity,
  checkOutsideEnterpriseCounty,
  cityOf,
} from './check-outside-enterprise-area.js';

// The default enterprise is in 530111 (官渡区, 昆明市 530100).
describe('local avoidance by area (第二十六条)', () => {
  it.each([
    ['excludes an expert based in the enterprise’s county', '530111', false],
    ['passes an expert from another county of the same city', '530102', true],
    ['passes an expert from another city', '530302', true],
  ])('county rule: %s', (_name, region, ok) => {
    expect(checkOutsideEnterpriseCounty(makeExpert({ region }), makeTask()).ok).toBe(ok);
  });

  it.each([
    ['excludes an expert based in the enterprise’s county', '530111', false],
    ['excludes an expert from another county of the same city', '530102', false],
    ['passes an expert from another city', '530302', true],
  ])('city rule: %s', (_name, region, ok) => {
    expect(checkOutsideEnterpriseCity(makeExpert({ region }), makeTask())).toMatchObject({
      ok,
      article: null,
    });
  });

  it('derives the city code from a county code', () => {
    expect(cityOf('530111')).toBe('530100');
  });
});
