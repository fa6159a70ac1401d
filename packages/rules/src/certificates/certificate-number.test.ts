import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CERTIFICATE_NUMBERING,
  formatCertificateNumber,
  parseCertificateNumber,
} from './certificate-number.js';

const custom = { pattern: 'YN-{year}-{seq}', digits: 5 };

describe('certificate numbers (聘书编号, 本厅规定)', () => {
  it.each([
    [DEFAULT_CERTIFICATE_NUMBERING, 2026, 1, '云应急专家〔2026〕第0001号'],
    [DEFAULT_CERTIFICATE_NUMBERING, 2029, 123, '云应急专家〔2029〕第0123号'],
    [DEFAULT_CERTIFICATE_NUMBERING, 2026, 12345, '云应急专家〔2026〕第12345号'],
    [custom, 2027, 42, 'YN-2027-00042'],
  ])('prints %o %i/%i as %s and reads it back', (numbering, year, seq, printed) => {
    expect(formatCertificateNumber(numbering, year, seq)).toBe(printed);
    expect(parseCertificateNumber(numbering, printed)).toEqual({ year, seq });
  });

  it.each([
    ['a non-canonical sequence', '云应急专家〔2026〕第01号'],
    ['another scheme', 'YN-2026-00001'],
    ['extra text', '云应急专家〔2026〕第0001号 '],
    ['sequence zero', '云应急专家〔2026〕第0000号'],
    ['an empty string', ''],
    ['regex characters', '.*'],
  ])('finds no number in %s', (_name, printed) => {
    expect(parseCertificateNumber(DEFAULT_CERTIFICATE_NUMBERING, printed)).toBeNull();
  });
});
