import { readFile } from 'node:fs/promises';
import { drawFileSchema } from './draw-file.js';
import { verifyDrawFile } from './verify-draw-file.js';

/** Where the command writes. */
export interface VerifyIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: the draw is what its input gives; it is not; the file is not a draw record. */
export const VERIFY_EXIT = { verified: 0, notVerified: 1, unreadable: 2 } as const;

/**
 * `expert-dispatch-verify verify <draw.json>` (or without the word `verify`): replays an
 * exported draw with no database and says whether it gives the recorded panel. Exit 0 when it
 * does, 1 when it does not, 2 when the file cannot be read as a draw record.
 *
 * @example
 * const code = await runVerify(['verify', 'draw-d_1f2e.json'], { stdout: console.log, stderr: console.error });
 */
export async function runVerify(args: readonly string[], io: VerifyIo): Promise<number> {
  const paths = args[0] === 'verify' ? args.slice(1) : args;
  const [path] = paths;
  if (path === undefined || paths.length !== 1 || path.startsWith('-')) {
    io.stderr(
      '用法 / usage: expert-dispatch-verify verify <draw.json>\n' +
        '  复核导出的抽取记录（GET /v1/draws/{id}/export，需审计员密钥）/ replays an exported draw\n',
    );
    return VERIFY_EXIT.unreadable;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    io.stderr(`无法读取 / cannot read ${path}: ${why}\n`);
    return VERIFY_EXIT.unreadable;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    io.stderr(`${path} 不是 JSON / is not JSON\n`);
    return VERIFY_EXIT.unreadable;
  }
  const parsed = drawFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    io.stderr(`${path} 不是抽取记录 / is not a draw record:\n${issues.join('\n')}\n`);
    return VERIFY_EXIT.unreadable;
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
  return outcome.ok ? VERIFY_EXIT.verified : VERIFY_EXIT.notVerified;
}
