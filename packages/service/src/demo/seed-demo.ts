import { count } from 'drizzle-orm';
import { type IssuedApiKey, issueApiKey } from '../access/issue-api-key.js';
import { appendAudit } from '../audit/append-audit.js';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { Database } from '../db/open-database.js';
import { authorities, experts, organizations } from '../db/schema.js';
import { expertToColumns } from '../experts/expert-row.js';
import { generateDemoPool } from './generate-demo-pool.js';
import { DEMO_EMPLOYERS, YUNNAN_CITIES } from './yunnan-places.js';

/** The provincial authority the demo is run as. */
export const DEMO_AUTHORITY = {
  id: 'yn-yjt',
  tier: 'province',
  region: '530000',
  name: '云南省应急管理厅',
} as const;

const SYSTEM_ACTOR = { keyId: 'system:demo', authorityId: null };

/** True once any authority (and so any API key) exists. */
export async function hasAuthority(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(authorities);
  return (row?.n ?? 0) > 0;
}

/**
 * Seeds an EMPTY database (no authority yet) with the demo pool, its employers and a first
 * admin key of the provincial authority; returns the key (to print once) or null when the
 * database already holds data.
 *
 * @example
 * const issued = await seedDemoIfEmpty(db, { size: 300, seed: 1, now: new Date() });
 */
export async function seedDemoIfEmpty(
  db: Database,
  options: { readonly size: number; readonly seed: number; readonly now: Date },
): Promise<{ key: IssuedApiKey; experts: number } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ n: count() }).from(authorities);
    if ((row?.n ?? 0) > 0) return null;
    const { now } = options;
    const key = await issueApiKey(
      tx,
      { authority: DEMO_AUTHORITY, role: 'admin', label: 'demo admin', actor: SYSTEM_ACTOR },
      now,
    );
    const orgs = DEMO_EMPLOYERS.map((employer) => ({
      id: employer.id,
      name: employer.name,
      kind: employer.kind,
      region: YUNNAN_CITIES.find((c) => c.code === employer.city)?.code ?? null,
      createdAt: now,
      updatedAt: now,
    }));
    await tx.insert(organizations).values(orgs);
    const pool = generateDemoPool(options);
    for (let start = 0; start < pool.length; start += 500) {
      await tx.insert(experts).values(
        pool.slice(start, start + 500).map((expert) => ({
          ...expertToColumns(expert),
          ownerAuthorityId: DEMO_AUTHORITY.id,
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
    const entries: AuditEntryInput[] = [
      ...orgs.map((org) => ({
        actor: SYSTEM_ACTOR,
        action: 'organization.created',
        entityType: 'organization',
        entityId: org.id,
        reason: 'demo seed',
        after: { ...org, createdAt: now.toISOString(), updatedAt: now.toISOString() },
      })),
      ...pool.map((expert) => ({
        actor: SYSTEM_ACTOR,
        action: 'expert.seeded',
        entityType: 'expert',
        entityId: expert.id,
        reason: 'demo seed',
        before: null,
        after: expert,
      })),
    ];
    await appendAudit(tx, entries, now);
    return { key, experts: pool.length };
  });
}
