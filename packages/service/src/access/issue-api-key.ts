import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import { apiKeys, authorities } from '../db/schema.js';
import { ProblemError } from '../errors.js';
import type { Role } from '../http/app-env.js';
import { generateApiKey } from './api-key.js';

export interface AuthorityInput {
  readonly id: string;
  readonly tier: 'province' | 'city' | 'county';
  readonly region: string;
  readonly name?: string | undefined;
}

export interface IssuedApiKey {
  readonly id: string;
  /** Shown once; only its hash is stored. */
  readonly key: string;
  readonly authorityId: string;
  readonly role: Role;
  readonly label: string;
  readonly createdAt: string;
  /** The organisation of a `recommender` key (第二十二条); absent for other roles. */
  readonly organizationId?: string;
}

/**
 * Creates an API key for an authority, registering the authority on first use, and records it
 * in the audit log. An existing authority must match the given tier and region.
 *
 * @example
 * const issued = await db.transaction((tx) => issueApiKey(tx, {
 *   authority: { id: 'yn', tier: 'province', region: '530000' }, role: 'admin',
 *   label: 'first admin', actor: { keyId: 'system:cli', authorityId: null } }, new Date()));
 */
export async function issueApiKey(
  tx: Transaction,
  input: {
    readonly authority: AuthorityInput;
    readonly role: Role;
    readonly label: string;
    readonly actor: Actor;
    /** Exactly for a `recommender` key: the registered organisation it recommends for. */
    readonly organizationId?: string | undefined;
  },
  now: Date,
): Promise<IssuedApiKey> {
  const { authority } = input;
  if ((input.role === 'recommender') !== (input.organizationId !== undefined)) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: '推荐单位密钥须指明单位，其他角色的密钥不指明单位',
        en: 'a recommender key names its organisation, and only a recommender key does',
      },
      { errors: [{ path: 'organizationId', message: 'required for recommender keys only' }] },
    );
  }
  const [existing] = await tx.select().from(authorities).where(eq(authorities.id, authority.id));
  if (!existing) {
    const row = {
      id: authority.id,
      tier: authority.tier,
      region: authority.region,
      name: authority.name ?? authority.id,
      createdAt: now,
    };
    await tx.insert(authorities).values(row);
    await appendAudit(
      tx,
      {
        actor: input.actor,
        action: 'authority.created',
        entityType: 'authority',
        entityId: authority.id,
        after: { ...row, createdAt: now.toISOString() },
      },
      now,
    );
  } else if (existing.tier !== authority.tier || existing.region !== authority.region) {
    throw new ProblemError(
      'validation_failed',
      {
        zh: `部门 ${authority.id} 已登记为 ${existing.tier} ${existing.region}`,
        en: `authority ${authority.id} is registered as ${existing.tier} ${existing.region}`,
      },
      { errors: [{ path: 'authority', message: 'does not match the registered authority' }] },
    );
  }
  const key = generateApiKey();
  await tx.insert(apiKeys).values({
    id: key.id,
    authorityId: authority.id,
    role: input.role,
    label: input.label,
    secretHash: key.secretHash,
    createdBy: input.actor.keyId,
    createdAt: now,
    organizationId: input.organizationId ?? null,
  });
  const view = {
    id: key.id,
    authorityId: authority.id,
    role: input.role,
    label: input.label,
    createdAt: now.toISOString(),
    ...(input.organizationId === undefined ? {} : { organizationId: input.organizationId }),
  };
  await appendAudit(
    tx,
    {
      actor: input.actor,
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: key.id,
      after: view,
    },
    now,
  );
  return { ...view, key: key.secret };
}
