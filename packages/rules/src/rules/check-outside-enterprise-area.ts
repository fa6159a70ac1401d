import { decide, type RuleOutcome } from '../rule-outcome.js';
import { LOCAL_POLICY } from '../rule-set/local-policy.js';
import type { Expert } from '../schemas/expert.js';
import type { Task } from '../schemas/task.js';

/** The city-level (州、市) code of a 6-digit county code: `530102` → `530100`. */
export function cityOf(region: string): string {
  return `${region.slice(0, 4)}00`;
}

/**
 * Local avoidance (本厅规定 / local policy, no article: the measures do not contain it), for
 * derived rule sets: an expert based in the enterprise's own county does not serve on its work.
 * Not part of the provincial set.
 *
 * @example
 * checkOutsideEnterpriseCounty({ ...expert, region: '530102' }, taskIn530102).ok; // false
 */
export function checkOutsideEnterpriseCounty(expert: Expert, task: Task): RuleOutcome {
  const same = expert.region === task.enterprise.region;
  return decide(
    'outside-enterprise-county',
    null,
    !same,
    same
      ? {
          zh: `常驻地与服务对象同在 ${expert.region} 县（市、区）（${LOCAL_POLICY.zh}）`,
          en: `based in the enterprise's own county ${expert.region} (${LOCAL_POLICY.en})`,
        }
      : { zh: '常驻地与服务对象不在同一县（市、区）', en: "not based in the enterprise's county" },
  );
}

/**
 * Local avoidance (本厅规定 / local policy, no article): an expert based in the enterprise's own
 * city or prefecture does not serve on its work.
 *
 * @example
 * checkOutsideEnterpriseCity({ ...expert, region: '530111' }, taskIn530102).ok; // false
 */
export function checkOutsideEnterpriseCity(expert: Expert, task: Task): RuleOutcome {
  const city = cityOf(task.enterprise.region);
  const same = cityOf(expert.region) === city;
  return decide(
    'outside-enterprise-city',
    null,
    !same,
    same
      ? {
          zh: `常驻地与服务对象同在 ${city} 州（市）（${LOCAL_POLICY.zh}）`,
          en: `based in the enterprise's own city ${city} (${LOCAL_POLICY.en})`,
        }
      : { zh: '常驻地与服务对象不在同一州（市）', en: "not based in the enterprise's city" },
  );
}
