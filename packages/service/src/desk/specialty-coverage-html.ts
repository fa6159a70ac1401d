import { specialtyZh } from '../experts/specialty-label.js';
import { type DeskLang, escapeHtml, t } from './desk-layout.js';

/** How a draw met one named specialty, as the matcher records it (selection 2, 第十四条). */
export interface StoredSpecialtyCoverage {
  readonly specialty: string;
  readonly how: string;
  readonly expertId: string | null;
}

const HOW: Readonly<Record<string, { zh: string; en: string }>> = {
  fixed: { zh: '由指定的组长或成员具备', en: 'held by a named leader or member' },
  'specialty-first': {
    zh: '优先选用具备该专业特长的专家',
    en: 'a holder seated before any other choice',
  },
  'none-eligible': { zh: '无符合条件的专家具备', en: 'no eligible expert holds it' },
  'no-seat': { zh: '专家组已无空位', en: 'no seat was left' },
};

/**
 * The printed draw record's table of how each named specialty was met (第十四条: 应优先选用更具
 * 相应专业特长的专家): the specialty by its Chinese name, how, and who (through `nameOf`, which
 * seals names as the panel is sealed). Empty for draws that recorded no coverage (selection 1).
 *
 * @example
 * specialtyCoverageHtml('zh', [{ specialty: 'dust_explosion', how: 'specialty-first', expertId: 'e-1' }], (id) => id);
 */
export function specialtyCoverageHtml(
  lang: DeskLang,
  coverage: readonly StoredSpecialtyCoverage[] | undefined,
  nameOf: (expertId: string) => string,
): string {
  if (coverage === undefined || coverage.length === 0) return '';
  const rows = coverage
    .map((entry) => {
      const name = lang === 'en' ? entry.specialty : specialtyZh(entry.specialty);
      const how = HOW[entry.how] ?? { zh: entry.how, en: entry.how };
      return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(t(lang, how))}</td><td>${entry.expertId === null ? '—' : nameOf(entry.expertId)}</td></tr>`;
    })
    .join('');
  return `<h2>${t(lang, { zh: '专业特长（第十四条）', en: 'Specialties (第十四条)' })}</h2><table id="record-specialties"><thead><tr><th scope="col">${t(lang, { zh: '专业', en: 'Specialty' })}</th><th scope="col">${t(lang, { zh: '满足方式', en: 'How met' })}</th><th scope="col">${t(lang, { zh: '专家', en: 'Expert' })}</th></tr></thead><tbody>${rows}</tbody></table>`;
}
