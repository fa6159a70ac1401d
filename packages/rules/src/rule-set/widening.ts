import { z } from 'zod';
import { taskTypes } from '../vocabulary/task-type.js';
import { type WideningStep, wideningSteps } from '../vocabulary/widening-step.js';

const unique = <T>(list: readonly T[]) => new Set(list).size === list.length;

/**
 * How a draw may widen when its pools cannot form a panel (异地抽取), local policy: the ladder
 * in the order the steps are taken, and the steps a task type may take without asking (accident
 * rescue cannot wait for a second request). Widening adds pools only: the requesting authority's
 * rules apply to every expert added, and its own-pool loosenings (第二十六条) to none of them.
 */
export const wideningSchema = z
  .strictObject({
    ladder: z.array(wideningSteps.schema).max(8).refine(unique, 'steps must not repeat'),
    preApproved: z.partialRecord(taskTypes.schema, z.array(wideningSteps.schema).max(8)).optional(),
  })
  .refine(
    (widening) =>
      Object.values(widening.preApproved ?? {}).every((steps) =>
        isLadderPrefix(steps ?? [], widening.ladder),
      ),
    { message: 'pre-approved steps must be the first steps of the ladder', path: ['preApproved'] },
  );

export type Widening = z.infer<typeof wideningSchema>;

/**
 * True when `steps` are the ladder's first steps in its order (widening is taken step by step).
 *
 * @example
 * isLadderPrefix(['same_prefecture_counties'], ['same_prefecture_counties', 'prefecture_pool']); // true
 * isLadderPrefix(['prefecture_pool'], ['same_prefecture_counties', 'prefecture_pool']); // false
 */
export function isLadderPrefix(
  steps: readonly WideningStep[],
  ladder: readonly WideningStep[],
): boolean {
  return steps.length <= ladder.length && steps.every((step, index) => ladder[index] === step);
}
