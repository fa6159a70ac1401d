// Benchmark of planCampaign on synthetic campaigns, against (1) the LP optimum HiGHS computes on
// the same instance in the same run (column generation on HiGHS' persistent model: the exact LP
// optimum over every eligible pair, proven by HiGHS' duals) and (2) drawing the tasks one by one
// with selectPanel.
// Run: `npm run bench:campaign -w @expert-dispatch/matcher`. BENCH_SIZES (tasks×experts, comma
// separated; default 100x1000,250x2500,500x5000; add 1000x10000 for the target), BENCH_WEEKS,
// BENCH_PASSES (default 3 up to 250 tasks, else 1), BENCH_HIGHS_FULL_MAX_PAIRS (the whole LP in
// one HiGHS solve as a cross-check up to this many pairs; default 250 000).
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { addDays, type Task, toShanghaiDate, yunnanGmy2025 } from '@expert-dispatch/rules';
import seedrandom from 'seedrandom';
import {
  fitWeight,
  personOf,
  type TaskCandidates,
  taskCandidates,
} from '../src/campaign/campaign-candidates.js';
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

interface HighsSolution {
  readonly colValue: Float64Array;
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
}
interface HighsModel {
  readonly options: { set(name: string, value: boolean | number | string): unknown };
  changeObjectiveSense(sense: number): unknown;
  run(): unknown;
  getModelStatus(): number;
  getSolution(): HighsSolution;
  getObjectiveValue(): number;
  addRow(lower: number, upper: number, entries: { indices: number[]; values: number[] }): unknown;
  addCol(
    cost: number,
    lower: number,
    upper: number,
    entries: { indices: number[]; values: number[] },
  ): unknown;
  dispose(): void;
}
interface HighsApi {
  readonly infinity: number;
  readonly constants: {
    readonly objectiveSense: { readonly maximize: number };
    readonly modelStatus: { readonly optimal: number };
  };
  createModel(model?: unknown): HighsModel;
}
// The highs package is CommonJS; its loader is its module.exports.
const highsLoader = createRequire(import.meta.url)('highs') as () => Promise<HighsApi>;

const NOW = '2026-03-01T09:00:00+08:00';
const SIZES = (process.env.BENCH_SIZES ?? '100x1000,250x2500,500x5000')
  .split(',')
  .map((size) => size.split('x').map(Number) as [number, number]);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 4);
const FULL_MAX_PAIRS = Number(process.env.BENCH_HIGHS_FULL_MAX_PAIRS ?? 250_000);
const SEATS = 3;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';
const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
// CPU time of this process: comparable between runs on a machine shared with other jobs.
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const heapMb = (): number => process.memoryUsage().heapUsed / 1_048_576;
const s = (x: number): string => x.toFixed(2);

/** A measurement with the 1-minute load average when it was taken. */
interface Timed {
  readonly wall: number;
  readonly cpu: number;
  readonly load: string;
}
const timedMedian = (runs: readonly Timed[]): string =>
  `${s(median(runs.map((r) => r.cpu)))} s CPU, ${s(median(runs.map((r) => r.wall)))} s wall (load ${runs.map((r) => r.load).join('/')})`;

function instance(taskCount: number, expertCount: number) {
  const experts = generatePool({ size: expertCount, seed: 'campaign-bench', now: NOW });
  const pool = preparePool(experts);
  const history = prepareHistory(
    generateHistory({ experts, seed: 'campaign-bench', now: NOW }),
    pool,
  );
  // Tasks spread over WEEKS weeks, each window Monday 09:00 to Friday 18:00 of its week, so an
  // expert takes at most one task a week; load cap = WEEKS (1 task per expert per week).
  const monday = addDays(toShanghaiDate(NOW), 8);
  const tasks: Task[] = Array.from({ length: taskCount }, (_, t) => {
    const start = addDays(monday, 7 * (t % WEEKS));
    const task = generateTask({
      seed: `c-${t}`,
      now: NOW,
      experts,
      panelSize: SEATS,
      alternates: 0,
    });
    return {
      ...task,
      id: `task-${String(t).padStart(4, '0')}`,
      window: { from: `${start}T09:00:00+08:00`, to: `${addDays(start, 4)}T18:00:00+08:00` },
    };
  });
  // 1% of the (task, expert) pairs in conflict: left out of that task only.
  const random = seedrandom('campaign-bench-conflicts');
  const exclude: Record<string, string[]> = {};
  for (const task of tasks) exclude[task.id] = pool.ids.filter(() => random() < 0.01);
  return { pool, history, tasks, exclude };
}

type Instance = ReturnType<typeof instance>;

function runPlan(inst: Instance) {
  const input = {
    tasks: inst.tasks,
    experts: inst.pool,
    history: inst.history,
    now: NOW,
    policy: 'optimal' as const,
    loadCap: WEEKS,
    seed: 'bench',
    exclude: inst.exclude,
  };
  gc();
  const heapBefore = heapMb();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const plan = planCampaign(input);
  const timed: Timed = {
    cpu: cpuSince(cpu),
    wall: (performance.now() - started) / 1000,
    load: load(),
  };
  const heap = heapMb() - heapBefore;
  if (!plan.ok) throw new Error(`plan failed: ${JSON.stringify(plan).slice(0, 400)}`);
  const fit = plan.plans.reduce(
    (sum, p) => sum + p.members.reduce((a, m) => a + fitWeight(m.score) / 1000, 0),
    0,
  );
  return { plan, timed, heap, fit };
}

/** Drawing the tasks one by one (policy best), each excluding who is busy that week or at the cap. */
function runOneByOne(inst: Instance) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const taskLoad = new Map<string, number>();
  const busy = new Set<string>();
  const { group } = overlapGroups(inst.tasks);
  let filled = 0;
  let fit = 0;
  let covered = 0;
  let named = 0;
  inst.tasks.forEach((task, t) => {
    const capped = [...taskLoad].filter(([, n]) => n >= WEEKS).map(([id]) => id);
    const week = [...busy]
      .filter((key) => key.endsWith(`/${group[t]}`))
      .map((key) => key.split('/')[0] as string);
    const result = selectPanel({
      task,
      experts: inst.pool,
      history: inst.history,
      now: NOW,
      seed: `bench-${t}`,
      policy: 'best',
      exclude: [...(inst.exclude[task.id] ?? []), ...capped, ...week],
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
  const timed: Timed = {
    cpu: cpuSince(cpu),
    wall: (performance.now() - started) / 1000,
    load: load(),
  };
  return {
    timed,
    filled,
    fit,
    covered,
    named,
    maxLoad: Math.max(0, ...loads),
    gini: giniCoefficient(loads),
  };
}

/**
 * The LP relaxation of the same problem, with what the flow leaves out (a leader title and
 * each industry per task) as rows, so it bounds every plan. One column per eligible pair:
 * maximise Σ (M + fit)·x subject to seats, one per employer per task, one task per person per
 * week, the load cap, a leader-titled member and each industry covered, 0 ≤ x ≤ 1.
 */
class CampaignLp {
  readonly perTask: readonly TaskCandidates[];
  readonly group: Int32Array;
  readonly bigM: number;
  readonly pairs: number;
  constructor(inst: Instance) {
    this.perTask = inst.tasks.map((task) => {
      const result = taskCandidates(
        task,
        inst.pool,
        inst.history,
        NOW,
        yunnanGmy2025,
        'bench',
        inst.exclude[task.id] ?? [],
      );
      if (!result.ok) throw new Error(`task ${task.id}: ${JSON.stringify(result.problems)}`);
      return result.value;
    });
    this.group = overlapGroups(inst.tasks).group;
    let heaviest = 1;
    let pairs = 0;
    for (const c of this.perTask) {
      pairs += c.order.length;
      for (let k = 0; k < c.scores.length; k++)
        heaviest = Math.max(heaviest, fitWeight(c.scores[k] as number) + 1);
    }
    this.bigM = heaviest * (inst.tasks.length * SEATS + 1);
    this.pairs = pairs;
  }
}

interface LpResult {
  readonly status: string;
  readonly timed: Timed;
  readonly seats: number;
  readonly fit: number;
  readonly columns: number;
  readonly rows: number;
  readonly rounds: number;
}

/**
 * Column generation: HiGHS solves the LP over each task's best columns (and the best column for
 * its leader title and each industry), then every left-out column is priced with HiGHS' row
 * duals; columns with a positive reduced cost are added (with the rows they newly make binding:
 * a second column of one employer in a task, of one person in a week, a person's columns over
 * the load cap) and HiGHS re-solves from its basis. None left: the restricted optimum is the
 * LP optimum over every pair (the missing rows are slack with dual 0, so the duals are
 * feasible for the whole LP).
 */
function solveByColumnGeneration(
  highs: HighsApi,
  lp: CampaignLp,
  pool: Instance['pool'],
): LpResult {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { perTask, group, bigM } = lp;
  const maxPerEmployer = yunnanGmy2025.panel.maxMembersPerEmployer;
  const model = highs.createModel();
  model.options.set('output_flag', false);
  model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
  // Rows known up front: seats, leader title and industries per task.
  let rowCount = 0;
  const seatRow = new Int32Array(perTask.length);
  const leadRow = new Int32Array(perTask.length);
  const industryRows = perTask.map(() => [] as number[]);
  perTask.forEach((c, t) => {
    model.addRow(-highs.infinity, SEATS, { indices: [], values: [] });
    seatRow[t] = rowCount++;
    model.addRow(1, highs.infinity, { indices: [], values: [] });
    leadRow[t] = rowCount++;
    for (let j = 0; j < c.draw.task.industries.length; j++) {
      model.addRow(1, highs.infinity, { indices: [], values: [] });
      industryRows[t]?.push(rowCount++);
    }
  });
  // An artificial column per requirement row (a leader title, an industry), at a penalty of
  // ten seats, so that the first restricted LP is feasible; at the optimum they are 0 when the
  // LP is feasible without them (else the status says 'penalized').
  const penalty = 10 * bigM;
  let artificials = 0;
  perTask.forEach((_, t) => {
    for (const row of [leadRow[t] as number, ...(industryRows[t] ?? [])]) {
      model.addCol(-penalty, 0, 1, { indices: [row], values: [1] });
      artificials++;
    }
  });
  // Lazily added rows, and the columns they cover.
  const employerRow = new Map<string, number>();
  const weekRow = new Map<string, number>();
  const capRow = new Map<number, number>();
  const byEmployer = new Map<string, number[]>();
  const byWeek = new Map<string, number[]>();
  const byPerson = new Map<number, number[]>();
  const inMaster = perTask.map(() => new Set<number>());
  const columnOf: { t: number; k: number }[] = [];
  const costOf = (t: number, k: number): number =>
    bigM + fitWeight(perTask[t]?.scores[k] as number);
  const rowsOf = (t: number, index: number): number[] => {
    const c = perTask[t] as TaskCandidates;
    const rows = [seatRow[t] as number];
    if (c.traits.isLeaderTitled(index)) rows.push(leadRow[t] as number);
    const cover = c.traits.coverOf(index);
    industryRows[t]?.forEach((row, j) => {
      if (cover & (1 << j)) rows.push(row);
    });
    const e = employerRow.get(`${t}/${c.traits.employerOf(index)}`);
    if (e !== undefined) rows.push(e);
    const person = personOf(pool, index);
    const w = weekRow.get(`${person}/${group[t]}`);
    if (w !== undefined) rows.push(w);
    const cap = capRow.get(person);
    if (cap !== undefined) rows.push(cap);
    return rows;
  };
  const lazyRow = (
    rows: Map<string, number> | Map<number, number>,
    members: Map<string, number[]> | Map<number, number[]>,
    key: string | number,
    column: number,
    limit: number,
  ): void => {
    const list = (members as Map<typeof key, number[]>).get(key) ?? [];
    list.push(column);
    (members as Map<typeof key, number[]>).set(key, list);
    const row = (rows as Map<typeof key, number>).get(key);
    if (row !== undefined) {
      return; // the new column was given this row's coefficient when added
    }
    if (list.length > limit) {
      model.addRow(-highs.infinity, limit, { indices: list, values: list.map(() => 1) });
      (rows as Map<typeof key, number>).set(key, rowCount++);
    }
  };
  const add = (t: number, k: number): void => {
    const c = perTask[t] as TaskCandidates;
    const index = c.order[k] as number;
    if (inMaster[t]?.has(k)) return;
    inMaster[t]?.add(k);
    const column = artificials + columnOf.length;
    const rows = rowsOf(t, index);
    model.addCol(costOf(t, k), 0, 1, { indices: rows, values: rows.map(() => 1) });
    columnOf.push({ t, k });
    const person = personOf(pool, index);
    lazyRow(employerRow, byEmployer, `${t}/${c.traits.employerOf(index)}`, column, maxPerEmployer);
    lazyRow(weekRow, byWeek, `${person}/${group[t]}`, column, 1);
    lazyRow(capRow, byPerson, person, column, WEEKS);
  };
  // The first columns: each task's best 4·seats, and its best for each requirement row.
  perTask.forEach((c, t) => {
    for (let k = 0; k < Math.min(c.order.length, 4 * SEATS); k++) add(t, k);
    const firstLeader = c.order.findIndex((index) => c.traits.isLeaderTitled(index));
    if (firstLeader >= 0) add(t, firstLeader);
    c.draw.task.industries.forEach((_, j) => {
      const k = c.order.findIndex((index) => (c.traits.coverOf(index) & (1 << j)) !== 0);
      if (k >= 0) add(t, k);
    });
  });
  let rounds = 0;
  let status = 'not solved';
  for (;;) {
    rounds++;
    model.run();
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
      status = `status ${model.getModelStatus()} in round ${rounds}`;
      break;
    }
    const { rowDual } = model.getSolution();
    const dual = (row: number | undefined): number =>
      row === undefined ? 0 : (rowDual[row] as number);
    let added = 0;
    perTask.forEach((c, t) => {
      const seat = dual(seatRow[t]);
      const lead = dual(leadRow[t]);
      const industries = (industryRows[t] ?? []).map((row) => dual(row));
      // The most any column of this task can gain from the rows it may meet: stop at the
      // first candidate (best first) whose cost cannot beat the seat's dual plus that.
      let bonus = Math.max(0, -lead);
      for (const y of industries) bonus += Math.max(0, -y);
      let violations = 0;
      for (let k = 0; k < c.order.length && violations < 2 * SEATS; k++) {
        const cost = costOf(t, k);
        if (cost - seat + bonus <= 1e-6) break;
        if (inMaster[t]?.has(k)) continue;
        const index = c.order[k] as number;
        let reduced = cost;
        for (const row of rowsOf(t, index)) reduced -= dual(row);
        if (reduced > 1e-6) {
          add(t, k);
          added++;
          violations++;
        }
      }
    });
    if (added === 0) {
      status = 'Optimal';
      break;
    }
  }
  let seats = 0;
  let fit = 0;
  if (status === 'Optimal') {
    const { colValue } = model.getSolution();
    let penalized = 0;
    for (let column = 0; column < artificials; column++) penalized += colValue[column] as number;
    if (penalized > 1e-9) status = `penalized ${s(penalized)}`;
    columnOf.forEach(({ t, k }, i) => {
      const x = colValue[artificials + i] as number;
      if (x <= 1e-9) return;
      seats += x;
      fit += (x * fitWeight(perTask[t]?.scores[k] as number)) / 1000;
    });
  }
  model.dispose();
  return {
    status,
    timed: { cpu: cpuSince(cpu), wall: (performance.now() - started) / 1000, load: load() },
    seats,
    fit,
    columns: columnOf.length,
    rows: rowCount,
    rounds,
  };
}

const v8HeapLimit = (): number => getHeapStatistics().heap_size_limit;
const highs = await highsLoader();
const lines: string[] = [];
for (const [taskCount, expertCount] of SIZES) {
  const passes = Number(process.env.BENCH_PASSES ?? (taskCount <= 250 ? 3 : 1));
  const inst = instance(taskCount, expertCount);
  if (process.env.BENCH_PLAN_ONLY === '1') {
    // The heap check: run under `node --max-old-space-size=500` (pool and history included).
    const { timed, plan } = runPlan(inst);
    console.log(
      `${taskCount} × ${expertCount}: planCampaign ${timedMedian([timed])}, ${plan.totals.filled}/${plan.totals.seats} seats; heap limit ${(v8HeapLimit() / 1_048_576).toFixed(0)} MB, heap now ${heapMb().toFixed(0)} MB`,
    );
    continue;
  }
  // The LP needs the same screening and scores the planner computes itself: timed apart.
  const lpStarted = performance.now();
  const lpCpu = process.cpuUsage();
  const lp = new CampaignLp(inst);
  const screening: Timed = {
    cpu: cpuSince(lpCpu),
    wall: (performance.now() - lpStarted) / 1000,
    load: load(),
  };
  console.log(
    `\n${taskCount} tasks × ${SEATS} seats, ${expertCount} experts, ${WEEKS} weeks, load cap ${WEEKS} (1 per week), 1% pairs in conflict: ${lp.pairs} eligible pairs; ${passes} pass(es), medians; node ${process.version}`,
  );
  const plans = Array.from({ length: passes }, () => runPlan(inst));
  const plan = plans[0] as ReturnType<typeof runPlan>;
  const seq = Array.from({ length: passes }, () => runOneByOne(inst));
  const one = seq[0] as ReturnType<typeof runOneByOne>;
  const cg = Array.from({ length: passes }, () => solveByColumnGeneration(highs, lp, inst.pool));
  const opt = cg[0] as LpResult;
  const totals = plan.plan.totals;
  const seatsLp = opt.status === 'Optimal' ? opt.seats : Number.NaN;
  const rows = [
    {
      method: 'planCampaign (optimal)',
      time: timedMedian(plans.map((p) => p.timed)),
      'seats filled': `${totals.filled}/${totals.seats}`,
      'empty seats': totals.seats - totals.filled,
      'total fit': s(plan.fit),
      'fit / LP': (plan.fit / opt.fit).toFixed(5),
      specialties: `${totals.specialtiesCovered}/${totals.specialtiesNamed}`,
      'max load': totals.maxLoad,
      gini: totals.gini?.toFixed(3),
      heap: `+${median(plans.map((p) => p.heap)).toFixed(0)} MB`,
    },
    {
      method: `HiGHS LP, column generation (+ ${s(screening.cpu)} s CPU screening, load ${screening.load})`,
      time: timedMedian(cg.map((c) => c.timed)),
      'seats filled': `${s(seatsLp)} (${opt.status})`,
      'empty seats': s(taskCount * SEATS - seatsLp),
      'total fit': s(opt.fit),
      'fit / LP': '1',
      specialties: '',
      'max load': '',
      gini: '',
      heap: `${opt.columns} cols, ${opt.rows} rows, ${opt.rounds} rounds`,
    },
    {
      method: 'selectPanel one by one (best)',
      time: timedMedian(seq.map((o) => o.timed)),
      'seats filled': `${one.filled}/${taskCount * SEATS}`,
      'empty seats': taskCount * SEATS - one.filled,
      'total fit': s(one.fit),
      'fit / LP': (one.fit / opt.fit).toFixed(5),
      specialties: `${one.covered}/${one.named}`,
      'max load': one.maxLoad,
      gini: one.gini?.toFixed(3),
      heap: '',
    },
  ];
  if (lp.pairs <= FULL_MAX_PAIRS) {
    // Cross-check: the whole LP (every pair a column, every row) in one HiGHS solve.
    const full = solveFull(highs, lp, inst.pool);
    rows.push({
      method: 'HiGHS LP, every pair at once',
      time: timedMedian([full.timed]),
      'seats filled': `${s(full.seats)} (${full.status})`,
      'empty seats': s(taskCount * SEATS - full.seats),
      'total fit': s(full.fit),
      'fit / LP': (full.fit / opt.fit).toFixed(5),
      specialties: '',
      'max load': '',
      gini: '',
      heap: `${full.columns} cols, ${full.rows} rows`,
    });
  }
  console.table(rows);
  console.log(
    `planCampaign solver: overlap model ${plan.plan.solver.overlapModel}, pricing rounds ${plan.plan.solver.pricingRounds}, completion swaps ${plan.plan.solver.repairs}; heap after the plan ${heapMb().toFixed(0)} MB (pool, history and LP data included); peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  lines.push(
    `| ${taskCount} × ${expertCount} (${lp.pairs}) | ${timedMedian(plans.map((p) => p.timed))} | ${timedMedian(cg.map((c) => c.timed))} + screening ${s(screening.cpu)} s CPU | ${(plan.fit / opt.fit).toFixed(5)} | ${totals.seats - totals.filled} (LP ${s(taskCount * SEATS - seatsLp)}) |`,
  );
}
console.log(`\n${lines.join('\n')}`);

/** The whole LP at once (small sizes only): every pair a column, every row built up front. */
function solveFull(api: HighsApi, lp: CampaignLp, pool: Instance['pool']): LpResult {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { perTask, group, bigM } = lp;
  const rowsOfColumn: number[][] = [];
  const cost: number[] = [];
  const fits: number[] = [];
  let rowCount = 0;
  const lower: number[] = [];
  const upper: number[] = [];
  const newRow = (lo: number, hi: number): number => {
    lower.push(lo);
    upper.push(hi);
    return rowCount++;
  };
  const byWeek = new Map<string, number>();
  const byPerson = new Map<number, number>();
  perTask.forEach((c, t) => {
    const seat = newRow(-api.infinity, SEATS);
    const lead = newRow(1, api.infinity);
    const industries = c.draw.task.industries.map(() => newRow(1, api.infinity));
    const byEmployer = new Map<number, number>();
    c.order.forEach((index, k) => {
      const rows = [seat];
      if (c.traits.isLeaderTitled(index)) rows.push(lead);
      industries.forEach((row, j) => {
        if (c.traits.coverOf(index) & (1 << j)) rows.push(row);
      });
      const employer = c.traits.employerOf(index);
      if (!byEmployer.has(employer))
        byEmployer.set(employer, newRow(-api.infinity, yunnanGmy2025.panel.maxMembersPerEmployer));
      rows.push(byEmployer.get(employer) as number);
      const person = personOf(pool, index);
      const week = `${person}/${group[t]}`;
      if (!byWeek.has(week)) byWeek.set(week, newRow(-api.infinity, 1));
      rows.push(byWeek.get(week) as number);
      if (!byPerson.has(person)) byPerson.set(person, newRow(-api.infinity, WEEKS));
      rows.push(byPerson.get(person) as number);
      rowsOfColumn.push(rows);
      fits.push(fitWeight(c.scores[k] as number));
      cost.push(bigM + fitWeight(c.scores[k] as number));
    });
  });
  const starts = [0];
  const indices: number[] = [];
  for (const rows of rowsOfColumn) {
    indices.push(...rows);
    starts.push(indices.length);
  }
  const model = api.createModel({
    numCols: cost.length,
    numRows: rowCount,
    sense: api.constants.objectiveSense.maximize,
    colCost: Float64Array.from(cost),
    colLower: new Float64Array(cost.length),
    colUpper: new Float64Array(cost.length).fill(1),
    rowLower: Float64Array.from(lower),
    rowUpper: Float64Array.from(upper),
    matrix: {
      format: 'csc',
      numRows: rowCount,
      numCols: cost.length,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
  });
  model.options.set('output_flag', false);
  model.run();
  const optimal = model.getModelStatus() === api.constants.modelStatus.optimal;
  let seats = 0;
  let fit = 0;
  if (optimal) {
    const { colValue } = model.getSolution();
    colValue.forEach((x, j) => {
      if (x <= 1e-9) return;
      seats += x;
      fit += (x * (fits[j] as number)) / 1000;
    });
  }
  model.dispose();
  return {
    status: optimal ? 'Optimal' : `status ${model.getModelStatus()}`,
    timed: { cpu: cpuSince(cpu), wall: (performance.now() - started) / 1000, load: load() },
    seats,
    fit,
    columns: cost.length,
    rows: rowCount,
    rounds: 1,
  };
}
