import { describe, expect, it } from 'vitest';
import {
  formatSnapshot,
  isCoveredBy,
  isVisibleIn,
  parseSnapshot,
  withOwnInProgress,
} from './history-snapshot.js';

describe('history snapshots (pg_snapshot as the counters read it, #17)', () => {
  it('reads and writes the text form', () => {
    expect(formatSnapshot(parseSnapshot('754:760:755,758'))).toBe('754:760:755,758');
    expect(parseSnapshot('754:754:').xip).toEqual([]);
  });

  it('judges visibility as pg_visible_in_snapshot does', () => {
    const snapshot = parseSnapshot('754:760:755,758');
    expect([753n, 754n, 755n, 756n, 758n, 759n, 760n].map((x) => isVisibleIn(x, snapshot))).toEqual(
      [true, true, false, true, false, true, false],
    );
  });

  it('counts the reading transaction as in progress wherever its own snapshot put it', () => {
    // Above xmax, inside the range, and below xmin (its own snapshot leaves it out of both).
    for (const [text, own] of [
      ['754:754:', 754n],
      ['754:760:755', 757n],
      ['756:760:', 753n],
    ] as const) {
      const adjusted = withOwnInProgress(parseSnapshot(text), own);
      expect(isVisibleIn(own, adjusted)).toBe(false);
      // Every other transaction keeps its visibility.
      for (let x = 740n; x < 770n; x++) {
        if (x !== own) expect(isVisibleIn(x, adjusted)).toBe(isVisibleIn(x, parseSnapshot(text)));
      }
    }
    expect(withOwnInProgress(parseSnapshot('754:760:'), null)).toEqual(parseSnapshot('754:760:'));
  });

  it('says a later snapshot covers an earlier one, and not the other way round', () => {
    const earlier = parseSnapshot('754:760:755');
    const later = parseSnapshot('755:762:755,761');
    expect(isCoveredBy(earlier, later)).toBe(true);
    expect(isCoveredBy(later, earlier)).toBe(false);
    // A transaction the earlier one saw cannot be in progress for the later one.
    expect(isCoveredBy(earlier, parseSnapshot('756:762:756'))).toBe(false);
  });
});
