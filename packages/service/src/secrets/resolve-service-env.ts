import type { Database } from '../db/open-database.js';
import type { Env, EnvSettings } from '../env.js';
import { keptSecret, recordApiBaseUrl, recordedApiBaseUrl } from './service-secrets.js';

/** A process that cannot start as configured; its message is bilingual and names the fix. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The settings a process runs with, and which secrets it took from the database. */
export interface ResolvedEnv {
  readonly env: Env;
  /** The variables that were not set and so came from `service_secrets` (none in production). */
  readonly generated: readonly ('REPLY_LINK_SECRET' | 'NOTIFY_SIGNING_SECRET')[];
}

/**
 * Fills in what the environment left out. Secrets: configured, else generated once and kept in
 * `service_secrets`, shared by every process on the database — never a constant in code. The
 * public address: configured; else (development) the API's `http://localhost:PORT`, which the
 * API records and a worker running apart reads — a worker with neither refuses to start rather
 * than send links to its own port. Production has everything set (readEnv refuses otherwise).
 *
 * @example
 * const { env, generated } = await resolveServiceEnv(readEnv(), db, 'api');
 */
export async function resolveServiceEnv(
  settings: EnvSettings,
  db: Database,
  role: 'api' | 'worker',
): Promise<ResolvedEnv> {
  const generated: ('REPLY_LINK_SECRET' | 'NOTIFY_SIGNING_SECRET')[] = [];
  const secretOf = async (
    name: 'REPLY_LINK_SECRET' | 'NOTIFY_SIGNING_SECRET',
    row: 'reply_link_secret' | 'notify_signing_secret',
  ): Promise<string> => {
    const configured = settings[name];
    if (configured !== undefined) return configured;
    if (settings.NODE_ENV === 'production') throw missingInProduction(name);
    generated.push(name);
    return keptSecret(db, row);
  };
  const replyLinkSecret = await secretOf('REPLY_LINK_SECRET', 'reply_link_secret');
  const signingSecret = await secretOf('NOTIFY_SIGNING_SECRET', 'notify_signing_secret');
  const publicBaseUrl = settings.PUBLIC_BASE_URL ?? (await unconfiguredBaseUrl(settings, db, role));
  return {
    env: {
      ...settings,
      REPLY_LINK_SECRET: replyLinkSecret,
      NOTIFY_SIGNING_SECRET: signingSecret,
      PUBLIC_BASE_URL: publicBaseUrl,
    },
    generated,
  };
}

async function unconfiguredBaseUrl(
  settings: EnvSettings,
  db: Database,
  role: 'api' | 'worker',
): Promise<string> {
  if (settings.NODE_ENV === 'production') throw missingInProduction('PUBLIC_BASE_URL');
  if (role === 'api') {
    const url = `http://localhost:${settings.PORT}`;
    await recordApiBaseUrl(db, url);
    return url;
  }
  const recorded = await recordedApiBaseUrl(db);
  if (recorded !== undefined) return recorded;
  throw new StartupError(
    [
      '工作进程不知道回复链接的地址：请设置 PUBLIC_BASE_URL，或先在同一数据库上启动 API 进程。',
      'The worker does not know the address of reply links: set PUBLIC_BASE_URL, or start an API',
      'process on the same database first (it records its address for the worker).',
    ].join('\n'),
  );
}

function missingInProduction(name: string): StartupError {
  return new StartupError(
    `生产环境必须设置 ${name} / ${name} is required in production (NODE_ENV=production)`,
  );
}

/**
 * The settings as they are when the secrets and the public address are all configured (benches,
 * tools without a database); a `StartupError` names what is missing.
 *
 * @example
 * const env = configuredEnv(readEnv({ REPLY_LINK_SECRET, NOTIFY_SIGNING_SECRET, PUBLIC_BASE_URL }));
 */
export function configuredEnv(settings: EnvSettings): Env {
  const { REPLY_LINK_SECRET, NOTIFY_SIGNING_SECRET, PUBLIC_BASE_URL } = settings;
  if (REPLY_LINK_SECRET === undefined) throw missingSetting('REPLY_LINK_SECRET');
  if (NOTIFY_SIGNING_SECRET === undefined) throw missingSetting('NOTIFY_SIGNING_SECRET');
  if (PUBLIC_BASE_URL === undefined) throw missingSetting('PUBLIC_BASE_URL');
  return { ...settings, REPLY_LINK_SECRET, NOTIFY_SIGNING_SECRET, PUBLIC_BASE_URL };
}

function missingSetting(name: string): StartupError {
  return new StartupError(`未设置 ${name} / ${name} is not set`);
}
