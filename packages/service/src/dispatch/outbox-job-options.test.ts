import { describe, expect, it } from 'vitest';
import { noticePayload } from './enqueue-notice.js';
import { outboxJobOptions } from './relay-outbox.js';

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
