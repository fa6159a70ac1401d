import { describe, expect, it } from 'vitest';
import { type CertificateState, certificateState } from './certificate-state.js';

const at = (iso: string) => new Date(iso);
const sealed = at('2026-03-05T10:00:00+08:00');

describe('the state of a certificate (第十一条：盖章方可生效，到期后自动失效)', () => {
  it.each<[string, Date | null, Date | null, string, CertificateState]>([
    ['unsealed within its term', null, null, '2026-06-01T09:00:00+08:00', 'not_sealed'],
    ['sealed within its term', sealed, null, '2026-06-01T09:00:00+08:00', 'valid'],
    ['sealed, on the last day of its term', sealed, null, '2029-02-28T23:59:00+08:00', 'valid'],
    ['sealed, the day after its term (Shanghai)', sealed, null, '2029-02-28T16:00:00Z', 'lapsed'],
    ['unsealed after its term', null, null, '2029-03-01T09:00:00+08:00', 'lapsed'],
    [
      'revoked while its term ran',
      sealed,
      at('2027-01-10T10:00:00+08:00'),
      '2027-01-11T09:00:00+08:00',
      'revoked',
    ],
    [
      'revoked, read after its term',
      sealed,
      at('2027-01-10T10:00:00+08:00'),
      '2030-01-01T09:00:00+08:00',
      'revoked',
    ],
    [
      'revoked only after it had lapsed',
      sealed,
      at('2029-06-01T10:00:00+08:00'),
      '2029-06-02T09:00:00+08:00',
      'lapsed',
    ],
  ])('%s', (_name, sealedAt, revokedAt, now, state) => {
    expect(certificateState({ termTo: '2029-02-28', sealedAt, revokedAt }, at(now))).toBe(state);
  });
});
