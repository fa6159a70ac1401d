import { addDays, type RuleSet, toShanghaiDate } from '@expert-dispatch/rules';
import { issueApiKey } from '../access/issue-api-key.js';
import { createApp } from '../app.js';
import type { Database } from '../db/open-database.js';
import type { Env } from '../env.js';
import { createLogger } from '../logger.js';
import { createRandom } from './generate-demo-pool.js';
import { DEMO_AUTHORITY } from './seed-demo.js';
import { DEMO_EMPLOYERS } from './yunnan-places.js';

/** What the demo history left behind, for the start-up log. */
export interface DemoHistory {
  readonly tasks: number;
  readonly invitations: number;
  readonly declines: number;
  readonly ratings: number;
  readonly warnings: number;
  /** Steps the service refused (a draw with too few eligible experts…): skipped, not fatal. */
  readonly skipped: number;
}

interface Seat {
  readonly invitationId: string;
  readonly expertId: string;
  readonly role: 'leader' | 'member' | 'alternate' | 'shadow';
  readonly state: string;
}

const ACTOR = { keyId: 'system:demo', authorityId: null };
const TASK_TYPES = ['enforcement_inspection', 'hazard_investigation', 'standardization_review'];
const ENTERPRISES = DEMO_EMPLOYERS.filter((e) => e.kind === 'enterprise' && e.industry !== null);
// Yunnan's work is mostly in non-ferrous metals and metallurgy (有色金属王国): most tasks go there,
// so that experts are invited more than once in the year, as they are in practice.
const MAIN_ENTERPRISES = ENTERPRISES.filter(
  (e) => e.industry === 'nonferrous' || e.industry === 'metallurgy',
);
// Claimed reasons of a decline, and how the department decides them (第二十三条（一）).
const CLAIMS = ['illness', 'schedule_conflict', 'approved_other', 'unjustified'] as const;
const POOR_WORK = '现场检查走过场，未指出明显隐患';

/**
 * A year of synthetic work for the demo pool, made through the service's own API (request a
 * panel, record the experts' answers, complete with attendance, rate, review declines, warn),
 * so that the reports, lists and charts of a new install are not empty. `now` steps through the
 * past year, `tasks` tasks spread evenly over it; the draws use fixed seeds and the answers a PRNG
 * seeded by `seed`, so one seed always gives one history. An expert who once declined without a
 * valid reason mostly does so again, so that the warning list (第二十三条（一）) may have
 * entries; the department warns up to three experts, for those declines or for work rated poor
 * (第二十三条（二）), with the invitations as evidence.
 *
 * @example
 * await seedDemoHistory(db, env, yunnanGmy2025, { seed: 1, now: new Date(), tasks: 36 });
 */
export async function seedDemoHistory(
  db: Database,
  env: Env,
  ruleSet: RuleSet,
  options: { readonly seed: number; readonly now: Date; readonly tasks: number },
): Promise<DemoHistory> {
  const counts = { tasks: 0, invitations: 0, declines: 0, ratings: 0, skipped: 0 };
  if (options.tasks <= 0) return { ...counts, warnings: 0 };
  const random = createRandom(options.seed ^ 0x5eed);
  const today = toShanghaiDate(options.now);
  const first = addDays(today, -365);
  let clock = new Date(`${first}T09:00:00+08:00`);
  const app = createApp({ db, env, logger: createLogger('silent'), ruleSet, now: () => clock });
  const keys = await db.transaction(async (tx) => ({
    dispatcher: await issueApiKey(
      tx,
      { authority: DEMO_AUTHORITY, role: 'dispatcher', label: 'demo history', actor: ACTOR },
      clock,
    ),
    admin: await issueApiKey(
      tx,
      { authority: DEMO_AUTHORITY, role: 'admin', label: 'demo history', actor: ACTOR },
      clock,
    ),
  }));
  const call = async (
    role: 'dispatcher' | 'admin',
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${keys[role].key}`,
        'content-type': 'application/json',
        'idempotency-key': `demo-${path}-${clock.getTime()}`,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const at = (day: string, time: string) => {
    clock = new Date(`${day}T${time}+08:00`);
  };
  const unjustified = new Map<string, string[]>();
  const poor: { expertId: string; invitationId: string; score: number }[] = [];
  // At least 4 days apart: a task's request, work, rating and review never overlap the next.
  const everyDays = Math.max(4, Math.floor(355 / Math.max(1, options.tasks)));

  for (let index = 0, day = addDays(first, 2); day < addDays(today, -3); index++) {
    day = nextWorkingDay(addDays(day, everyDays));
    if (day >= addDays(today, -3)) break;
    const enterprise =
      MAIN_ENTERPRISES.length > 0 && random.next() < 0.75
        ? random.pick(MAIN_ENTERPRISES)
        : random.pick(ENTERPRISES);
    at(addDays(day, -1), '09:00:00');
    const created = await call('dispatcher', 'POST', '/v1/tasks', {
      id: `demo-t-${String(index + 1).padStart(3, '0')}`,
      type: random.pick(TASK_TYPES),
      industries: [enterprise.industry],
      enterprise: { id: enterprise.id, name: enterprise.name, region: enterprise.city },
      window: { from: `${day}T08:30:00+08:00`, to: `${day}T17:30:00+08:00` },
      panelSize: random.int(2, 4),
      alternates: 3,
      policy: 'lottery',
      seed: `demo-history-${options.seed}-${index}`,
    });
    if (created.status !== 201) {
      counts.skipped++;
      continue;
    }
    counts.tasks++;
    const taskId = String(created.body.id);
    // Answer every open invitation; a decline calls in an alternate, who is answered in turn.
    let panel = panelOf(created.body);
    for (let round = 0; round < 8; round++) {
      const open = panel.filter((seat) => seat.state === 'invited');
      if (open.length === 0) break;
      let declined = false;
      const answered = new Map<string, string>();
      for (const seat of open) {
        counts.invitations++;
        const isReluctant = unjustified.has(seat.expertId);
        const declines = random.next() < (isReluctant ? 0.8 : 0.14);
        const reason = isReluctant ? 'unjustified' : random.pick(CLAIMS);
        const reply = await call(
          'dispatcher',
          'POST',
          `/v1/invitations/${seat.invitationId}/reply`,
          declines ? { answer: 'decline', reason } : { answer: 'accept' },
        );
        if (reply.status !== 200) counts.skipped++;
        else answered.set(seat.invitationId, String(reply.body.state));
        if (reply.status === 200 && declines) {
          declined = true;
          counts.declines++;
          if (reason === 'unjustified') {
            unjustified.set(seat.expertId, [
              ...(unjustified.get(seat.expertId) ?? []),
              seat.invitationId,
            ]);
          }
        }
      }
      panel = panel.map((seat) => ({
        ...seat,
        state: answered.get(seat.invitationId) ?? seat.state,
      }));
      // Only a decline changes who else is invited (an alternate moves up).
      if (declined) panel = panelOf((await call('dispatcher', 'GET', `/v1/tasks/${taskId}`)).body);
    }
    // The day of the work: attendance (a rare no-show), then the unit's ratings (第二十条).
    at(day, '17:00:00');
    const served = panel.filter(
      (seat) => (seat.role === 'leader' || seat.role === 'member') && seat.state === 'accepted',
    );
    const attendance = served.map((seat) => ({
      expertId: seat.expertId,
      invitationId: seat.invitationId,
      attendance: random.next() < 0.03 ? 'no_show' : 'attended',
    }));
    const completed = await call('dispatcher', 'POST', `/v1/tasks/${taskId}/complete`, {
      attendance: attendance.map(({ expertId, attendance }) => ({ expertId, attendance })),
    });
    if (completed.status !== 200) {
      counts.skipped++;
      continue;
    }
    at(addDays(day, 1), '10:00:00');
    const rated = attendance
      .filter((entry) => entry.attendance === 'attended')
      .map((entry) => ({ ...entry, score: scoreOf(random.next()) }));
    if (rated.length > 0) {
      const ratings = rated.map(({ expertId, score }) =>
        score <= 2 ? { expertId, score, comment: POOR_WORK } : { expertId, score },
      );
      const recorded = await call('dispatcher', 'POST', `/v1/tasks/${taskId}/ratings`, {
        ratings,
      });
      if (recorded.status < 300) counts.ratings += ratings.length;
      else counts.skipped++;
      if (recorded.status < 300) poor.push(...rated.filter((entry) => entry.score <= 2));
    }
    // The department decides most claimed reasons within days; a few stay pending.
    at(addDays(day, 2), '15:00:00');
    for (const decided of await reviewDeclines(call, random, () => counts.skipped++)) {
      unjustified.set(decided.expertId, [
        ...(unjustified.get(decided.expertId) ?? []),
        decided.invitationId,
      ]);
    }
  }

  // Warnings, at most three: two or more unjustified declines in the year (第二十三条（一）),
  // then work the served unit rated poor (不认真负责, 第二十三条（二）), with the invitations and
  // the rating as evidence.
  at(addDays(today, -1), '16:00:00');
  const warnings = [
    ...[...unjustified]
      .filter(([, invitations]) => invitations.length >= 2)
      .map(([expertId, invitations]) => ({
        expertId,
        article: '第二十三条（一）',
        reason: '一年内2次无正当理由不接受委派任务（演示数据）',
        evidence: invitations.map((ref) => ({ kind: 'invitation', ref })),
      })),
    ...poor.map((entry) => ({
      expertId: entry.expertId,
      article: '第二十三条（二）',
      reason: '参加技术服务工作不认真负责，服务对象评价较差（演示数据）',
      evidence: [
        {
          kind: 'invitation',
          ref: entry.invitationId,
          note: `服务评价 ${entry.score} 分：${POOR_WORK}`,
        },
      ],
    })),
  ];
  const warned = new Set<string>();
  for (const { expertId, ...warning } of warnings) {
    if (warned.size >= 3 || warned.has(expertId)) continue;
    const answer = await call('admin', 'POST', `/v1/experts/${expertId}/actions/warn`, warning);
    if (answer.status === 200) warned.add(expertId);
    else counts.skipped++;
  }
  return { ...counts, warnings: warned.size };
}

type Call = (
  role: 'dispatcher' | 'admin',
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

/**
 * The department decides most claimed reasons pending review, justified or not, and leaves a
 * few pending; returns the declines it found unjustified.
 */
async function reviewDeclines(
  call: Call,
  random: ReturnType<typeof createRandom>,
  skipped: () => void,
): Promise<{ expertId: string; invitationId: string }[]> {
  const queue = await call('admin', 'GET', '/v1/reviews/declines?state=pending');
  const items = (queue.body.items ?? []) as { invitationId: string; expert: { id: string } }[];
  const unjustified: { expertId: string; invitationId: string }[] = [];
  for (const item of items) {
    const roll = random.next();
    if (roll < 0.15) continue;
    const justified = roll < 0.75;
    const decided = await call('admin', 'POST', `/v1/reviews/declines/${item.invitationId}`, {
      decision: justified ? 'justified' : 'unjustified',
      note: justified ? '经核实，理由属实（演示数据）' : '未能提供证明材料（演示数据）',
    });
    if (decided.status !== 200) skipped();
    else if (!justified)
      unjustified.push({ expertId: item.expert.id, invitationId: item.invitationId });
  }
  return unjustified;
}

function panelOf(body: Record<string, unknown>): Seat[] {
  return Array.isArray(body.panel) ? (body.panel as Seat[]) : [];
}

// Mostly good work: 5 and 4, sometimes 3, now and then 2.
function scoreOf(roll: number): number {
  return roll < 0.4 ? 5 : roll < 0.78 ? 4 : roll < 0.9 ? 3 : 2;
}

// Saturdays and Sundays move to Monday; public holidays are the working calendar's business.
function nextWorkingDay(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 6 ? addDays(day, 2) : weekday === 0 ? addDays(day, 1) : day;
}

/**
 * How many tasks the history of a demo pool of `size` experts gets: about one per twelve
 * experts, at most 24, so that the first start stays quick on a small machine (each task
 * is a dozen requests through the API, measured at about 0.8 s on PGlite on a busy two-core
 * machine).
 *
 * @example
 * demoHistoryTasks(300); // 24
 */
export function demoHistoryTasks(size: number): number {
  return Math.min(24, Math.round(size / 12));
}
