import { parseArgs } from 'node:util';
import { tiers } from '@expert-dispatch/rules';
import { issueApiKey } from '../access/issue-api-key.js';
import { databaseTargetOf, openDatabase } from '../db/open-database.js';
import { readEnv } from '../env.js';
import { ROLES, type Role } from '../http/app-env.js';
import { auditVerifyCommand } from './audit-verify-command.js';
import type { CliCommand, CliIo } from './cli-command.js';
import { verifyCommand } from './verify-command.js';

export type { CliCommand, CliIo } from './cli-command.js';

export const USAGE = `expert-dispatch <command>

  migrate                       apply the SQL migrations (DATABASE_URL, else PGlite in DATA_DIR)
  create-admin-key --authority <id> --tier province|city|county --region <6 digits>
                   [--name <name>] [--label <label>] [--role admin|dispatcher|auditor|viewer]
                                print a new API key once (registers the authority if new)
  verify <draw.json>            replay an exported draw (GET /v1/draws/{id}/export) offline
  audit-verify --checkpoints <file.jsonl> [--public-key <key.pem>]
                                check the audit chain against checkpoints kept outside
  help                          this text
`;

const migrate: CliCommand = async (_args, io) => {
  const database = await openDatabase(databaseTargetOf(readEnv(io.env)));
  try {
    await database.migrate();
    io.stdout(`migrations applied (${database.kind})\n`);
    return 0;
  } finally {
    await database.close();
  }
};

const createAdminKey: CliCommand = async (args, io) => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      authority: { type: 'string' },
      tier: { type: 'string' },
      region: { type: 'string' },
      name: { type: 'string' },
      label: { type: 'string' },
      role: { type: 'string', default: 'admin' },
    },
    strict: true,
  });
  const { authority, tier, region } = values;
  if (!authority || !tier || !region || !tiers.is(tier) || !/^[1-8]\d{5}$/.test(region)) {
    io.stderr(
      `--authority, --tier (province|city|county) and --region (6 digits) are required\n\n${USAGE}`,
    );
    return 2;
  }
  const role = values.role ?? 'admin';
  // A recommender key names an organisation (第二十二条): issued through POST /v1/keys only.
  if (role === 'recommender' || !(ROLES as readonly string[]).includes(role)) {
    io.stderr(`--role must be one of ${ROLES.filter((r) => r !== 'recommender').join(', ')}\n`);
    return 2;
  }
  const database = await openDatabase(databaseTargetOf(readEnv(io.env)));
  try {
    await database.migrate();
    const issued = await database.db.transaction((tx) =>
      issueApiKey(
        tx,
        {
          authority: { id: authority, tier, region, name: values.name },
          role: role as Role,
          label: values.label ?? `${role} key (CLI)`,
          actor: { keyId: 'system:cli', authorityId: null },
        },
        new Date(),
      ),
    );
    io.stdout(
      `API key ${issued.id} for ${issued.authorityId} (${issued.role}) — shown once / 仅显示一次:\n${issued.key}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
};

/** The commands by name. */
export const COMMANDS: Record<string, CliCommand> = {
  migrate,
  verify: verifyCommand,
  'audit-verify': auditVerifyCommand,
  'create-admin-key': createAdminKey,
  help: async (_args, io) => {
    io.stdout(USAGE);
    return 0;
  },
};

/**
 * Runs one CLI command and returns its exit code; errors are printed, never thrown.
 *
 * @example
 * const code = await runCli(['migrate'], { stdout: console.log, stderr: console.error, env: process.env });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`unknown command: ${name}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
