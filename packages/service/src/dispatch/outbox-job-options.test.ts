import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import type { JobQueue } from '../queue/job-queue.js';
import { noticePayload } from './enqueue-notice.js';
import { addOutboxJobs, deliveryAttemptsFor, outboxJobOptions } from './relay-outbox.js';

const NOW = new Date('2026-03-02T09:00:00+08:00');
const OPTIONS = { deliveryAttempts: 5, deliveryBackoffMs: 2000 };

describe('outboxJobOptions', () => {
  it.each([
    ['an invitation, due now', 'deliver_invitation', { deliveryId: 'dl-1' }, 0, 5, false],
    ['a notice about work in progress', 'deliver_notice', { noticeId: 'nt-1' }, 0, 5, false],
    [
      'a periodic notice, in the background',
      'deliver_notice',
      { noticeId: 'nt-2', background: true },
      0,
      5,
      true,
    ],
    ['a reply deadline, an hour on', 'invitation_deadline', { seatId: 7 }, 3_600_000, 3, false],
    ['a callback to the requester', 'task_callback', { taskId: 't-1' }, 0, 5, false],
  ] as const)('queues %s', (_what, kind, payload, delayMs, attempts, background) => {
    const options = outboxJobOptions(
      { id: 'ob-1', kind, payload, runAt: new Date(NOW.getTime() + delayMs) },
      NOW,
      OPTIONS,
    );
    expect(options).toEqual({
      id: 'ob-1',
      delayMs,
      attempts,
      backoffMs: 2000,
      ...(background ? { background: true } : {}),
    });
  });
});

describe('the delivery retry window (DELIVERY_RETRY_WINDOW_MS)', () => {
  it.each([
    // window, first backoff, least attempts → attempts: retries double until the window is spanned
    [900_000, 2000, 5, 10], // 2 s … 512 s: 1 022 s of backoff, at least 15 minutes
    [900_000, 60_000, 5, 5], // 1 + 2 + 4 + 8 minutes: exactly 15
    [1000, 20, 4, 7], // 20 … 640 ms: 1 260 ms
    [0, 2000, 5, 5], // no window: the least attempts
    [1000, 20, 10, 10], // never fewer than DELIVERY_ATTEMPTS
  ])(
    'spans %i ms from a %i ms backoff with at least %i attempts in %i attempts',
    (window, backoff, floor, attempts) => {
      expect(deliveryAttemptsFor(window, backoff, floor)).toBe(attempts);
      const retries = attempts - 1;
      if (attempts > floor) {
        expect(backoff * (2 ** retries - 1)).toBeGreaterThanOrEqual(window);
        expect(backoff * (2 ** (retries - 1) - 1)).toBeLessThan(window);
      }
    },
  );

  it('gives invitations, notices and callbacks the window, other jobs three attempts', () => {
    const options = { ...OPTIONS, deliveryRetryWindowMs: 900_000 };
    const of = (kind: string) =>
      outboxJobOptions({ id: 'ob-1', kind, payload: {}, runAt: NOW }, NOW, options).attempts;
    expect([of('deliver_invitation'), of('deliver_notice'), of('task_callback')]).toEqual([
      10, 10, 10,
    ]);
    expect(of('invitation_deadline')).toBe(3);
  });
});

describe('addOutboxJobs', () => {
  it('queues the rows due now before it adds any row due later, and answers for each row in order', async () => {
    const queue = createInProcessQueue();
    const steps: string[] = [];
    // The queue refuses one row, to show that each result stays with its own row.
    const recording: JobQueue = {
      ...queue,
      add: async (name, data, options) => {
        steps.push(`add ${options.id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (options.id === 'ob-2') throw new Error('refused');
        await queue.add(name, data, options);
        steps.push(`added ${options.id}`);
      },
    };
    const row = (id: string, kind: string, delayMs: number) => ({
      id,
      kind,
      payload: {},
      runAt: new Date(NOW.getTime() + delayMs),
    });
    const rows = [
      row('ob-1', 'deliver_invitation', 0),
      row('ob-4', 'invitation_deadline', 3_600_000),
      row('ob-2', 'deliver_invitation', 0),
      row('ob-5', 'invitation_deadline', 3_600_000),
      row('ob-3', 'deliver_invitation', 0),
    ];
    const added = await addOutboxJobs(recording, rows, NOW, OPTIONS);
    expect(added.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const firstLater = steps.indexOf('add ob-4');
    expect(steps.slice(0, firstLater).sort()).toEqual(
      ['add ob-1', 'add ob-2', 'add ob-3', 'added ob-1', 'added ob-3'].sort(),
    );
    expect(steps.slice(firstLater).sort()).toEqual(
      ['add ob-4', 'add ob-5', 'added ob-4', 'added ob-5'].sort(),
    );
    await queue.close();
  });
});

describe('noticePayload', () => {
  it.each([
    ['profile_reminder', true],
    ['term_lapsed', true],
    ['monthly_digest', true],
    ['invitation_closed', false],
    ['waitlist_thanks', false],
    ['waitlist_promoted', false],
    ['rating_request', false],
  ] as const)('queues a %s notice in the background: %s', (kind, background) => {
    expect(noticePayload('nt-1', kind)).toEqual(
      background ? { noticeId: 'nt-1', background: true } : { noticeId: 'nt-1' },
    );
  });
});
