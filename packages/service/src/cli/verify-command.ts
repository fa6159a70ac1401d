import { readFile } from 'node:fs/promises';
import { drawFileSchema, verifyDrawFile } from '../draws/draw-file.js';
import { toFieldErrors } from '../http/field-errors.js';
import type { CliCommand } from './cli-command.js';

/**
 * `expert-dispatch verify draw.json`: replays an exported draw with no database and says
 * whether it gives the recorded panel. Exit 0 when it does, 1 when it does not, 2 when the
 * file cannot be read as a draw record.
 *
 * @example
 * // npx expert-dispatch verify draw-d_1f2e.json
 */
export const verifyCommand: CliCommand = async (args, io) => {
  const [path] = args;
  if (path === undefined || args.length !== 1) {
    io.stderr('usage: expert-dispatch verify <draw.json>\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.stderr(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    io.stderr(`${path} is not JSON\n`);
    return 2;
  }
  const parsed = drawFileSchema.safeParse(json);
  if (!parsed.success) {
    const errors = toFieldErrors(parsed.error).slice(0, 10);
    io.stderr(
      `${path} is not a draw record:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}\n`,
    );
    return 2;
  }
  const outcome = verifyDrawFile(parsed.data);
  const line = (ok: boolean, zh: string, en: string) => `  ${ok ? '✓' : '✗'} ${zh} / ${en}\n`;
  io.stdout(
    `draw ${outcome.drawId} (task ${parsed.data.draw.taskId}, sequence ${parsed.data.draw.sequence})\n` +
      line(outcome.poolDigestMatches, '专家库快照摘要一致', 'pool snapshot digest matches') +
      line(outcome.digestMatches, '输入摘要一致', 'input digest matches') +
      line(outcome.resultMatches, '复算结果与记录一致', 'replayed panel equals the recorded one') +
      (outcome.ok ? 'VERIFIED 复核通过\n' : 'NOT VERIFIED 复核未通过\n'),
  );
  return outcome.ok ? 0 : 1;
};
