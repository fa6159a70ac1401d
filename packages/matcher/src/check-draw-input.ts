import { type Expert, evaluateExpert, titles } from '@expert-dispatch/rules';
import { REASON_BIT } from './exclusion-reasons.js';
import { personView } from './person-records.js';
import type { ResolvedDraw } from './resolve-draw.js';
import type { InputProblem } from './select-panel-types.js';

const POLICIES = new Set(['best', 'lottery', 'capped']);

/**
 * The caller's demands that no draw can honour: an unknown policy or a missing cap, a fixed
 * member or named leader who is unknown, excluded, ineligible (with the rules' own reasons) or,
 * for the leader, without a leader title (第五条); two of them that are records of one person
 * (one seat per person, 第二十一条); more fixed members than seats, or fixed members over the
 * employer limit.
 *
 * @example
 * checkDrawInput(draw, masks); // [{ problem: 'leader-title', expertId: 'e-3', … }]
 */
export function checkDrawInput(draw: ResolvedDraw, masks: Uint16Array): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!POLICIES.has(draw.policy)) {
    problems.push({
      problem: 'policy-unknown',
      message: { zh: `未知的抽取方式 ${draw.policy}`, en: `unknown policy ${draw.policy}` },
    });
  }
  if (draw.today === '') {
    problems.push({
      problem: 'now-invalid',
      message: { zh: '抽取时间 now 无法识别', en: 'now is not a readable date-time' },
    });
  }
  if (draw.policy === 'capped' && !(draw.cap !== undefined && draw.cap > 0 && draw.cap <= 1)) {
    problems.push({
      problem: 'cap-required',
      message: {
        zh: '限额抽取需要 0 到 1 之间的概率上限 cap',
        en: 'the capped policy needs a cap in (0, 1]',
      },
    });
  }
  const { pool, task, ruleSet } = draw;
  const excluded = new Set(draw.exclude);
  // The caller's own exclusion and the same-person reason are reported on their own below.
  const ruleBits = ~(REASON_BIT['excluded-by-caller'] | REASON_BIT['same-person']) & 0xffff;
  const persons = new Map<readonly number[], string>();
  const check = (id: string, role: 'fixed' | 'leader'): Expert | undefined => {
    const index = pool.indexOf.get(id);
    const who =
      role === 'leader'
        ? { zh: '指定组长', en: 'named leader' }
        : { zh: '固定成员', en: 'fixed member' };
    if (index === undefined) {
      problems.push({
        problem: role === 'leader' ? 'leader-unknown' : 'unknown-expert',
        expertId: id,
        message: { zh: `${who.zh} ${id} 不在专家库中`, en: `${who.en} ${id} is not in the pool` },
      });
      return undefined;
    }
    const expert = pool.experts[index] as Expert;
    if (excluded.has(id)) {
      problems.push({
        problem: role === 'leader' ? 'leader-excluded' : 'fixed-excluded',
        expertId: id,
        message: { zh: `${who.zh} ${id} 同时被排除`, en: `${who.en} ${id} is also excluded` },
      });
    }
    const records = pool.personRecords.get(index);
    const first = records === undefined ? undefined : persons.get(records);
    if (records !== undefined && first === undefined) persons.set(records, id);
    if (first !== undefined) {
      problems.push({
        problem: 'fixed-same-person',
        expertId: id,
        message: {
          zh: `${who.zh} ${id} 与 ${first} 是同一人的两条记录，一人只占一个席位`,
          en: `${who.en} ${id} and ${first} are records of the same person, who takes one seat`,
        },
      });
    }
    if (((masks[index] as number) & ruleBits) !== 0) {
      // The person's view: a booking or declaration under another record of theirs counts.
      const view = personView(pool, draw.history.history.busy, index);
      const evaluation = evaluateExpert(view.expert, task, { busy: view.busy }, ruleSet);
      problems.push({
        problem: role === 'leader' ? 'leader-ineligible' : 'fixed-ineligible',
        expertId: id,
        message: {
          zh: `${who.zh} ${id} 不符合选用条件`,
          en: `${who.en} ${id} may not be dispatched to this task`,
        },
        reasons: evaluation.reasons,
      });
    }
    return expert;
  };

  const kept: Expert[] = [];
  if (task.leaderId !== undefined) {
    const leader = check(task.leaderId, 'leader');
    if (leader !== undefined) {
      kept.push(leader);
      if (!ruleSet.panel.leaderTitles.includes(leader.title)) {
        const allowed = ruleSet.panel.leaderTitles.map((title) => titles.labels[title]);
        problems.push({
          problem: 'leader-title',
          expertId: leader.id,
          message: {
            zh: `指定组长职称为${titles.labels[leader.title].zh}，组长须为${allowed.map((l) => l.zh).join('或')}`,
            en: `the named leader's title is ${titles.labels[leader.title].en}; a leader must be ${allowed.map((l) => l.en).join(' or ')}`,
          },
        });
      }
    }
  }
  for (const id of draw.fixed) {
    if (id === task.leaderId) continue;
    const expert = check(id, 'fixed');
    if (expert !== undefined) kept.push(expert);
  }
  if (kept.length > task.panelSize) {
    problems.push({
      problem: 'too-many-fixed',
      message: {
        zh: `固定成员 ${kept.length} 名，超过专家组人数 ${task.panelSize}`,
        en: `${kept.length} fixed members exceed the panel size of ${task.panelSize}`,
      },
    });
  }
  const perEmployer = new Map<string, number>();
  for (const expert of kept) {
    const count = (perEmployer.get(expert.employer.id) ?? 0) + 1;
    perEmployer.set(expert.employer.id, count);
    if (count === ruleSet.panel.maxMembersPerEmployer + 1) {
      problems.push({
        problem: 'fixed-employer-limit',
        expertId: expert.id,
        message: {
          zh: `固定成员中来自“${expert.employer.name}”的超过 ${ruleSet.panel.maxMembersPerEmployer} 名`,
          en: `more than ${ruleSet.panel.maxMembersPerEmployer} fixed members from ${expert.employer.name}`,
        },
      });
    }
  }
  return problems;
}
