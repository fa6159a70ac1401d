import type { AgeWaiverApproval, DisqualificationArticle } from '@expert-dispatch/rules';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** One way to reach an expert; the dispatcher tries an expert's contacts in order. */
export interface ExpertContact {
  readonly channel: 'webhook' | 'sms' | 'email' | 'log';
  /** A URL for webhook, a phone number for sms, an address for email, a label for log. */
  readonly address: string;
}

// Types are limited to what PostgreSQL and PGlite both run identically: text, integer, bigint,
// boolean, date (as 'YYYY-MM-DD' strings), timestamptz and jsonb.

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });

/** A requesting authority (应急管理部门): the province, a city or a county (第二十一条, 第二十六条). */
export const authorities = pgTable(
  'authorities',
  {
    id: text('id').primaryKey(),
    tier: text('tier').notNull(),
    region: text('region').notNull(),
    name: text('name').notNull(),
    /**
     * How this authority's local pool derives its rule set from the province's (第二十六条):
     * `deriveRuleSet` overrides, validated when set. Null: the provincial rule set as it is.
     */
    ruleSetOverrides: jsonb('rule_set_overrides').$type<Record<string, unknown>>(),
    /** Where a 通报 to this authority as a recommending unit goes (第二十三条); null: unknown. */
    contact: jsonb('contact').$type<ExpertContact>(),
    createdAt: createdAt(),
  },
  (table) => [check('authorities_tier_check', sql`${table.tier} in ('province','city','county')`)],
);

/** API keys; only the SHA-256 of the secret is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    role: text('role').notNull(),
    label: text('label').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    revokedAt: at('revoked_at'),
    /** The organisation a `recommender` key recommends for (第二十二条, 0019); null for others. */
    organizationId: text('organization_id').references(() => organizations.id),
  },
  (table) => [
    uniqueIndex('api_keys_secret_hash_idx').on(table.secretHash),
    index('api_keys_authority_idx').on(table.authorityId),
    check(
      'api_keys_role_check',
      sql`${table.role} in ('admin','dispatcher','auditor','viewer','recommender')`,
    ),
    check(
      'api_keys_organization_check',
      sql`(${table.role} = 'recommender') = (${table.organizationId} is not null)`,
    ),
  ],
);

/** Organisations: employers, enterprises and the units named in conflicts (第十六条（一）). */
export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  region: text('region'),
  /** Where a 通报 to this organisation as an employer goes (第二十三条); null: unknown. */
  contact: jsonb('contact').$type<ExpertContact>(),
  createdAt: createdAt(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * Experts (专家). The owner authority's pool holds them; `tier = 'province'` is the provincial
 * pool every authority may use, any other tier is visible to its owner only (第二十六条).
 */
export const experts = pgTable(
  'experts',
  {
    id: text('id').primaryKey(),
    ownerAuthorityId: text('owner_authority_id')
      .notNull()
      .references(() => authorities.id),
    name: text('name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    phone: text('phone').notNull(),
    idNumber: text('id_number'),
    title: text('title').notNull(),
    safetyEngineer: text('safety_engineer'),
    practiceYears: integer('practice_years').notNull(),
    employerId: text('employer_id').notNull(),
    employerName: text('employer_name').notNull(),
    employerKind: text('employer_kind').notNull(),
    region: text('region').notNull(),
    tier: text('tier').notNull(),
    group: text('group').notNull(),
    industries: jsonb('industries').$type<string[]>().notNull(),
    specialties: jsonb('specialties').$type<string[]>().notNull(),
    status: text('status').notNull(),
    appointment: jsonb('appointment').$type<{ from: string; to: string; sealed: boolean }>(),
    outstanding: boolean('outstanding').notNull(),
    ageWaiver: boolean('age_waiver').notNull(),
    /** The approved limit and evidence of an age waiver (第九条（五）); set exactly when `ageWaiver`. */
    ageWaiverApproval: jsonb('age_waiver_approval').$type<AgeWaiverApproval>(),
    disqualifiedOn: date('disqualified_on', { mode: 'string' }),
    /** The article of the disqualification: 第十六条（三）, or 第二十三条（六） for fraud. */
    disqualifiedUnder: text('disqualified_under').$type<DisqualificationArticle>(),
    profileUpdatedAt: at('profile_updated_at').notNull(),
    conflicts: jsonb('conflicts').$type<{ organizationId: string; reason: string }[]>().notNull(),
    unavailable: jsonb('unavailable').$type<{ from: string; to: string }[]>().notNull(),
    warnings: jsonb('warnings').$type<{ on: string; article: string; reason: string }[]>(),
    /** Ordered contact methods for notifications (personal data: never logged or shown masked). */
    contacts: jsonb('contacts').$type<ExpertContact[]>(),
    /** When the admission review (审核, 第十条（三）) passed; null until it has. */
    reviewApprovedAt: at('review_approved_at'),
    /** The public notice (公示) in progress or last run, as Shanghai dates (第十条（四）). */
    publicNotice: jsonb('public_notice').$type<{
      start: string;
      end: string;
      workingDays: number;
      covered: boolean;
      /** A renewal's notice (第十一条); absent: the notice before a first appointment. */
      purpose?: 'renewal';
      /** The day the notice led to an appointment or renewal; it cannot lead to another. */
      concludedOn?: string;
    }>(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('experts_owner_idx').on(table.ownerAuthorityId),
    index('experts_tier_status_idx').on(table.tier, table.status),
    index('experts_region_idx').on(table.region),
    // Who is the same person (0014, expert_person_records): by ID number, else name and birth.
    index('experts_id_number_idx').on(table.idNumber).where(sql`${table.idNumber} is not null`),
    index('experts_name_birth_idx').on(table.name, table.birthDate),
  ],
);

/**
 * The append-only audit log: one hash chain per authority (`chain`, 0023). Each entry's `hash` is
 * sha256(prev_hash + canonical JSON of the entry), so that changing or removing any entry breaks
 * every later link of its chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /** The listing order (a sequence, 0023); in the legacy chain also the place in the chain. */
    seq: bigint('seq', { mode: 'number' }).primaryKey().default(sql`nextval('audit_log_seq_seq')`),
    /** `authority:<id>`, `system`, or `legacy` (the single chain before 0023, closed). */
    chain: text('chain').notNull(),
    /** The place in the chain, from 1; null in the legacy chain, where it is `seq`. */
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    at: at('at').notNull(),
    actorKeyId: text('actor_key_id'),
    actorAuthorityId: text('actor_authority_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    reason: text('reason'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * 1: time hashed to the millisecond (entries before 0010); 2: to the microsecond;
     * 3: with the chain and the place in it (0023).
     */
    hashVersion: integer('hash_version').notNull().default(1),
  },
  (table) => [
    uniqueIndex('audit_log_hash_idx').on(table.hash),
    uniqueIndex('audit_log_chain_position_idx').on(
      table.chain,
      sql`(coalesce(${table.chainSeq}, ${table.seq}))`,
    ),
    check('audit_log_hash_version_check', sql`${table.hashVersion} in (1, 2, 3)`),
    check(
      'audit_log_chain_check',
      sql`(${table.chain} = 'legacy') = (${table.hashVersion} in (1, 2)) AND (${table.chain} = 'legacy') = (${table.chainSeq} IS NULL)`,
    ),
    index('audit_log_entity_idx').on(table.entityType, table.entityId),
    index('audit_log_authority_idx').on(table.actorAuthorityId),
  ],
);

/**
 * The tail of each audit chain (0023): its last entry's place (`seq`, the chain position) and
 * `hash`. An append reads its chain's row `FOR UPDATE`, which both queues concurrent appends to
 * that chain — and only to that one — and hands the waiting one the tail its predecessor
 * committed, in one statement. The legacy chain (before 0023) is closed (`closed_at`).
 */
export const auditHead = pgTable(
  'audit_head',
  {
    chain: text('chain').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    closedAt: at('closed_at'),
  },
  (table) => [
    check(
      'audit_head_legacy_closed_check',
      sql`${table.chain} <> 'legacy' OR ${table.closedAt} IS NOT NULL`,
    ),
  ],
);

/**
 * Ed25519 keys that sign audit checkpoints: the one generated at first start (private key kept
 * here, at most one) and the public half of each `AUDIT_SIGNING_KEY` used.
 */
export const auditSigningKeys = pgTable(
  'audit_signing_keys',
  {
    keyId: text('key_id').primaryKey(),
    /** SPKI DER, base64. */
    publicKey: text('public_key').notNull(),
    /** PKCS8 DER, base64; only for the generated key. */
    privateKey: text('private_key'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('audit_signing_keys_one_generated_idx')
      .on(sql`(true)`)
      .where(sql`${table.privateKey} IS NOT NULL`),
  ],
);

/** Signed statements of an audit chain's head (append-only, like the log). */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The chain whose head it signs (0023; `legacy` for those taken before). */
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    at: at('at').notNull(),
    keyId: text('key_id')
      .notNull()
      .references(() => auditSigningKeys.keyId),
    /** Ed25519 over the canonical JSON of {at, hash, keyId, sequence}, base64. */
    signature: text('signature').notNull(),
    trigger: text('trigger').notNull(),
    requestedBy: text('requested_by'),
  },
  (table) => [
    index('audit_checkpoints_chain_seq_idx').on(table.chain, table.seq),
    check('audit_checkpoints_trigger_check', sql`${table.trigger} in ('scheduled','on_demand')`),
  ],
);

/** Which checkpoint reached which sink: `url` (AUDIT_CHECKPOINT_URL) or `file`. */
export const auditCheckpointExports = pgTable(
  'audit_checkpoint_exports',
  {
    checkpointId: bigint('checkpoint_id', { mode: 'number' })
      .notNull()
      .references(() => auditCheckpoints.id),
    sink: text('sink').notNull(),
    exportedAt: at('exported_at').notNull(),
  },
  (table) => [
    primaryKey({ name: 'audit_checkpoint_exports_pk', columns: [table.checkpointId, table.sink] }),
    check('audit_checkpoint_exports_sink_check', sql`${table.sink} in ('url','file')`),
  ],
);

/**
 * The pool's revision: one row, counted up at the commit of every transaction that changed an
 * expert (a deferred trigger, migration 0008). Draws compare it with the revision their
 * prepared pool was built at — one primary-key read instead of a pass over the pool.
 */
export const poolRevision = pgTable(
  'pool_revision',
  {
    id: integer('id').primaryKey(),
    revision: bigint('revision', { mode: 'number' }).notNull(),
  },
  (table) => [check('pool_revision_single_row', sql`${table.id} = 1`)],
);

/**
 * The experts each pool revision changed (migration 0028, written by the same trigger), so that
 * a process applies only those to its prepared pool. `linked`: the record shared an ID number or
 * a name and birth date with another record, before or after — person ids may have moved, and
 * the process reloads the pool. A revision without entries (a TRUNCATE, pruned) means reload.
 */
export const poolChanges = pgTable(
  'pool_changes',
  {
    revision: bigint('revision', { mode: 'number' }).notNull(),
    expertId: text('expert_id').notNull(),
    linked: boolean('linked').notNull(),
  },
  (table) => [primaryKey({ name: 'pool_changes_pk', columns: [table.revision, table.expertId] })],
);

// ---- Tasks and draws (委派任务, 抽取) -------------------------------------------------------

/** A task (委派任务) requested by an authority; `body` is the validated Task JSON. */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    type: text('type').notNull(),
    status: text('status').notNull(),
    body: jsonb('body').notNull(),
    windowFrom: at('window_from').notNull(),
    windowTo: at('window_to').notNull(),
    currentDrawId: text('current_draw_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    cancelledAt: at('cancelled_at'),
    cancelReason: text('cancel_reason'),
    /** Told by a signed webhook when the panel is confirmed or understaffed. */
    callbackUrl: text('callback_url'),
    /** When the work was recorded as done; attendance and ratings follow (第十五条, 第二十条). */
    completedAt: at('completed_at'),
    /** Where the served unit receives its rating link (第二十条); null: ratings by API only. */
    ratingContact: jsonb('rating_contact').$type<ExpertContact>(),
  },
  (table) => [
    index('tasks_authority_idx').on(table.authorityId, table.createdAt),
    check('tasks_window_check', sql`${table.windowFrom} < ${table.windowTo}`),
  ],
);

/**
 * A list of SHA-256 hashes (64 hex digits each) stored as bytea, 32 bytes a hash (#17): read
 * and written as the list of hex hashes. PGlite reads bytea as a Uint8Array, postgres.js as a
 * Buffer.
 */
const packedHashes = customType<{ data: string[]; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (hashes) => Buffer.from(hashes.join(''), 'hex'),
  fromDriver: (bytes) => {
    const hex = Buffer.from(bytes).toString('hex');
    const hashes: string[] = [];
    for (let start = 0; start < hex.length; start += 64) hashes.push(hex.slice(start, start + 64));
    return hashes;
  },
});

/**
 * The pool as a draw saw it, stored once per digest so that a draw can be replayed
 * (`GET /v1/draws/:id/verify`) from exactly the experts and history it ran on.
 */
export const poolSnapshots = pgTable('pool_snapshots', {
  digest: text('digest').primaryKey(),
  /** The pool whole (draws before pool-digest@2); null when stored as `blocks`. */
  experts: jsonb('experts'),
  /** The pool-digest@2 block hashes, in order (`pool_blocks`, `expert_versions`; #17). */
  blocks: text('blocks').array(),
  /** The hashes of lists of block hashes (`pool_block_lists`), in order: the second level (#17). */
  blockLists: packedHashes('block_lists'),
  /** Null when the draw stores its history in `draws.input` instead. */
  history: jsonb('history'),
  createdAt: createdAt(),
});

/** A record version of a pool snapshot, stored once: SHA-256 of its canonical JSON (#17). */
export const expertVersions = pgTable('expert_versions', {
  hash: text('hash').primaryKey(),
  record: jsonb('record').notNull(),
});

/**
 * A block of a pool-digest@2 tree: its 256 (the last: fewer) record hashes, stored once — as
 * text (blocks written before 0029) or packed, 32 bytes a hash (since; half the bytes).
 */
export const poolBlocks = pgTable('pool_blocks', {
  hash: text('hash').primaryKey(),
  records: text('records').array(),
  packed: packedHashes('packed'),
});

/** Up to 64 block hashes of a pool snapshot, in order, stored once by the SHA-256 of the list. */
export const poolBlockLists = pgTable('pool_block_lists', {
  hash: text('hash').primaryKey(),
  blocks: packedHashes('blocks').notNull(),
});

/** One reason's excluded pool indices (`encodePoolIndices`), stored once by their SHA-256 (#17). */
export const exclusionSets = pgTable('exclusion_sets', {
  hash: text('hash').primaryKey(),
  indices: text('indices').notNull(),
});

/** One run of the matcher for a task (抽取); `sequence` 1 is the first draw, 2… re-draws. */
export const draws = pgTable(
  'draws',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    sequence: integer('sequence').notNull(),
    poolSnapshotDigest: text('pool_snapshot_digest')
      .notNull()
      .references(() => poolSnapshots.digest),
    ruleSetId: text('rule_set_id').notNull(),
    ruleSetVersion: text('rule_set_version').notNull(),
    policy: jsonb('policy').notNull(),
    seed: text('seed').notNull(),
    inputDigest: text('input_digest').notNull(),
    /** The matcher input as given (task, policy, seed, history), for replay. */
    input: jsonb('input').notNull(),
    result: jsonb('result').notNull(),
    exclusions: jsonb('exclusions').notNull(),
    /** Why a re-draw was made; null for the first draw. */
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdByAuthorityId: text('created_by_authority_id').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('draws_task_sequence_idx').on(table.taskId, table.sequence)],
);

/** Who made a draw at the desk and the supervisor beside them, printed on the 抽取记录 (0021). */
export const drawSignatories = pgTable('draw_signatories', {
  drawId: text('draw_id')
    .primaryKey()
    .references(() => draws.id),
  drawnBy: text('drawn_by').notNull(),
  supervisor: text('supervisor').notNull(),
  /** The key id that recorded the names. */
  recordedBy: text('recorded_by').notNull(),
  createdAt: createdAt(),
});

/**
 * One expert's seat on a task's panel, which is also their invitation (邀请). While a seat
 * `holds` (invited or accepted, not an alternate) it books the expert for `[window_from,
 * window_to)`; migration 0001 adds an exclusion constraint so that no expert is ever booked
 * into two overlapping windows, whatever the concurrency.
 */
export const panelSeats = pgTable(
  'panel_seats',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    drawId: text('draw_id')
      .notNull()
      .references(() => draws.id),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    /**
     * The person the seat books (0014): the smallest expert id among the person's records in
     * every pool (`expert_person_id`). Set by the trigger `panel_seats_person` on every insert,
     * so writers leave it out; NOT NULL in the database. The no-double-booking exclusion
     * constraint is on it: one person, one booking, whichever record was drawn.
     */
    personId: text('person_id'),
    role: text('role').notNull(),
    rank: integer('rank').notNull(),
    state: text('state').notNull(),
    /** The reason the expert CLAIMED; whether it is 正当 is the department's decision. */
    declineReason: text('decline_reason'),
    /** 说明情况 (第十五条): the expert's own words with a decline or withdrawal, ≤ 500 chars. */
    declineNote: text('decline_note'),
    /** Where the answer came from: `link`, `sms`, `phone` (recorded by a dispatcher), `api`. */
    replyChannel: text('reply_channel'),
    /** `expert`, or the API key id of the dispatcher who recorded the answer. */
    repliedBy: text('replied_by'),
    /** The first channel receipt of the invitation's notification; null while none reached. */
    deliveredAt: at('delivered_at'),
    windowFrom: at('window_from').notNull(),
    windowTo: at('window_to').notNull(),
    invitedAt: at('invited_at'),
    repliedAt: at('replied_at'),
    replyDeadline: at('reply_deadline'),
    /** After the work: whether the member came (第十五条); null until recorded. */
    attendance: text('attendance'),
    attendanceRecordedAt: at('attendance_recorded_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('panel_seats_task_idx').on(table.taskId),
    check('panel_seats_attendance_check', sql`${table.attendance} in ('attended','no_show')`),
    index('panel_seats_expert_idx').on(table.expertId, table.windowFrom),
    // The answers a draw reads (load-history.ts spells out the same states): a draw reads the
    // answers of the look-back, never the invitations still open, reserves or released seats.
    index('panel_seats_answered_idx')
      .on(table.updatedAt)
      .where(sql`${table.state} in ('accepted','declined','timed_out','withdrawn')`),
    check('panel_seats_role_check', sql`${table.role} in ('member','leader','alternate','shadow')`),
    check(
      'panel_seats_state_check',
      sql`${table.state} in ('reserve','invited','accepted','declined','timed_out','undeliverable','withdrawn','released','replaced','waitlisted')`,
    ),
    check('panel_seats_decline_note_check', sql`char_length(${table.declineNote}) <= 500`),
    check(
      'panel_seats_reply_channel_check',
      sql`${table.replyChannel} in ('link','sms','phone','api')`,
    ),
    check('panel_seats_window_check', sql`${table.windowFrom} < ${table.windowTo}`),
  ],
);

/** Stored responses of `Idempotency-Key` requests, per authority. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').notNull(),
    authorityId: text('authority_id').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still being processed. */
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.authorityId, table.key] })],
);

// ---- Dispatch (通知与答复) -------------------------------------------------------------------

/**
 * The transactional outbox: work for the queue, written in the same transaction as the change
 * that needs it. The relay claims rows (`FOR UPDATE SKIP LOCKED`, then a short lease in
 * `claimed_until`), adds them to the queue with the row id as job id and stamps `relayed_at`;
 * a row whose relay died is claimed again once the lease has passed.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, string | number | boolean | null>>().notNull(),
    /** Not before: the queue holds the job back until then (reply deadlines). */
    runAt: at('run_at').notNull(),
    claimedUntil: at('claimed_until'),
    relayedAt: at('relayed_at'),
    relayAttempts: integer('relay_attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (table) => [
    index('outbox_unrelayed_idx').on(table.createdAt).where(sql`${table.relayedAt} is null`),
    check(
      'outbox_kind_check',
      sql`${table.kind} in ('deliver_invitation','invitation_deadline','task_callback','deliver_notice','scheduled_job','audit_checkpoint_export')`,
    ),
  ],
);

/**
 * The notification of one invitation (one seat): its delivery state, attempts and the contact
 * it reached. Its id is the idempotency key sent to gateways, so a retried delivery is
 * recognisable as the same one.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    seatId: bigint('seat_id', { mode: 'number' })
      .notNull()
      .references(() => panelSeats.id),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    outboxId: text('outbox_id').notNull(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    channel: text('channel'),
    contactIndex: integer('contact_index'),
    lastError: text('last_error'),
    sentAt: at('sent_at'),
    failedAt: at('failed_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('deliveries_seat_idx').on(table.seatId),
    index('deliveries_task_idx').on(table.taskId),
    index('deliveries_expert_idx').on(table.expertId, table.sentAt),
    check(
      'deliveries_state_check',
      sql`${table.state} in ('pending','sending','sent','failed','cancelled')`,
    ),
  ],
);

/**
 * A notification that is not an invitation: thanks to a late acceptance on a full panel, a
 * rating link for the served unit, a reminder to update a stale profile, the department's
 * monthly digest. Sent once through the `deliver_notice` outbox job; its id is the idempotency
 * key gateways receive. Either `expertId` (the expert's ordered contacts) or `contact` is set.
 */
export const notices = pgTable(
  'notices',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    expertId: text('expert_id').references(() => experts.id),
    taskId: text('task_id').references(() => tasks.id),
    contact: jsonb('contact').$type<ExpertContact>(),
    /** Simplified Chinese, as the recipient reads it; no personal data of anyone else. */
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    channel: text('channel'),
    lastError: text('last_error'),
    sentAt: at('sent_at'),
    failedAt: at('failed_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('notices_expert_idx').on(table.expertId, table.createdAt),
    index('notices_task_idx').on(table.taskId),
    check('notices_state_check', sql`${table.state} in ('pending','sending','sent','failed')`),
    check(
      'notices_recipient_check',
      sql`${table.expertId} is not null or ${table.contact} is not null`,
    ),
  ],
);

/**
 * The department's decision whether a claimed decline reason is 正当 (正当理由认定,
 * 第二十三条（一）): one per invitation; the audit chain keeps who decided and why.
 */
export const declineReviews = pgTable(
  'decline_reviews',
  {
    seatId: bigint('seat_id', { mode: 'number' })
      .primaryKey()
      .references(() => panelSeats.id),
    decision: text('decision').notNull(),
    note: text('note').notNull(),
    /** The API key id of the admin or dispatcher who decided. */
    decidedBy: text('decided_by').notNull(),
    decidedAt: at('decided_at').notNull(),
  },
  (table) => [
    check('decline_reviews_decision_check', sql`${table.decision} in ('justified','unjustified')`),
    check('decline_reviews_note_check', sql`char_length(${table.note}) between 1 and 500`),
  ],
);

/**
 * A 通报 (第二十三条): a warning, interview or dismissal told to the expert's employer or the
 * recommending unit, through the notice it was queued as (`notices`).
 */
export const conductNotifications = pgTable(
  'conduct_notifications',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    action: text('action').notNull(),
    article: text('article').notNull(),
    recipient: text('recipient').notNull(),
    recipientName: text('recipient_name').notNull(),
    noticeId: text('notice_id')
      .notNull()
      .references(() => notices.id),
    createdAt: createdAt(),
  },
  (table) => [
    index('conduct_notifications_expert_idx').on(table.expertId, table.createdAt),
    check(
      'conduct_notifications_recipient_check',
      sql`${table.recipient} in ('employer','recommending_unit')`,
    ),
  ],
);

// ---- Records (第二十条, 第二十一条) ------------------------------------------------------------

/** A served unit's rating of one member on one task (服务评价, 第二十条): one per member per task. */
export const ratings = pgTable(
  'ratings',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id),
    seatId: bigint('seat_id', { mode: 'number' })
      .notNull()
      .references(() => panelSeats.id),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    score: integer('score').notNull(),
    comment: text('comment'),
    /** `link`: the served unit's signed link; `api`: a key of the requesting authority. */
    source: text('source').notNull(),
    ratedByKeyId: text('rated_by_key_id'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('ratings_task_expert_idx').on(table.taskId, table.expertId),
    index('ratings_expert_idx').on(table.expertId, table.createdAt),
    index('ratings_created_idx').on(table.createdAt),
    check('ratings_score_check', sql`${table.score} between 1 and 5`),
    check('ratings_source_check', sql`${table.source} in ('link','api')`),
  ],
);

/**
 * A city's or county's recommendation of one of its experts to the pool above (推荐,
 * 第二十一条（一）), which the receiving authority reviews.
 */
export const recommendations = pgTable(
  'recommendations',
  {
    id: text('id').primaryKey(),
    /** The recommended expert of a local pool; null for an organisation's candidate (0019). */
    expertId: text('expert_id').references(() => experts.id),
    fromAuthorityId: text('from_authority_id')
      .notNull()
      .references(() => authorities.id),
    toTier: text('to_tier').notNull(),
    state: text('state').notNull(),
    reason: text('reason').notNull(),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: at('decided_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    /** The recommending enterprise or SOE (第二十一条（一）, 第二十二条, 0019); null for an authority's. */
    fromOrganizationId: text('from_organization_id').references(() => organizations.id),
    /** The organisation's candidate, as submitted, until approval opens their record (0019). */
    candidate: jsonb('candidate').$type<Record<string, unknown>>(),
  },
  (table) => [
    check(
      'recommendations_subject_check',
      sql`(${table.expertId} is null) = (${table.candidate} is not null) and (${table.candidate} is null) = (${table.fromOrganizationId} is null)`,
    ),
    index('recommendations_state_idx').on(table.state, table.createdAt),
    index('recommendations_expert_idx').on(table.expertId),
    check('recommendations_to_tier_check', sql`${table.toTier} in ('province','city')`),
    check(
      'recommendations_state_check',
      sql`${table.state} in ('pending','approved','rejected','withdrawn')`,
    ),
  ],
);

/**
 * One run of a scheduled job for one period (`term_lapse` / `2026-11-29`): the primary key makes
 * a period's run happen once, however many processes schedule it.
 */
export const scheduledRuns = pgTable(
  'scheduled_runs',
  {
    job: text('job').notNull(),
    period: text('period').notNull(),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
    result: jsonb('result'),
  },
  (table) => [primaryKey({ columns: [table.job, table.period] })],
);

/**
 * Secrets the service generated for itself (`reply_link_secret`, `notify_signing_secret`) and
 * what the API records for a worker running apart (`api_base_url`); see service-secrets.ts.
 */
export const serviceSecrets = pgTable('service_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * One year of the working-day calendar (第十条（四）: 公示5个工作日): the State Council's
 * holidays and make-up working days, maintained by the province (`PUT /v1/calendar/{year}`).
 */
export const workingCalendarYears = pgTable(
  'working_calendar_years',
  {
    year: integer('year').primaryKey(),
    holidays: jsonb('holidays').$type<string[]>().notNull(),
    makeupWorkdays: jsonb('makeup_workdays').$type<string[]>().notNull(),
    /** Where the dates came from (the shipped data's id), if not an API call. */
    source: text('source'),
    updatedAt: at('updated_at').notNull().defaultNow(),
    /** The API key that last set the year. */
    updatedBy: text('updated_by'),
  },
  (table) => [check('working_calendar_years_year_check', sql`${table.year} between 1900 and 2200`)],
);

/**
 * 往来业务 (第十六条（一）): agency `agencyId` did `kind` (design, safety evaluation, testing,
 * standardisation review, consulting) for enterprise `enterpriseId` over `[from, to]`. A draw
 * treats every agency with an engagement with the served enterprise within the rule set's
 * `engagementLookbackYears` as related to the work (0015).
 */
export const engagements = pgTable(
  'engagements',
  {
    id: text('id').primaryKey(),
    agencyId: text('agency_id')
      .notNull()
      .references(() => organizations.id),
    enterpriseId: text('enterprise_id').notNull(),
    kind: text('kind').notNull(),
    from: date('from_date', { mode: 'string' }).notNull(),
    to: date('to_date', { mode: 'string' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    check(
      'engagements_kind_check',
      sql`${table.kind} in ('design','safety_evaluation','testing','standardization_review','consulting')`,
    ),
    check('engagements_period_check', sql`${table.from} <= ${table.to}`),
    check('engagements_parties_check', sql`${table.agencyId} <> ${table.enterpriseId}`),
    uniqueIndex('engagements_natural_key').on(
      table.agencyId,
      table.enterpriseId,
      table.kind,
      table.from,
      table.to,
    ),
    index('engagements_enterprise_idx').on(table.enterpriseId, table.to),
  ],
);

/**
 * One-time login codes of the expert self-service (第八条（一）): 6 digits sent through the
 * expert's own contacts, stored salted and hashed, single-use, expiring, burnt after a few wrong
 * attempts (0016). `phone_key` is the hash of the normalised phone the code was asked for.
 */
export const expertLoginCodes = pgTable(
  'expert_login_codes',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    phoneKey: text('phone_key').notNull(),
    salt: text('salt').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    createdAt: at('created_at').notNull(),
  },
  (table) => [index('expert_login_codes_phone_idx').on(table.phoneKey, table.createdAt)],
);

/** Short-lived expert sessions bought with a login code; only the token's hash is kept (0016). */
export const expertSessions = pgTable('expert_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  expertId: text('expert_id')
    .notNull()
    .references(() => experts.id),
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull(),
});

/**
 * Binary content (PostgreSQL bytea; PGlite reads it as a Uint8Array, postgres.js as a Buffer):
 * only the attachments of applications (0017).
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * Applications to the pool (第十条（一）（二）, 0017): the expert record in state `applied` holds
 * the 申报表's profile fields; this row adds what only the application has — the employer's
 * consent or the recommending department, education and résumé — and where it came from.
 */
export const expertApplications = pgTable(
  'expert_applications',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    consent: jsonb('consent').$type<ApplicationConsent>().notNull(),
    education: text('education').notNull(),
    resume: text('resume'),
    /** The client address, kept for throttling abuse reports; never shown publicly. */
    clientAddress: text('client_address').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (table) => [uniqueIndex('expert_applications_expert_idx').on(table.expertId)],
);

/** The employer's consent (第十条（二）), or the department as recommender when unemployed. */
export type ApplicationConsent =
  | { readonly kind: 'employer'; readonly employerName: string; readonly declaredBy: string }
  | { readonly kind: 'department'; readonly department: string };

/** Proof attachments of an application: PDF, JPEG or PNG as checked by content (0017). */
export const applicationAttachments = pgTable(
  'application_attachments',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id')
      .notNull()
      .references(() => expertApplications.id),
    /** The attachment's place in the application, from 0. */
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (table) => [
    index('application_attachments_application_idx').on(table.applicationId),
    check(
      'application_attachments_media_type_check',
      sql`${table.mediaType} in ('application/pdf','image/jpeg','image/png')`,
    ),
  ],
);

/** Experts' written applications for voluntary withdrawal (第二十四条, 0017); one open at a time. */
export const withdrawalApplications = pgTable(
  'withdrawal_applications',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    reason: text('reason').notNull(),
    state: text('state').$type<'open' | 'accepted' | 'refused'>().notNull(),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: at('decided_at'),
    createdAt: at('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('withdrawal_applications_one_open_idx')
      .on(table.expertId)
      .where(sql`${table.state} = 'open'`),
    index('withdrawal_applications_state_idx').on(table.state, table.createdAt),
    check(
      'withdrawal_applications_state_check',
      sql`${table.state} in ('open','accepted','refused')`,
    ),
  ],
);

/** The last certificate number given out per year of term start (0019). */
export const certificateCounters = pgTable('certificate_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * Appointment certificates (聘书, 第十一条, 0019): one per term of an expert, numbered per year.
 * Kept by the `experts_keep_certificates` trigger: issued with the appointment or renewal,
 * `sealedAt` set when it is sealed, `revokedAt` when the expert is dismissed or withdraws.
 */
export const certificates = pgTable(
  'certificates',
  {
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    termFrom: date('term_from', { mode: 'string' }).notNull(),
    termTo: date('term_to', { mode: 'string' }).notNull(),
    issuedAt: at('issued_at').notNull(),
    sealedAt: at('sealed_at'),
    revokedAt: at('revoked_at'),
  },
  (table) => [
    primaryKey({ name: 'certificates_year_seq_pk', columns: [table.year, table.seq] }),
    check('certificates_seq_check', sql`${table.seq} >= 1`),
    uniqueIndex('certificates_expert_term_idx').on(table.expertId, table.termFrom),
  ],
);

/**
 * Objections (异议) to an expert's public notice (第十条（四）, 0018), lodged by anyone inside the
 * notice's window and settled by an admin with a written outcome. `contact` is personal data:
 * kept for the reply, never shown publicly.
 */
export const noticeObjections = pgTable(
  'notice_objections',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    noticeStart: date('notice_start', { mode: 'string' }).notNull(),
    noticeEnd: date('notice_end', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    contact: text('contact').notNull(),
    reason: text('reason').notNull(),
    status: text('status').$type<'open' | 'upheld' | 'dismissed'>().notNull().default('open'),
    outcomeReason: text('outcome_reason'),
    settledByKeyId: text('settled_by_key_id'),
    settledAt: at('settled_at'),
    createdAt: createdAt(),
  },
  (table) => [
    index('notice_objections_notice_idx').on(table.expertId, table.noticeStart),
    index('notice_objections_open_idx').on(table.status, table.createdAt),
    check('notice_objections_status_check', sql`${table.status} in ('open','upheld','dismissed')`),
    check(
      'notice_objections_settled_check',
      sql`(${table.status} = 'open') = (${table.settledAt} is null)`,
    ),
  ],
);

/** The public announcements (公告) of appointments and renewals (第十条（五）, 第十一条, 0018). */
export const publicAnnouncements = pgTable(
  'public_announcements',
  {
    id: text('id').primaryKey(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    kind: text('kind').$type<'appointment' | 'renewal'>().notNull(),
    announcedOn: date('announced_on', { mode: 'string' }).notNull(),
    termFrom: date('term_from', { mode: 'string' }).notNull(),
    termTo: date('term_to', { mode: 'string' }).notNull(),
    noticeStart: date('notice_start', { mode: 'string' }).notNull(),
    noticeEnd: date('notice_end', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index('public_announcements_order_idx').on(table.announcedOn, table.id),
    check('public_announcements_kind_check', sql`${table.kind} in ('appointment','renewal')`),
  ],
);

/**
 * The yearly evaluation (年度评价, 第二十条, 0020): one result per expert and year with its
 * evidence and the expert's record at the year's end (`basis`). An admin's adjustment stays
 * apart from the computed grade: recomputing the year replaces the one and keeps the other.
 */
export const yearlyEvaluations = pgTable(
  'yearly_evaluations',
  {
    year: integer('year').notNull(),
    expertId: text('expert_id')
      .notNull()
      .references(() => experts.id),
    /** The authority whose pool was evaluated. */
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    /** The score in tenths (0–1000): integer types only. */
    scoreTenths: integer('score_tenths').notNull(),
    computedGrade: text('computed_grade').notNull(),
    evidence: jsonb('evidence').notNull(),
    basis: jsonb('basis').notNull(),
    ruleSet: jsonb('rule_set').$type<{ id: string; version: string }>().notNull(),
    computedAt: at('computed_at').notNull(),
    computedBy: text('computed_by').notNull(),
    adjustedGrade: text('adjusted_grade'),
    adjustmentReason: text('adjustment_reason'),
    adjustedBy: text('adjusted_by'),
    adjustedAt: at('adjusted_at'),
  },
  (table) => [
    primaryKey({ columns: [table.year, table.expertId] }),
    index('yearly_evaluations_authority_year_idx').on(table.authorityId, table.year),
    index('yearly_evaluations_expert_idx').on(table.expertId, table.year),
    check('yearly_evaluations_year_check', sql`${table.year} between 2000 and 2100`),
    check('yearly_evaluations_score_check', sql`${table.scoreTenths} between 0 and 1000`),
    check(
      'yearly_evaluations_computed_grade_check',
      sql`${table.computedGrade} in ('excellent','competent','basically_competent','incompetent')`,
    ),
    check(
      'yearly_evaluations_adjusted_grade_check',
      sql`${table.adjustedGrade} is null or ${table.adjustedGrade} in ('excellent','competent','basically_competent','incompetent')`,
    ),
    check(
      'yearly_evaluations_adjustment_check',
      sql`(${table.adjustedGrade} is null) = (${table.adjustmentReason} is null)`,
    ),
  ],
);

/**
 * A campaign (专项检查, issue 18): many tasks planned jointly by `planCampaign` (0022). `input`
 * holds what the plan read but the pool (in its snapshot), so that the plan replays.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    name: text('name').notNull(),
    policy: text('policy').notNull(),
    loadCap: integer('load_cap').notNull(),
    seed: text('seed').notNull(),
    poolSnapshotDigest: text('pool_snapshot_digest')
      .notNull()
      .references(() => poolSnapshots.digest),
    input: jsonb('input').notNull(),
    inputDigest: text('input_digest').notNull(),
    digest: text('digest').notNull(),
    result: jsonb('result').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index('campaigns_authority_idx').on(table.authorityId, table.createdAt),
    check('campaigns_policy_check', sql`${table.policy} in ('optimal','randomized')`),
    check('campaigns_load_cap_check', sql`${table.loadCap} >= 1`),
  ],
);

/** The tasks of a campaign, in the order they were given; a task belongs to one campaign. */
export const campaignTasks = pgTable(
  'campaign_tasks',
  {
    taskId: text('task_id')
      .primaryKey()
      .references(() => tasks.id),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    position: integer('position').notNull(),
  },
  (table) => [uniqueIndex('campaign_tasks_position_idx').on(table.campaignId, table.position)],
);
