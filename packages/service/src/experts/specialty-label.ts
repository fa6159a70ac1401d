import { SPECIALTY_LABELS } from './import/expert-columns.js';

/** Tag → Chinese name, the reverse of the import table (one source for both directions). */
const ZH_OF_TAG: ReadonlyMap<string, string> = new Map(
  Object.entries(SPECIALTY_LABELS).map(([zh, tag]) => [tag, zh]),
);

/**
 * The specialties as a Chinese page prints them: the glossary's name of each common tag
 * (`fire` → 消防), any other tag as written (a free tag may already be Chinese), joined by 、.
 * Pages read by the public or printed (聘书, 公示) must not show identifiers.
 *
 * @example
 * specialtiesZh(['occupational_health', 'fire']); // '职业健康、消防'
 * specialtiesZh([]); // ''
 */
export function specialtiesZh(tags: readonly string[]): string {
  return tags.map(specialtyZh).join('、');
}

/**
 * One specialty's Chinese name: the glossary's for a common tag, else the tag as written.
 *
 * @example
 * specialtyZh('dust_explosion'); // '粉尘涉爆'
 */
export function specialtyZh(tag: string): string {
  return ZH_OF_TAG.get(tag) ?? tag;
}
