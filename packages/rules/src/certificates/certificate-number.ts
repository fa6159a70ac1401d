/**
 * How an appointment certificate (聘书, 第十一条) is numbered: a pattern with `{year}` (the year
 * the term starts) and `{seq}` (the certificate's place in that year, zero-padded to `digits`).
 * The measures do not fix a scheme, so it is local policy (本厅规定), a rule-set parameter.
 */
export interface CertificateNumbering {
  readonly pattern: string;
  readonly digits: number;
}

/** The scheme used when a rule set names none: 云应急专家〔2026〕第0001号. */
export const DEFAULT_CERTIFICATE_NUMBERING: CertificateNumbering = Object.freeze({
  pattern: '云应急专家〔{year}〕第{seq}号',
  digits: 4,
});

/**
 * The printed number of the `seq`-th certificate of `year`.
 *
 * @example
 * formatCertificateNumber(DEFAULT_CERTIFICATE_NUMBERING, 2026, 7); // '云应急专家〔2026〕第0007号'
 */
export function formatCertificateNumber(
  numbering: CertificateNumbering,
  year: number,
  seq: number,
): string {
  return numbering.pattern
    .replace('{year}', String(year))
    .replace('{seq}', String(seq).padStart(numbering.digits, '0'));
}

/**
 * The year and sequence a printed number stands for, or null when it is not one of this
 * scheme's numbers (so a public look-up of any other string finds nothing).
 *
 * @example
 * parseCertificateNumber(DEFAULT_CERTIFICATE_NUMBERING, '云应急专家〔2026〕第0007号'); // { year: 2026, seq: 7 }
 */
export function parseCertificateNumber(
  numbering: CertificateNumbering,
  printed: string,
): { readonly year: number; readonly seq: number } | null {
  const [before, afterYear] = splitOnce(numbering.pattern, '{year}');
  if (afterYear === undefined) return null;
  const [between, after] = splitOnce(afterYear, '{seq}');
  if (after === undefined) return null;
  const source = `^${escapeRegExp(before)}(\\d{4})${escapeRegExp(between)}(\\d{${numbering.digits},9})${escapeRegExp(after)}$`;
  const match = new RegExp(source, 'u').exec(printed);
  if (match === null) return null;
  const year = Number(match[1]);
  const seq = Number(match[2]);
  // Only the canonical form: '第07号' is not the number '第0007号' was printed as.
  if (formatCertificateNumber(numbering, year, seq) !== printed || seq < 1) return null;
  return { year, seq };
}

function splitOnce(text: string, marker: string): [string, string | undefined] {
  const at = text.indexOf(marker);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + marker.length)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
