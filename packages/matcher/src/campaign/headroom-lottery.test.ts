import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { drawTicket, pickByHeadroom } from './headroom-lottery.js';

describe('pickByHeadroom (the completion step of a randomized campaign)', () => {
  it('gives each option exactly its headroom in tickets, whatever the other options (checked over every ticket)', () => {
    // 3 steps at most, scale 10 (q and the flows in tenths): 30 tickets per draw.
    const attempts = 3;
    const scale = 10;
    const cases: [string, number][][] = [
      [
        ['a', 5],
        ['b', 2],
        ['c', 0],
        ['d', 7],
      ],
      [
        ['a', 5],
        ['d', 7],
      ], // b and c no longer valid swaps: a and d keep their share, no more
      Array.from({ length: 12 }, (_, k): [string, number] => [`x${k}`, 5]), // 60 units > 30
      [],
    ];
    for (const options of cases) {
      const hits = new Map<string, number>();
      let none = 0;
      for (let ticket = 0; ticket < attempts * scale; ticket++) {
        const picked = pickByHeadroom(options, ([, units]) => units, ticket);
        if (picked === null) none++;
        else hits.set(picked[0], (hits.get(picked[0]) ?? 0) + 1);
      }
      // P(option) = its tickets / (attempts·scale) ≤ headroom/attempts: over `attempts` steps,
      // at most the headroom.
      for (const [name, units] of options) expect(hits.get(name) ?? 0).toBeLessThanOrEqual(units);
      const total = options.reduce((s, [, u]) => s + u, 0);
      // Exactly its units while they fit; the rest of the tickets pick nobody.
      if (total <= attempts * scale) {
        for (const [name, units] of options) expect(hits.get(name) ?? 0).toBe(units);
        expect(none).toBe(attempts * scale - total);
      } else {
        expect(none).toBe(0);
      }
    }
  });

  it('draws tickets uniformly on [0, attempts·scale) from the task stream', () => {
    const lottery = { headroom: () => 1, attempts: 2, scale: 3, random: seedrandom('t') };
    const seen = new Set<number>();
    for (let k = 0; k < 200; k++) {
      const ticket = drawTicket(lottery);
      expect(Number.isInteger(ticket) && ticket >= 0 && ticket < 6).toBe(true);
      seen.add(ticket);
    }
    expect(seen.size).toBe(6);
    expect(drawTicket({ ...lottery, random: () => 0.999_999_999_999_999_9 })).toBe(5);
  });
});
