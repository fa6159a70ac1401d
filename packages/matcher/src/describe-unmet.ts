import { type Industry, industries, type RuleSet, type Task, titles } from '@expert-dispatch/rules';
import type { UnmetConstraint } from './assemble-panel.js';
import type { Unmet } from './select-panel-types.js';

/**
 * States an unmet constraint for an official, with its article where the measures give one.
 *
 * @example
 * describeUnmet({ constraint: 'leader' }, task, ruleSet).message.en;
 * // 'no eligible expert holds a leader title (Senior (full) or Senior (associate))'
 */
export function describeUnmet(unmet: UnmetConstraint, task: Task, ruleSet: RuleSet): Unmet {
  const max = ruleSet.panel.maxMembersPerEmployer;
  switch (unmet.constraint) {
    case 'panel-size':
      return {
        constraint: 'panel-size',
        article: null,
        needed: unmet.needed,
        available: unmet.available,
        message: {
          zh: `符合条件的专家（每个单位至多 ${max} 名）只有 ${unmet.available} 名，不足专家组人数 ${unmet.needed} 名`,
          en: `only ${unmet.available} eligible experts (at most ${max} per employer) for a panel of ${unmet.needed}`,
        },
      };
    case 'industry-coverage': {
      const list = unmet.industries.map((j) => task.industries[j] as Industry);
      return {
        constraint: 'industry-coverage',
        article: '第十四条',
        industries: list,
        message: {
          zh: `没有符合条件的专家可承担${list.map((i) => industries.labels[i].zh).join('、')}行业工作`,
          en: `no eligible expert serves ${list.map((i) => industries.labels[i].en).join(', ')}`,
        },
      };
    }
    case 'leader': {
      const allowed = ruleSet.panel.leaderTitles.map((title) => titles.labels[title]);
      return {
        constraint: 'leader',
        // 第五条 has the department name a leader; the title it must hold is local policy.
        article: null,
        message: {
          zh: `没有符合条件且具有组长职称（${allowed.map((l) => l.zh).join('、')}，本厅规定）的专家`,
          en: `no eligible expert holds a leader title (${allowed.map((l) => l.en).join(' or ')}; local policy)`,
        },
      };
    }
    case 'composition':
      return {
        constraint: 'composition',
        article: '第五条',
        needed: unmet.needed,
        available: unmet.available,
        message: {
          zh: `覆盖全部行业并配备组长至少需要 ${unmet.needed} 名专家，超过专家组人数 ${unmet.available} 名`,
          en: `covering every industry with a leader needs ${unmet.needed} members, more than the panel's ${unmet.available}`,
        },
      };
    case 'employer-limit':
      return {
        constraint: 'employer-limit',
        article: null,
        message: {
          zh: `受每个单位至多 ${max} 名的限制，无法同时覆盖全部行业并配备组长`,
          en: `with at most ${max} member(s) per employer, no panel covers every industry with a leader`,
        },
      };
  }
}

/** The cap of the `capped` policy is too low for the number of eligible experts. */
export function describeCapUnmet(cap: number, needed: number, available: number): Unmet {
  return {
    constraint: 'cap',
    article: null,
    needed,
    available,
    message: {
      zh: `每人被抽中概率不超过 ${cap} 时，${available} 名符合条件的专家不足以抽取 ${needed} 名`,
      en: `with no one drawn with probability above ${cap}, ${available} eligible experts cannot fill ${needed} seats`,
    },
  };
}
