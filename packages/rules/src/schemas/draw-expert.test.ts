import { describe, expect, it } from 'vitest';
import { makeExpert } from '../fixtures.test-helpers.js';
import { drawExpertSchema } from './draw-expert.js';
import { expertSchema } from './expert.js';

describe('drawExpertSchema (第二十一条, 第二十六条: one person, records in several pools)', () => {
  it.each<[string, unknown, boolean]>([
    ['a record without a person id (its own person)', undefined, true],
    ['a person id shared with another record', 'e-0007', true],
    ['an empty person id', '', false],
    ['a person id with spaces', 'e 7', false],
  ])('accepts or refuses %s', (_name, personId, ok) => {
    const value = personId === undefined ? makeExpert() : { ...makeExpert(), personId };
    expect(drawExpertSchema.safeParse(value).success).toBe(ok);
  });

  it('keeps the person id out of the expert record schema, which strips it', () => {
    const parsed = expertSchema.parse({ ...makeExpert(), personId: 'e-0007' });
    expect('personId' in parsed).toBe(false);
    expect('personId' in expertSchema.shape).toBe(false);
  });
});
