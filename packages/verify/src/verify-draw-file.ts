import {
  type DrawVerification,
  poolDigestVersionOf,
  preparePool,
  type SelectPanelInput,
  type SelectPanelResult,
  verifyDraw,
} from '@expert-dispatch/matcher';
import type { DrawFile } from './draw-file.js';

/** The outcome of replaying a draw file. */
export interface DrawFileVerification extends DrawVerification {
  readonly drawId: string;
  readonly recordedDigest: string | null;
  readonly poolDigestMatches: boolean;
}

/**
 * Replays an exported draw and compares it with the recorded result: the digest of the input,
 * the pool digest and every field of the panel must match.
 *
 * @example
 * const outcome = verifyDrawFile(drawFileSchema.parse(JSON.parse(text)));
 * outcome.ok; // true when the draw is what its input gives
 */
export function verifyDrawFile(file: DrawFile): DrawFileVerification {
  // The file's input is the matcher's input as the draw received it.
  const recorded = file.result as unknown as SelectPanelResult;
  // Prepared once: the pool's digest is checked here and the same pool is replayed. The
  // recorded digest names its definition (the whole-pool SHA-256 of older draws, or the
  // pool-digest@2 hash tree), and the pool is hashed under that one.
  const pool = preparePool(file.input.experts, {
    ruleSet: file.input.ruleSet,
    digest: poolDigestVersionOf(file.draw.poolDigest),
  });
  const verification = verifyDraw({ ...(file.input as SelectPanelInput), experts: pool }, recorded);
  const poolDigestMatches = pool.digest === file.draw.poolDigest;
  return {
    ...verification,
    ok: verification.ok && poolDigestMatches,
    drawId: file.draw.id,
    recordedDigest:
      'digest' in recorded && typeof recorded.digest === 'string' ? recorded.digest : null,
    poolDigestMatches,
  };
}
