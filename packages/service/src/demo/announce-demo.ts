import { count, inArray } from 'drizzle-orm';
import type { IssuedApiKey } from '../access/issue-api-key.js';
import type { Database } from '../db/open-database.js';
import { notices } from '../db/schema.js';

/**
 * The lines `main.ts` prints once when it seeded the demo pool: the admin key (never stored in
 * clear, so never shown again), the docs address and a first call.
 *
 * @example
 * process.stdout.write(demoBanner(seeded, 'http://localhost:3000'));
 */
export function demoBanner(
  seeded: { readonly key: IssuedApiKey; readonly experts: number },
  base: string,
): string {
  return [
    '',
    '==========================================================================',
    ` 演示专家库已创建 / Demo pool created: ${seeded.experts} experts (云南省级专家库)`,
    ' 管理员 API 密钥（仅显示一次）/ Admin API key (shown once, keep it):',
    `   ${seeded.key.key}`,
    ` 接口文档 / API reference:  ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    ' 试一试 / First call:',
    `   curl -H "Authorization: Bearer ${seeded.key.key}" "${base}/v1/experts?limit=2"`,
    '==========================================================================',
    '',
  ].join('\n');
}

/**
 * Waits until no notice is waiting to be sent (the first day's profile reminders of a fresh demo
 * pool go out through the log channel), polling every `pollMs`, at most `maxMs`. `main.ts`
 * prints the demo banner after it, so that the reminders do not scroll the key away.
 *
 * @example
 * await noticesSettled(db, { maxMs: 30_000 }); // true: none pending; false: gave up waiting
 */
export async function noticesSettled(
  db: Database,
  options: { readonly maxMs: number; readonly pollMs?: number },
): Promise<boolean> {
  const pollMs = options.pollMs ?? 250;
  for (let waited = 0; ; waited += pollMs) {
    const [row] = await db
      .select({ n: count() })
      .from(notices)
      .where(inArray(notices.state, ['pending', 'sending']));
    if ((row?.n ?? 0) === 0) return true;
    if (waited >= options.maxMs) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
