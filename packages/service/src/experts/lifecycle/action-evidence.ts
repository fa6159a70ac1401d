import { z } from '@hono/zod-openapi';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/open-database.js';
import { panelSeats, ratings } from '../../db/schema.js';
import { ProblemError } from '../../errors.js';

/**
 * One piece of evidence behind a lifecycle action: an invitation (the seat's id), a task the
 * expert served on, a rating of the expert, or a document (a file number, a letter, a report).
 */
export const evidenceSchema = z
  .object({
    kind: z.enum(['invitation', 'task', 'rating', 'document']).openapi({
      description:
        'invitation: a seat id (邀请); task: a task id the expert was invited to; rating: a rating id; document: a document reference (文书编号)',
    }),
    ref: z.string().trim().min(1).max(200),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .openapi('ActionEvidence');

export type Evidence = z.infer<typeof evidenceSchema>;

/** Evidence as recorded in the audit log: what was cited and what it showed at the time. */
export type RecordedEvidence = Evidence & {
  readonly facts?: Record<string, string | number | null>;
};

const SEAT_ID = /^[1-9]\d{0,17}$/;

/**
 * Checks that every invitation, task and rating cited is this expert's, and returns the
 * evidence with the facts it showed (the task, the reply, the score), so that the audit entry
 * still says what was relied on after the records change. Evidence that is not the expert's is
 * a 422 naming `evidence.N.ref`.
 *
 * @example
 * await resolveEvidence(tx, 'e-1', [{ kind: 'invitation', ref: '42' }]);
 * // [{ kind: 'invitation', ref: '42', facts: { taskId: 't-1', state: 'declined', … } }]
 */
export async function resolveEvidence(
  db: Executor,
  expertId: string,
  evidence: readonly Evidence[],
): Promise<RecordedEvidence[]> {
  const seatIds = evidence.flatMap((e) =>
    e.kind === 'invitation' && SEAT_ID.test(e.ref) ? [Number(e.ref)] : [],
  );
  const taskIds = evidence.flatMap((e) => (e.kind === 'task' ? [e.ref] : []));
  const ratingIds = evidence.flatMap((e) => (e.kind === 'rating' ? [e.ref] : []));
  const seatFields = {
    id: panelSeats.id,
    taskId: panelSeats.taskId,
    role: panelSeats.role,
    state: panelSeats.state,
    declineReason: panelSeats.declineReason,
    declineNote: panelSeats.declineNote,
    replyChannel: panelSeats.replyChannel,
    repliedBy: panelSeats.repliedBy,
    deliveredAt: panelSeats.deliveredAt,
    attendance: panelSeats.attendance,
  };
  const seats =
    seatIds.length === 0
      ? []
      : await db
          .select(seatFields)
          .from(panelSeats)
          .where(and(inArray(panelSeats.id, seatIds), eq(panelSeats.expertId, expertId)));
  const taskSeats =
    taskIds.length === 0
      ? []
      : await db
          .select(seatFields)
          .from(panelSeats)
          .where(and(inArray(panelSeats.taskId, taskIds), eq(panelSeats.expertId, expertId)))
          .orderBy(asc(panelSeats.id));
  const rated =
    ratingIds.length === 0
      ? []
      : await db
          .select({ id: ratings.id, taskId: ratings.taskId, score: ratings.score })
          .from(ratings)
          .where(and(inArray(ratings.id, ratingIds), eq(ratings.expertId, expertId)));

  const errors: { path: string; message: string }[] = [];
  const recorded = evidence.map((item, index): RecordedEvidence => {
    const facts = factsOf(item, { seats, taskSeats, rated });
    if (facts === null) {
      errors.push({
        path: `evidence.${index}.ref`,
        message: `no ${item.kind} ${item.ref} of expert ${expertId}`,
      });
      return item;
    }
    return facts === undefined ? item : { ...item, facts };
  });
  if (errors.length > 0) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: '所附证据不属于该专家或不存在',
        en: 'some evidence does not exist or is not this expert’s',
      },
      { errors },
    );
  }
  return recorded;
}

type SeatFacts = {
  readonly id: number;
  readonly taskId: string;
  readonly role: string;
  readonly state: string;
  readonly declineReason: string | null;
  readonly declineNote: string | null;
  readonly replyChannel: string | null;
  readonly repliedBy: string | null;
  readonly deliveredAt: Date | null;
  readonly attendance: string | null;
};

/** The facts a piece of evidence shows; null when it is not the expert's; undefined for a document. */
function factsOf(
  item: Evidence,
  found: {
    readonly seats: readonly SeatFacts[];
    readonly taskSeats: readonly SeatFacts[];
    readonly rated: readonly { id: string; taskId: string; score: number }[];
  },
): Record<string, string | number | null> | null | undefined {
  switch (item.kind) {
    case 'invitation': {
      const seat = found.seats.find((s) => String(s.id) === item.ref);
      return seat === undefined ? null : seatFacts(seat);
    }
    case 'task': {
      // The latest seat of the expert on the task (a replacement draw may have moved it).
      const seat = found.taskSeats.filter((s) => s.taskId === item.ref).at(-1);
      return seat === undefined ? null : { seatId: seat.id, ...seatFacts(seat) };
    }
    case 'rating': {
      const rating = found.rated.find((r) => r.id === item.ref);
      return rating === undefined ? null : { taskId: rating.taskId, score: rating.score };
    }
    case 'document':
      return undefined;
  }
}

function seatFacts(seat: SeatFacts) {
  return {
    taskId: seat.taskId,
    role: seat.role,
    state: seat.state,
    declineReason: seat.declineReason,
    // How the answer was given and whether the notification reached the expert (issue 13).
    declineNote: seat.declineNote,
    replyChannel: seat.replyChannel,
    repliedBy: seat.repliedBy,
    deliveredAt: seat.deliveredAt?.toISOString() ?? null,
    attendance: seat.attendance,
  };
}
