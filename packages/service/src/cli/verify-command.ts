import { runVerify } from '@expert-dispatch/verify';
import type { CliCommand } from './cli-command.js';

/**
 * `expert-dispatch verify draw.json`: replays an exported draw with no database and says
 * whether it gives the recorded panel — the published `expert-dispatch-verify` command of
 * @expert-dispatch/verify. Exit 0 when it does, 1 when it does not, 2 when the file cannot be
 * read as a draw record.
 *
 * @example
 * // npx expert-dispatch verify draw-d_1f2e.json
 */
export const verifyCommand: CliCommand = (args, io) => runVerify(args, io);
