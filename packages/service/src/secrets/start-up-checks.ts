import type { Logger } from 'pino';
import type { Database } from '../db/open-database.js';
import { type EnvSettings, readEnv } from '../env.js';
import { type ResolvedEnv, resolveServiceEnv, StartupError } from './resolve-service-env.js';

/**
 * The environment of `main.ts` or `worker.ts`, or — when it is invalid, e.g. production without
 * its secrets — the bilingual reason on stderr and exit code 1 (no stack trace to read past).
 *
 * @example
 * const settings = readEnvOrExit();
 */
export function readEnvOrExit(
  source: Record<string, string | undefined> = process.env,
): EnvSettings {
  try {
    return readEnv(source);
  } catch (error) {
    return exitWith(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `resolveServiceEnv` for a starting process: a `StartupError` ends it with its message and exit
 * code 1; secrets taken from the database are named in one warning line (never their values).
 *
 * @example
 * const env = await resolveEnvOrExit(settings, database.db, 'worker', logger);
 */
export async function resolveEnvOrExit(
  settings: EnvSettings,
  db: Database,
  role: 'api' | 'worker',
  logger: Logger,
): Promise<ResolvedEnv['env']> {
  let resolved: ResolvedEnv;
  try {
    resolved = await resolveServiceEnv(settings, db, role);
  } catch (error) {
    if (error instanceof StartupError) return exitWith(error.message);
    throw error;
  }
  if (resolved.generated.length > 0) {
    logger.warn(
      { generated: resolved.generated },
      `${resolved.generated.join(', ')} not set: using secrets generated at first start and kept in the database (service_secrets); set them in production / 未设置，使用首次启动时生成并保存在数据库中的密钥，生产环境请显式设置`,
    );
  }
  return resolved.env;
}

function exitWith(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}
