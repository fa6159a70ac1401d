import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './audit-entry.js';
import { type CheckpointStatement, compareWithCheckpoints } from './checkpoint-consistency.js';

const h = (c: string) => c.repeat(64);
/** A chain of 9 entries whose hashes at 3, 6 and 9 were kept. */
const walk = {
  lastSeq: 9,
  hashesAt: new Map([
    [3, h('3')],
    [6, h('6')],
    [9, h('9')],
  ]),
};
const statement = (id: number, sequence: number, hash: string, signatureValid = true) =>
  ({
    id,
    chain: 'authority:yn-yjt',
    sequence,
    hash,
    at: '2026-03-02T01:00:00.000Z',
    keyId: 'k',
    signatureValid,
  }) satisfies CheckpointStatement;

describe('compareWithCheckpoints', () => {
  it.each<[string, CheckpointStatement[], number | null, [number, string] | null]>([
    [
      'agrees with every checkpoint it still has',
      [statement(1, 3, h('3')), statement(2, 6, h('6'))],
      2,
      null,
    ],
    ['agrees with a checkpoint of the empty chain', [statement(1, 0, GENESIS_HASH)], 1, null],
    [
      'names the first rewritten checkpoint and the newest one before it',
      [statement(1, 3, h('3')), statement(2, 6, h('x')), statement(3, 9, h('y'))],
      1,
      [2, 'hash_mismatch'],
    ],
    [
      'finds an entry a checkpoint signed cut off',
      [statement(1, 3, h('3')), statement(2, 12, h('c'))],
      1,
      [2, 'entry_missing'],
    ],
    [
      'trusts no checkpoint whose signature fails',
      [statement(1, 9, h('9'), false)],
      null,
      [1, 'signature_invalid'],
    ],
    ['reports nothing without checkpoints', [], null, null],
  ])('%s', (_name, statements, newest, first) => {
    const result = compareWithCheckpoints(walk, statements);
    expect(result.newestConsistent?.id ?? null).toBe(newest);
    expect(
      result.firstInconsistent === null
        ? null
        : [result.firstInconsistent.checkpoint.id, result.firstInconsistent.problem],
    ).toEqual(first);
    expect(result.checked).toBe(statements.length);
  });
});
