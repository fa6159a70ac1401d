import { describe, expect, it } from 'vitest';
import {
  assertAttendanceMove,
  assertInitialSeatStates,
  assertSeatMoves,
  SeatTransitionError,
} from './move-seats.js';
import {
  ATTENDANCE_STATES,
  ATTENDANCE_TRANSITIONS,
  type AttendanceState,
  findAttendanceTransition,
  findSeatTransition,
  HOLDING_SEAT_STATES,
  SEAT_STATES,
  SEAT_TRANSITIONS,
  type SeatActor,
  type SeatState,
} from './seat-transitions.js';

const ACTORS: readonly SeatActor[] = ['expert', 'dispatcher', 'system', 'admin'];

/** The whole state machine as rows `from → to: who`; anything not listed is refused. */
const ALLOWED: readonly [SeatState, SeatState, readonly SeatActor[]][] = [
  ['reserve', 'invited', ['system']],
  ['reserve', 'released', ['system', 'dispatcher', 'admin']],
  ['invited', 'accepted', ['expert', 'dispatcher']],
  ['invited', 'declined', ['expert', 'dispatcher']],
  ['invited', 'waitlisted', ['expert', 'dispatcher']],
  ['invited', 'timed_out', ['system']],
  ['invited', 'undeliverable', ['system']],
  ['invited', 'released', ['system', 'dispatcher', 'admin']],
  ['undeliverable', 'accepted', ['dispatcher']],
  ['undeliverable', 'declined', ['dispatcher']],
  ['undeliverable', 'waitlisted', ['dispatcher']],
  ['accepted', 'withdrawn', ['expert', 'dispatcher']],
  ['accepted', 'released', ['dispatcher', 'admin']],
  ['released', 'waitlisted', ['expert', 'dispatcher']],
  ['waitlisted', 'accepted', ['system']],
];

const everyMove = SEAT_STATES.flatMap((from) =>
  SEAT_STATES.flatMap((to) => ACTORS.map((by) => [from, to, by] as const)),
);

describe('the seat state table', () => {
  it.each(everyMove)('%s → %s by %s is allowed exactly when listed', (from, to, by) => {
    const listed = ALLOWED.some(([f, t, who]) => f === from && t === to && who.includes(by));
    expect(findSeatTransition(from, to, by) !== undefined).toBe(listed);
    if (listed) expect(() => assertSeatMoves([from], to, by)).not.toThrow();
    else expect(() => assertSeatMoves([from], to, by)).toThrow(SeatTransitionError);
  });

  it('has one row per move, each with a bilingual label', () => {
    const keys = SEAT_TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(SEAT_TRANSITIONS).toHaveLength(ALLOWED.length);
    for (const t of SEAT_TRANSITIONS) {
      expect(t.label.zh.length).toBeGreaterThan(0);
      expect(t.label.en.length).toBeGreaterThan(0);
    }
  });

  it('never lets an undeliverable invitation become a time-out: it was not the expert (第二十三条（一）)', () => {
    for (const by of ACTORS)
      expect(findSeatTransition('undeliverable', 'timed_out', by)).toBe(undefined);
  });

  it('lets only a dispatcher record an answer to an invitation no channel reached', () => {
    expect(findSeatTransition('undeliverable', 'declined', 'expert')).toBe(undefined);
    expect(findSeatTransition('undeliverable', 'declined', 'dispatcher')?.article).toBe('第十五条');
  });

  it('withdraws only an accepted seat, by the expert or a dispatcher (第十五条)', () => {
    const into = SEAT_TRANSITIONS.filter((t) => t.to === 'withdrawn');
    expect(into.map((t) => t.from)).toEqual(['accepted']);
    expect(into[0]?.by).toEqual(['expert', 'dispatcher']);
  });

  it('ends declined, timed_out, withdrawn and replaced for good', () => {
    for (const final of ['declined', 'timed_out', 'withdrawn', 'replaced'] as const) {
      expect(SEAT_TRANSITIONS.filter((t) => t.from === final)).toEqual([]);
    }
  });

  it('books the expert only while invited or accepted (the no-double-booking predicate)', () => {
    expect(HOLDING_SEAT_STATES).toEqual(['invited', 'accepted']);
  });

  it('refuses a move from no state and a seat created in any state but invited or reserve', () => {
    expect(() => assertSeatMoves([], 'released', 'system')).toThrow(SeatTransitionError);
    expect(() => assertInitialSeatStates(['invited', 'reserve'])).not.toThrow();
    expect(() => assertInitialSeatStates(['accepted'])).toThrow(SeatTransitionError);
  });
});

/** Attendance on an accepted seat (第十五条): `from → to`, the dispatcher only. */
const ATTENDANCE_ALLOWED: readonly [AttendanceState | null, AttendanceState][] = [
  [null, 'attended'],
  [null, 'no_show'],
  ['attended', 'no_show'],
  ['no_show', 'attended'],
];

const everyAttendanceMove = SEAT_STATES.flatMap((state) =>
  [null, ...ATTENDANCE_STATES].flatMap((from) =>
    ATTENDANCE_STATES.flatMap((to) => ACTORS.map((by) => [state, from, to, by] as const)),
  ),
);

describe('attendance in the seat table (第十五条)', () => {
  it.each(everyAttendanceMove)(
    'a %s seat from %s to %s by %s is allowed exactly when listed',
    (state, from, to, by) => {
      const listed =
        state === 'accepted' &&
        by === 'dispatcher' &&
        ATTENDANCE_ALLOWED.some(([f, t]) => f === from && t === to);
      expect(findAttendanceTransition(state, from, to, by) !== undefined).toBe(listed);
      if (listed) expect(() => assertAttendanceMove(state, from, to, by)).not.toThrow();
      else expect(() => assertAttendanceMove(state, from, to, by)).toThrow(SeatTransitionError);
    },
  );

  it('has one row per change, each citing 第十五条 with a bilingual label', () => {
    expect(ATTENDANCE_TRANSITIONS).toHaveLength(ATTENDANCE_ALLOWED.length);
    for (const t of ATTENDANCE_TRANSITIONS) {
      expect(t.article).toBe('第十五条');
      expect(t.label.zh.length).toBeGreaterThan(0);
    }
  });

  it('records a no-show only on a seat that accepted: a decline or an undeliverable invitation has none', () => {
    for (const state of ['declined', 'undeliverable', 'timed_out', 'withdrawn'] as const) {
      expect(findAttendanceTransition(state, null, 'no_show', 'dispatcher')).toBe(undefined);
    }
  });
});
