import seedrandom from 'seedrandom';
import { assemblePanel } from './assemble-panel.js';
import { countKinds, traitsOf } from './candidate-traits.js';
import { checkDrawInput } from './check-draw-input.js';
import { chooseAlternates } from './choose-alternates.js';
import { chooseLeader, type RankedMember } from './choose-leader.js';
import { chooseShadows } from './choose-shadows.js';
import { describeCapUnmet, describeUnmet } from './describe-unmet.js';
import { engagementRecusals } from './engagement-recusals.js';
import { reportExclusions } from './exclusion-report.js';
import { mix32, policyOrder } from './policy-order.js';
import { drawDigest, resolveDraw } from './resolve-draw.js';
import { averageRating, breakdownOf, totalScore } from './score-expert.js';
import { scoringContextOf } from './scoring-context.js';
import { screenDraw } from './screen-draw.js';
import type {
  DrawRecord,
  Gaps,
  PanelMember,
  SelectPanelInput,
  SelectPanelResult,
} from './select-panel-types.js';
import { specialtyFirstOrder } from './specialty-first.js';
import { countSpecialtyHolders, specialtyCoverage, specialtyGaps } from './specialty-gaps.js';

/**
 * Draws the panel for a task: screens the pool with the rule set's dispatch rules (keeping one
 * record per person, so nobody is seated twice), scores the eligible, orders them by the policy, and assembles members, leader, alternates and shadows
 * under the panel constraints. Pure and synchronous; the same input gives the same result,
 * digest included, on every machine. Domain outcomes are data: `ok: false` with
 * `code: 'infeasible'` (and what could not be met) or `code: 'invalid_input'`.
 *
 * @example
 * const pool = preparePool(generatePool({ size: 1000, seed: 'demo', now }));
 * const result = selectPanel({ task, experts: pool, now, seed: 'draw-1' });
 * if (result.ok) result.members.map((m) => m.expertId);
 */
export function selectPanel(input: SelectPanelInput): SelectPanelResult {
  const draw = resolveDraw(input);
  const { pool, task, ruleSet } = draw;
  const ruleSetRef = { id: ruleSet.id, version: ruleSet.version };
  const { masks } = screenDraw(draw);
  const problems = checkDrawInput(draw, masks);
  if (problems.length > 0) {
    return { ok: false, code: 'invalid_input', problems, seed: draw.seed, ruleSet: ruleSetRef };
  }
  const report = reportExclusions(
    pool,
    masks,
    ruleSet.dispatchRules,
    ruleSet.selectionVersion ?? 1,
  );
  const recusals = engagementRecusals(pool, task.relatedOrganizations, masks);
  const record: DrawRecord = {
    seed: draw.seed,
    policy: draw.policy,
    ...(draw.cap !== undefined ? { cap: draw.cap } : {}),
    ruleSet: ruleSetRef,
    digest: drawDigest(draw),
    funnel: report.funnel,
    eligible: report.funnel.eligible,
    excluded: report.excluded,
    exclusionReasons: report.exclusionReasons,
    ...(recusals.length === 0 ? {} : { engagementRecusals: recusals }),
  };

  const candidates = report.eligible;
  const scoring = scoringContextOf(pool, draw.history, ruleSet, task, draw.today);
  const scores = new Float64Array(candidates.length);
  for (let k = 0; k < candidates.length; k++) {
    scores[k] = totalScore(scoring, candidates[k] as number);
  }
  const traits = traitsOf(draw, scoring);
  const kindCounts = countKinds(draw, candidates);
  const specialtyHolders = countSpecialtyHolders(scoring, candidates);
  const fixedIds = [
    ...new Set([...(task.leaderId !== undefined ? [task.leaderId] : []), ...draw.fixed]),
  ];
  const fixed = fixedIds.map((id) => pool.indexOf.get(id) as number);
  const ordered = policyOrder({
    policy: draw.policy,
    seed: draw.seed,
    stream: 'members',
    candidates,
    scores,
    idHash: pool.idHash,
    seats: task.panelSize - fixed.length,
    cap: draw.cap ?? 1,
    fixed: new Set(fixed),
  });
  if (!ordered.ok) {
    const unmet = [describeCapUnmet(draw.cap ?? 1, ordered.needed, ordered.available)];
    return { ok: false, code: 'infeasible', unmet, ...record };
  }
  // 第十四条: from selection 2 on, each named specialty's holder comes before any lottery.
  const specialtyFirst = ruleSet.selectionVersion === 2 && scoring.specialtyCount > 0;
  let fixedHeld = 0;
  for (const index of fixed) fixedHeld |= traits.specialtiesOf(index);
  const memberOrder = specialtyFirst
    ? specialtyFirstOrder(
        ordered.order,
        traits.specialtiesOf,
        scoring.specialtyCount,
        specialtyHolders,
        fixedHeld,
      )
    : ordered.order;
  const assembly = assemblePanel({
    order: memberOrder,
    candidates,
    kindCounts,
    traits,
    panelSize: task.panelSize,
    maxPerEmployer: ruleSet.panel.maxMembersPerEmployer,
    industryCount: task.industries.length,
    specialtyCount: scoring.specialtyCount,
    specialtyHolders,
    fixed,
    specialtyReach: specialtyFirst ? Infinity : ordered.specialtyReach,
  });
  if (!assembly.ok) {
    const unmet = assembly.unmet.map((item) => describeUnmet(item, task, ruleSet));
    return { ok: false, code: 'infeasible', unmet, ...record };
  }

  const tieSalt = seedrandom(`${draw.seed}#leader`).int32() >>> 0;
  const leaderTitled: RankedMember[] = assembly.members
    .filter((index) => traits.isLeaderTitled(index))
    .map((index) => {
      const expert = pool.experts[index];
      return {
        expertId: pool.ids[index] as string,
        title: expert?.title ?? 'none',
        rating: averageRating(scoring, index),
        practiceYears: pool.practiceYears[index] as number,
        tieKey: mix32(((pool.idHash[index] as number) ^ tieSalt) >>> 0),
      };
    });
  const leader = chooseLeader(leaderTitled, task.leaderId);
  if (leader === null) throw new Error('assemblePanel returned a panel without a leader title');
  const fixedSet = new Set(draw.fixed);
  const scored = (index: number) => ({
    expertId: pool.ids[index] as string,
    score: totalScore(scoring, index),
    breakdown: breakdownOf(scoring, index),
  });
  const members: PanelMember[] = assembly.members
    .map((index): PanelMember => {
      const entry = scored(index);
      const source =
        entry.expertId === task.leaderId
          ? 'named-leader'
          : fixedSet.has(entry.expertId)
            ? 'fixed'
            : 'drawn';
      return { ...entry, role: entry.expertId === leader.expertId ? 'leader' : 'member', source };
    })
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'leader' ? -1 : 1));

  const chosenAlternates = chooseAlternates({
    order: ordered.order,
    kindCounts,
    traits,
    members: assembly.members,
    count: task.alternates,
    maxPerEmployer: ruleSet.panel.maxMembersPerEmployer,
    industryCount: task.industries.length,
  });
  const alternates = chosenAlternates.map((alternate) => ({
    ...scored(alternate.index),
    replaces: alternate.replaces.map((m) => pool.ids[assembly.members[m] as number] as string),
  }));
  const taken = new Set<number>(assembly.members);
  for (const alternate of chosenAlternates) taken.add(alternate.index);
  const shadows = chooseShadows(draw, scoring, candidates, taken).map(scored);

  const gaps: Gaps = {
    specialties: specialtyGaps(draw, specialtyHolders, assembly.specialtyGaps),
    alternates: task.alternates - alternates.length,
    shadows: task.shadows - shadows.length,
  };
  const coverage = specialtyFirst
    ? { specialtyCoverage: specialtyCoverage(draw, scoring, assembly.members, fixed, gaps) }
    : {};
  return { ok: true, members, leader, alternates, shadows, gaps, ...coverage, ...record };
}
