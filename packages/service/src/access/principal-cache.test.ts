import { describe, expect, it } from 'vitest';
import type { Principal } from '../http/app-env.js';
import {
  cachedPrincipal,
  forgetPrincipals,
  PRINCIPAL_CACHE_MS,
  rememberPrincipal,
} from './principal-cache.js';

const principal: Principal = {
  keyId: 'k-1',
  role: 'dispatcher',
  authorityId: 'yn',
  tier: 'province',
  region: '530000',
};

describe('the principal cache', () => {
  it.each([
    ['just remembered', 0, principal],
    ['a moment before it expires', PRINCIPAL_CACHE_MS - 1, principal],
    ['when it expires', PRINCIPAL_CACHE_MS, null],
    ['long after', PRINCIPAL_CACHE_MS * 10, null],
  ])('answers %s', (_, elapsed, expected) => {
    const owner = {};
    rememberPrincipal(owner, 'hash-1', principal, 1_000);
    expect(cachedPrincipal(owner, 'hash-1', 1_000 + elapsed)).toEqual(expected);
  });

  it('keeps databases apart and never answers for a key it was not given', () => {
    const [one, other] = [{}, {}];
    rememberPrincipal(one, 'hash-1', principal, 0);
    expect(cachedPrincipal(other, 'hash-1', 1)).toBeNull();
    expect(cachedPrincipal(one, 'hash-2', 1)).toBeNull();
  });

  it('forgets every key of a database when one is revoked', () => {
    const owner = {};
    rememberPrincipal(owner, 'hash-1', principal, 0);
    rememberPrincipal(owner, 'hash-2', { ...principal, keyId: 'k-2' }, 0);
    forgetPrincipals(owner);
    expect(cachedPrincipal(owner, 'hash-1', 1)).toBeNull();
    expect(cachedPrincipal(owner, 'hash-2', 1)).toBeNull();
  });
});
