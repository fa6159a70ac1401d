import { idSchema } from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors.js';
import { isPanelSeat, type ServingSeat } from './service-record.js';

/** Whether a member came to the work (出勤, 第十五条). */
export const attendanceSchema = z.enum(['attended', 'no_show']);

export type Attendance = z.infer<typeof attendanceSchema>;

const attendanceEntrySchema = z.strictObject({ expertId: idSchema, attendance: attendanceSchema });

/**
 * The body of `POST /v1/tasks/{id}/complete`: one attendance per serving expert. The leader and
 * every member who accepted must be listed; shadows may be.
 */
export const completeTaskRequestSchema = z
  .strictObject({
    attendance: z.array(attendanceEntrySchema).max(60),
    /** Recorded in the audit log with the completion. */
    note: z.string().trim().min(1).max(500).optional(),
  })
  .openapi('TaskCompletionRequest');

export type CompleteTaskRequest = z.infer<typeof completeTaskRequestSchema>;

/** The body of `PUT /v1/tasks/{id}/attendance`: the entries to change, and why (recorded). */
export const attendanceCorrectionSchema = z
  .strictObject({
    attendance: z.array(attendanceEntrySchema).min(1).max(60),
    reason: z.string().trim().min(2).max(500),
  })
  .openapi('AttendanceCorrection');

export type AttendanceCorrection = z.infer<typeof attendanceCorrectionSchema>;

/**
 * The field errors of an attendance list against the seats that served: an expert who did not
 * accept this task, an expert listed twice, and — with `requireEveryMember` — a leader or member
 * left out (shadows are optional).
 *
 * @example
 * checkAttendance([{ expertId: 'e-9', attendance: 'attended' }], serving, true);
 * // [{ path: 'attendance.0.expertId', message: '…' }, { path: 'attendance', message: '…e-1…' }]
 */
export function checkAttendance(
  entries: readonly { readonly expertId: string; readonly attendance: Attendance }[],
  serving: readonly ServingSeat[],
  requireEveryMember: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const path = `attendance.${index}.expertId`;
    if (!serving.some(({ seat }) => seat.expertId === entry.expertId)) {
      errors.push({
        path,
        message: `${entry.expertId} did not accept this task as leader, member or shadow / 该专家未参加本任务`,
      });
    } else if (seen.has(entry.expertId)) {
      errors.push({ path, message: `${entry.expertId} is listed twice / 重复填写` });
    }
    seen.add(entry.expertId);
  });
  if (requireEveryMember) {
    for (const { seat } of serving) {
      if (isPanelSeat(seat) && !seen.has(seat.expertId)) {
        errors.push({
          path: 'attendance',
          message: `${seat.role} ${seat.expertId} has no attendance / 缺少该专家的出勤记录`,
        });
      }
    }
  }
  return errors;
}
