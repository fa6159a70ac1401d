import { type IsoDate, toShanghaiDate } from '../dates/calendar-date.js';
import type { Label } from '../vocabulary/define-vocabulary.js';

/** What a public verification of a certificate says (第十一条). */
export type CertificateState = 'valid' | 'not_sealed' | 'lapsed' | 'revoked';

export const CERTIFICATE_STATE_LABELS: Readonly<Record<CertificateState, Label>> = Object.freeze({
  valid: { zh: '有效', en: 'Valid' },
  not_sealed: { zh: '未盖章（尚未生效）', en: 'Not yet sealed (not in force)' },
  lapsed: { zh: '聘期届满，已失效', en: 'Term ended, lapsed' },
  revoked: { zh: '已撤销（解聘或退出）', en: 'Revoked (dismissed or withdrawn)' },
});

/** The facts of one certificate the state is read from. */
export interface CertificateFacts {
  readonly termTo: IsoDate;
  readonly sealedAt: Date | null;
  readonly revokedAt: Date | null;
}

/**
 * The state of a certificate on `now` (第十一条: 聘书需盖章方可生效; 到期后自动失效). A
 * revocation (dismissal, withdrawal, disqualification) made while the term ran wins; one made
 * after the term had ended leaves it lapsed. An unsealed certificate is never valid.
 *
 * @example
 * certificateState({ termTo: '2029-02-28', sealedAt: new Date('2026-03-02T09:00:00+08:00'), revokedAt: null }, new Date('2029-03-01T08:00:00+08:00')); // 'lapsed'
 */
export function certificateState(facts: CertificateFacts, now: Date): CertificateState {
  if (facts.revokedAt !== null && toShanghaiDate(facts.revokedAt) <= facts.termTo) {
    return 'revoked';
  }
  if (toShanghaiDate(now) > facts.termTo) return 'lapsed';
  return facts.sealedAt === null ? 'not_sealed' : 'valid';
}
