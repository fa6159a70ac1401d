import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDrawFile } from './draw-file.test-helpers.js';
import { runVerify, VERIFY_EXIT } from './run-verify.js';

describe('expert-dispatch-verify verify <draw.json>', () => {
  const file = makeDrawFile();
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ed-verify-pkg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(args: (path: string) => string[], content?: string) {
    const path = join(dir, `draw-${Math.random().toString(36).slice(2)}.json`);
    if (content !== undefined) await writeFile(path, content);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerify(args(path), {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it.each([
    ['verify <file>', (path: string) => ['verify', path]],
    ['<file>', (path: string) => [path]],
  ])('confirms an exported draw with no database, called as %s (exit 0)', async (_name, args) => {
    const outcome = await run(args, JSON.stringify(file));
    expect(outcome).toMatchObject({ code: VERIFY_EXIT.verified, stderr: '' });
    expect(outcome.stdout).toContain(
      '✓ 复算结果与记录一致 / replayed panel equals the recorded one',
    );
    expect(outcome.stdout).toContain('VERIFIED 复核通过');
  });

  it('says NOT VERIFIED for a draw whose seed was changed (exit 1)', async () => {
    const changed = { ...file, input: { ...file.input, seed: 'chosen-later' } };
    const outcome = await run((path) => ['verify', path], JSON.stringify(changed));
    expect(outcome.code).toBe(VERIFY_EXIT.notVerified);
    expect(outcome.stdout).toContain('NOT VERIFIED 复核未通过');
  });

  it.each([
    ['not JSON', '{"format":', '不是 JSON / is not JSON'],
    ['not a draw record', JSON.stringify({ format: 'other' }), 'format'],
  ])('refuses a file that is %s (exit 2)', async (_name, content, message) => {
    const outcome = await run((path) => ['verify', path], content);
    expect(outcome.code).toBe(VERIFY_EXIT.unreadable);
    expect(outcome.stderr).toContain(message);
  });

  it.each([
    ['a missing file', (path: string) => ['verify', path], 'cannot read'],
    ['no file', () => ['verify'], 'usage'],
    ['two files', (path: string) => ['verify', path, path], 'usage'],
  ])('refuses %s with a bilingual message (exit 2)', async (_name, args, message) => {
    const outcome = await run(args);
    expect(outcome.code).toBe(VERIFY_EXIT.unreadable);
    expect(outcome.stderr).toContain(message);
  });
});
