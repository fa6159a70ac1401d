import { describe, expect, it } from 'vitest';
import { makeExpert, makeTask } from '../fixtures.test-helpers.js';
import type { Busy } from '../schemas/history.js';
import { checkAvailability } from './check-availability.js';

// The default task runs 2026-03-02T08:30+08:00 to 2026-03-03T18:00+08:00.
const period = (from: string, to: string) => ({ from, to });
const booking = (from: string, to: string, taskId = 't-other', expertId = 'e-1'): Busy => ({
  expertId,
  taskId,
  from,
  to,
});

describe('checkAvailability (第十五条)', () => {
  it.each([
    [
      'excludes an unavailable period overlapping by one minute at the start',
      period('2026-03-01T00:00:00+08:00', '2026-03-02T08:31:00+08:00'),
      false,
    ],
    [
      'passes an unavailable period ending exactly when the task starts',
      period('2026-03-01T00:00:00+08:00', '2026-03-02T08:30:00+08:00'),
      true,
    ],
    [
      'excludes an unavailable period starting one minute before the task ends',
      period('2026-03-03T17:59:00+08:00', '2026-03-05T00:00:00+08:00'),
      false,
    ],
    [
      'passes an unavailable period starting exactly when the task ends',
      period('2026-03-03T18:00:00+08:00', '2026-03-05T00:00:00+08:00'),
      true,
    ],
    [
      'excludes an unavailable period inside the task',
      period('2026-03-02T12:00:00+08:00', '2026-03-02T13:00:00+08:00'),
      false,
    ],
    [
      'compares instants across offsets',
      period('2026-03-02T00:00:00Z', '2026-03-02T00:31:00Z'),
      false,
    ],
  ])('%s', (_name, unavailable, ok) => {
    const outcome = checkAvailability(makeExpert({ unavailable: [unavailable] }), makeTask(), {});
    expect(outcome).toMatchObject({ ruleId: 'availability', article: '第十五条', ok });
  });

  it.each([
    [
      'excludes an expert booked on an overlapping task',
      [booking('2026-03-03T17:00:00+08:00', '2026-03-04T12:00:00+08:00')],
      false,
    ],
    [
      'passes an expert booked on a task ending as this one starts',
      [booking('2026-03-01T08:00:00+08:00', '2026-03-02T08:30:00+08:00')],
      true,
    ],
    [
      'ignores the booking for this same task',
      [booking('2026-03-02T08:30:00+08:00', '2026-03-03T18:00:00+08:00', 't-1')],
      true,
    ],
    [
      'ignores other experts’ bookings',
      [booking('2026-03-02T08:30:00+08:00', '2026-03-03T18:00:00+08:00', 't-9', 'e-2')],
      true,
    ],
  ])('%s', (_name, busy, ok) => {
    expect(checkAvailability(makeExpert(), makeTask(), { busy }).ok).toBe(ok);
  });
});
