import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './open-database.js';

interface JournalEntry {
  readonly idx: number;
  readonly when: number;
  readonly tag: string;
}

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: JournalEntry[];
};
/** Numbers skipped when 0028 was released; they can never be used (see the last test). */
const NUMBERS_NEVER_USED = [25, 26, 27];
const files = readdirSync(MIGRATIONS_FOLDER).filter((name) => name.endsWith('.sql'));

// drizzle's migrator applies only the migrations whose `when` is later than the last one a
// database has applied: a migration listed with an earlier `when` than one already released
// would be skipped silently on every existing deployment.
describe('the migration journal', () => {
  it('lists migrations in the order of their numbers, each `when` later than the one before', () => {
    const entries = journal.entries;
    for (let i = 1; i < entries.length; i++) {
      const before = entries[i - 1] as JournalEntry;
      const entry = entries[i] as JournalEntry;
      expect(entry.idx, entry.tag).toBeGreaterThan(before.idx);
      expect(entry.when, entry.tag).toBeGreaterThan(before.when);
    }
  });

  it('names each migration file once, numbered as its index', () => {
    expect(journal.entries.map((entry) => `${entry.tag}.sql`).sort()).toEqual([...files].sort());
    for (const entry of journal.entries) {
      expect(Number(entry.tag.slice(0, 4)), entry.tag).toBe(entry.idx);
    }
  });

  // A number left free below a released migration must stay free: a migration given it later
  // would sort before what deployments have applied, and be skipped. New ones go after the last.
  it('fills no number left free below a released migration', () => {
    const numbers = journal.entries.map((entry) => entry.idx);
    const last = Math.max(...numbers);
    const free = Array.from({ length: last + 1 }, (_, n) => n).filter((n) => !numbers.includes(n));
    expect(free).toEqual(NUMBERS_NEVER_USED);
  });
});
