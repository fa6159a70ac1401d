import { canonicalJson } from './canonical-json.js';
import { drawDigest } from './resolve-draw.js';
import { selectPanel } from './select-panel.js';
import type { SelectPanelInput, SelectPanelResult } from './select-panel-types.js';

/** Whether a recorded draw is the draw its input gives. */
export interface DrawVerification {
  readonly ok: boolean;
  /** The recorded digest equals the digest of the input. */
  readonly digestMatches: boolean;
  /** Replaying the input gives the recorded result, field for field. */
  readonly resultMatches: boolean;
  readonly digest: string;
}

/**
 * Replays a draw from its input and compares it with the recorded result, so that anyone
 * holding the input can check a published panel.
 *
 * @example
 * verifyDraw(input, storedResult).ok; // true unless the input or the result was altered
 */
export function verifyDraw(input: SelectPanelInput, recorded: SelectPanelResult): DrawVerification {
  const digest = drawDigest(input);
  const replayed = selectPanel(input);
  const digestMatches = 'digest' in recorded && recorded.digest === digest;
  const resultMatches = canonicalJson(replayed) === canonicalJson(recorded);
  return { ok: digestMatches && resultMatches, digestMatches, resultMatches, digest };
}
