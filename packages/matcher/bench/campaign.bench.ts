// Benchmark of planCampaign on a synthetic campaign, against (1) the LP optimum HiGHS computes
// on the same instance in the same run and (2) drawing the tasks one by one with selectPanel.
// Run: `npm run bench:campaign -w @expert-dispatch/matcher` (BENCH_TASKS, BENCH_EXPERTS,
// BENCH_WEEKS, BENCH_PASSES, BENCH_HIGHS_MAX_PAIRS override the defaults).
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { addDays, type Task, toShanghaiDate, yunnanGmy2025 } from '@expert-dispatch/rules';
import seedrandom from 'seedrandom';
import { fitWeight, personOf, taskCandidates } from '../src/campaign/campaign-candidates.js';
import { overlapGroups } from '../src/campaign/overlap-groups.js';
import {
  generateHistory,
  generatePool,
  generateTask,
  giniCoefficient,
  planCampaign,
  prepareHistory,
  preparePool,
  selectPanel,
} from '../src/index.js';

interface LegacySolution {
  readonly Status: string;
  readonly Columns: Readonly<Record<string, { readonly Primal?: number }>>;
}
// The highs package is CommonJS; its loader is its module.exports.
const highsLoader = createRequire(import.meta.url)('highs') as () => Promise<{
  solve(lp: string, options?: Readonly<Record<string, unknown>>): LegacySolution;
}>;

const NOW = '2026-03-01T09:00:00+08:00';
const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const EXPERTS = Number(process.env.BENCH_EXPERTS ?? 10_000);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 4);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const HIGHS_MAX_PAIRS = Number(process.env.BENCH_HIGHS_MAX_PAIRS ?? 600_000);
const SEATS = 3;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const load = (): string => loadavg()[0]?.toFixed(2) ?? '?';
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
// CPU time of this process: comparable between runs on a machine shared with other jobs.
const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const heapMb = (): number => process.memoryUsage().heapUsed / 1_048_576;

// The instance: tasks spread over WEEKS weeks, each window Monday 09:00 to Friday 18:00 of its
// week, so an expert takes at most one task a week; load cap = WEEKS (1 task per expert per week).
const experts = generatePool({ size: EXPERTS, seed: 'campaign-bench', now: NOW });
const pool = preparePool(experts);
const history = prepareHistory(
  generateHistory({ experts, seed: 'campaign-bench', now: NOW }),
  pool,
);
const monday = addDays(toShanghaiDate(NOW), 8);
const tasks: Task[] = Array.from({ length: TASKS }, (_, t) => {
  const week = t % WEEKS;
  const start = addDays(monday, 7 * week);
  const task = generateTask({ seed: `c-${t}`, now: NOW, experts, panelSize: SEATS, alternates: 0 });
  return {
    ...task,
    id: `task-${String(t).padStart(4, '0')}`,
    window: { from: `${start}T09:00:00+08:00`, to: `${addDays(start, 4)}T18:00:00+08:00` },
  };
});
// 1% of the (task, expert) pairs in conflict: left out of that task only.
const random = seedrandom('campaign-bench-conflicts');
const exclude: Record<string, string[]> = {};
for (const task of tasks) {
  exclude[task.id] = pool.ids.filter(() => random() < 0.01);
}
const loadCap = WEEKS;
const input = {
  tasks,
  experts: pool,
  history,
  now: NOW,
  policy: 'optimal' as const,
  loadCap,
  seed: 'bench',
  exclude,
};

// The same eligible pairs and fits the planner sees, for the LP.
const perTask = tasks.map((task) => {
  const result = taskCandidates(
    task,
    pool,
    history,
    NOW,
    yunnanGmy2025,
    'bench',
    exclude[task.id] ?? [],
  );
  if (!result.ok) throw new Error(`task ${task.id}: ${JSON.stringify(result.problems)}`);
  return result.value;
});
const pairs = perTask.reduce((sum, c) => sum + c.order.length, 0);
console.log(
  `planCampaign benchmark — node ${process.version}, ${TASKS} tasks × ${SEATS} seats, ${EXPERTS} experts, ${WEEKS} weeks, load cap ${loadCap} (1 per week), 1% pairs in conflict; ${pairs} eligible pairs`,
);

/** One pass: plan, time, heap. */
function runPlan() {
  gc();
  const heapBefore = heapMb();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const plan = planCampaign(input);
  const cpuMs = cpuMsSince(cpu);
  const ms = performance.now() - started;
  const heap = heapMb() - heapBefore;
  if (!plan.ok) throw new Error(`plan failed: ${JSON.stringify(plan).slice(0, 400)}`);
  return { plan, ms, cpuMs, heap, load: load() };
}

/** Drawing the tasks one by one (policy best), each excluding who is busy that week or at the cap. */
function runOneByOne() {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const taskLoad = new Map<string, number>();
  const busy = new Set<string>();
  const { group } = overlapGroups(tasks);
  let filled = 0;
  let fit = 0;
  let covered = 0;
  let named = 0;
  tasks.forEach((task, t) => {
    const capped = [...taskLoad].filter(([, n]) => n >= loadCap).map(([id]) => id);
    const week = [...busy]
      .filter((key) => key.endsWith(`/${group[t]}`))
      .map((key) => key.split('/')[0] as string);
    const result = selectPanel({
      task,
      experts: pool,
      history,
      now: NOW,
      seed: `bench-${t}`,
      policy: 'best',
      exclude: [...(exclude[task.id] ?? []), ...capped, ...week],
    });
    named += task.specialties.length;
    if (!result.ok) return;
    filled += result.members.length;
    covered += task.specialties.length - result.gaps.specialties.length;
    for (const m of result.members) {
      fit += fitWeight(m.score) / 1000;
      taskLoad.set(m.expertId, (taskLoad.get(m.expertId) ?? 0) + 1);
      busy.add(`${m.expertId}/${group[t]}`);
    }
  });
  const loads = [...taskLoad.values()];
  return {
    ms: performance.now() - started,
    cpuMs: cpuMsSince(cpu),
    filled,
    fit,
    covered,
    named,
    maxLoad: Math.max(0, ...loads),
    gini: giniCoefficient(loads),
    load: load(),
  };
}

/** The LP relaxation of the same problem (CPLEX LP format), leader and industries included. */
function lpModel(): string {
  const { group } = overlapGroups(tasks);
  const objective: string[] = [];
  const rows: string[] = [];
  const into = <K>(map: Map<K, string[]>, key: K, name: string): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [name]);
    else list.push(name);
  };
  const byPersonGroup = new Map<string, string[]>();
  const byPerson = new Map<number, string[]>();
  let bigM = 1;
  for (const c of perTask)
    for (let k = 0; k < c.scores.length; k++)
      bigM = Math.max(bigM, fitWeight(c.scores[k] as number) + 1);
  bigM *= TASKS * SEATS + 1;
  perTask.forEach((c, t) => {
    const names: string[] = [];
    const byEmployer = new Map<number, string[]>();
    const leaders: string[] = [];
    const cover = c.draw.task.industries.map(() => [] as string[]);
    c.order.forEach((index, k) => {
      const name = `x${t}_${index}`;
      names.push(name);
      objective.push(`${bigM + fitWeight(c.scores[k] as number)} ${name}`);
      const employer = c.traits.employerOf(index);
      into(byEmployer, employer, name);
      if (c.traits.isLeaderTitled(index)) leaders.push(name);
      cover.forEach((list, j) => {
        if (c.traits.coverOf(index) & (1 << j)) list.push(name);
      });
      const person = personOf(pool, index);
      const key = `${person}/${group[t]}`;
      into(byPersonGroup, key, name);
      into(byPerson, person, name);
    });
    rows.push(`seats${t}: ${names.join(' + ')} <= ${SEATS}`);
    let e = 0;
    for (const list of byEmployer.values())
      if (list.length > 1)
        rows.push(
          `emp${t}_${e++}: ${list.join(' + ')} <= ${yunnanGmy2025.panel.maxMembersPerEmployer}`,
        );
    rows.push(`lead${t}: ${leaders.join(' + ')} >= 1`);
    cover.forEach((list, j) => {
      rows.push(`ind${t}_${j}: ${list.join(' + ')} >= 1`);
    });
  });
  let r = 0;
  for (const list of byPersonGroup.values())
    if (list.length > 1) rows.push(`week${r++}: ${list.join(' + ')} <= 1`);
  for (const list of byPerson.values())
    if (list.length > loadCap) rows.push(`cap${r++}: ${list.join(' + ')} <= ${loadCap}`);
  const bounds = perTask.flatMap((c, t) => Array.from(c.order, (index) => `x${t}_${index} <= 1`));
  return `Maximize\n obj: ${objective.join(' + ')}\nSubject To\n ${rows.join('\n ')}\nBounds\n ${bounds.join('\n ')}\nEnd\n`;
}

const positionOf = perTask.map((c) => new Map(Array.from(c.order, (index, k) => [index, k])));

async function runHighs() {
  if (pairs > HIGHS_MAX_PAIRS) return null;
  const highs = await highsLoader();
  const lp = lpModel();
  const started = performance.now();
  const cpu = process.cpuUsage();
  let solution: LegacySolution;
  try {
    solution = highs.solve(lp, { presolve: 'on' });
  } catch (error) {
    // The WASM build aborts when the model outgrows its memory: report it, keep the other rows.
    const message = error instanceof Error ? error.message.slice(0, 80) : String(error);
    solution = { Status: `failed: ${message}`, Columns: {} };
  }
  const cpuMs = cpuMsSince(cpu);
  const ms = performance.now() - started;
  let seats = 0;
  let fit = 0;
  for (const [name, column] of Object.entries(solution.Columns)) {
    const primal = column.Primal ?? 0;
    if (primal <= 1e-9) continue;
    const [t, index] = name.slice(1).split('_').map(Number);
    const c = perTask[t as number];
    const k = positionOf[t as number]?.get(index as number) ?? -1;
    seats += primal;
    fit += (primal * fitWeight((c?.scores[k] as number) ?? 0)) / 1000;
  }
  return {
    status: solution.Status,
    ms,
    cpuMs,
    seats,
    fit,
    load: load(),
    lpMb: lp.length / 1_048_576,
  };
}

const plans = Array.from({ length: PASSES }, runPlan);
const plan = plans[0]?.plan;
if (plan === undefined) throw new Error('no pass');
const oneByOne = Array.from({ length: PASSES }, runOneByOne);
const highsRuns = [];
for (let k = 0; k < PASSES; k++) highsRuns.push(await runHighs());
const lpRun = highsRuns[0] ?? null;
const lp = lpRun?.status === 'Optimal' ? lpRun : null;
const planFit = plan.plans.reduce(
  (s, p) => s + p.members.reduce((a, m) => a + fitWeight(m.score) / 1000, 0),
  0,
);
const seq = oneByOne[0];
console.table([
  {
    method: 'planCampaign (optimal)',
    'median ms': median(plans.map((p) => p.ms)).toFixed(0),
    'median CPU ms': median(plans.map((p) => p.cpuMs)).toFixed(0),
    'loadavg at runs': plans.map((p) => p.load).join(' '),
    'seats filled': `${plan.totals.filled}/${plan.totals.seats}`,
    'total fit': planFit.toFixed(2),
    'fit / LP': lp ? (planFit / lp.fit).toFixed(5) : 'n/a',
    'specialties covered': `${plan.totals.specialtiesCovered}/${plan.totals.specialtiesNamed}`,
    'max load': plan.totals.maxLoad,
    gini: plan.totals.gini?.toFixed(3),
    'heap MB': median(plans.map((p) => p.heap)).toFixed(0),
  },
  {
    method: 'HiGHS LP (same instance)',
    'median ms': lpRun
      ? median(highsRuns.map((h) => h?.ms ?? 0)).toFixed(0)
      : `skipped: ${pairs} pairs`,
    'median CPU ms': lpRun ? median(highsRuns.map((h) => h?.cpuMs ?? 0)).toFixed(0) : '',
    'loadavg at runs': highsRuns.map((h) => h?.load ?? '-').join(' '),
    'seats filled': lpRun ? `${lpRun.seats.toFixed(2)} (${lpRun.status})` : 'n/a',
    'total fit': lp ? lp.fit.toFixed(2) : 'n/a',
    'fit / LP': lp ? '1' : 'n/a',
    'specialties covered': '',
    'max load': '',
    gini: '',
    'heap MB': lpRun ? `LP text ${lpRun.lpMb.toFixed(0)} MB` : '',
  },
  {
    method: 'selectPanel one by one (best)',
    'median ms': median(oneByOne.map((o) => o.ms)).toFixed(0),
    'median CPU ms': median(oneByOne.map((o) => o.cpuMs)).toFixed(0),
    'loadavg at runs': oneByOne.map((o) => o.load).join(' '),
    'seats filled': `${seq?.filled}/${TASKS * SEATS}`,
    'total fit': seq?.fit.toFixed(2),
    'fit / LP': lp && seq ? (seq.fit / lp.fit).toFixed(5) : 'n/a',
    'specialties covered': `${seq?.covered}/${seq?.named}`,
    'max load': seq?.maxLoad,
    gini: seq?.gini?.toFixed(3),
    'heap MB': '',
  },
]);
console.log(
  `solver: overlap model ${plan.solver.overlapModel}, pricing rounds ${plan.solver.pricingRounds}, completion swaps ${plan.solver.repairs}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${PASSES} passes, medians.`,
);
