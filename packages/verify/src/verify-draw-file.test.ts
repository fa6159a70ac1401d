import { describe, expect, it } from 'vitest';
import { drawFileSchema } from './draw-file.js';
import { makeDrawFile } from './draw-file.test-helpers.js';
import { verifyDrawFile } from './verify-draw-file.js';

describe('verifyDrawFile', () => {
  const file = drawFileSchema.parse(makeDrawFile());

  it('confirms a draw file that is what its input gives', () => {
    expect(file.result.ok).toBe(true);
    expect(verifyDrawFile(file)).toMatchObject({
      ok: true,
      drawId: 'd_verify_test',
      poolDigestMatches: true,
      digestMatches: true,
      resultMatches: true,
    });
  });

  it('refuses a draw whose seed was chosen afterwards', () => {
    const outcome = verifyDrawFile({ ...file, input: { ...file.input, seed: 'chosen-later' } });
    expect(outcome).toMatchObject({ ok: false, digestMatches: false });
  });

  it('refuses a draw whose recorded panel was edited', () => {
    const members = file.result.members as unknown[];
    const edited = { ...file.result, members: [...members].reverse() };
    expect(verifyDrawFile({ ...file, result: edited })).toMatchObject({
      ok: false,
      resultMatches: false,
    });
  });

  it('refuses a pool that is not the snapshot the draw recorded', () => {
    const experts = file.input.experts.slice(1);
    expect(verifyDrawFile({ ...file, input: { ...file.input, experts } })).toMatchObject({
      ok: false,
      poolDigestMatches: false,
    });
  });

  it('replays a draw whose pool digest is a pool-digest@2 tree, and refuses it under a changed pool', () => {
    const tree = drawFileSchema.parse(makeDrawFile('verify-tree', 2));
    expect(tree.draw.poolDigest.startsWith('pool-digest@2:')).toBe(true);
    expect(verifyDrawFile(tree)).toMatchObject({ ok: true, poolDigestMatches: true });
    const experts = tree.input.experts.slice(1);
    expect(verifyDrawFile({ ...tree, input: { ...tree.input, experts } })).toMatchObject({
      ok: false,
      poolDigestMatches: false,
    });
  });
});
