import { createHash, randomBytes } from 'node:crypto';
import type { Expert } from '@expert-dispatch/rules';
import { asc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../audit/audit-entry.js';
import type { Transaction } from '../db/open-database.js';
import {
  type ApplicationConsent,
  applicationAttachments,
  authorities,
  expertApplications,
} from '../db/schema.js';
import { type FieldError, ProblemError } from '../errors.js';
import { parseExpert } from '../experts/expert-routes.js';
import { saveExpert } from '../experts/expert-row.js';
import type { AppEnv } from '../http/app-env.js';
import { clientAddressOf, type ThrottleRule, throttle } from '../self/self-throttle.js';
import type { ApplicationInput } from './application-input.js';
import { type CheckedAttachment, checkAttachments } from './attachment-type.js';

/** Applications from one address: 5 an hour (local policy against flooding the review queue). */
export const APPLICATIONS_PER_ADDRESS: ThrottleRule = {
  name: 'apply-address',
  limit: 5,
  windowMs: 3_600_000,
};

/** Who files a public application in the audit log: the public form, no key. */
const PUBLIC_ACTOR: Actor = { keyId: 'public:application', authorityId: null };

/** What the applicant is told: the ids to quote, never their personal data back. */
export interface SubmittedApplication {
  readonly applicationId: string;
  readonly expertId: string;
  readonly attachments: readonly {
    id: string;
    kind: string;
    mediaType: string;
    size: number;
    sha256: string;
  }[];
}

/**
 * Files an application (第十条（一）（二）): throttled per address; the attachments checked by
 * content and size; the consent coherent with the employer (an employer's consent, or — only
 * without an employer — the department as recommender); then, in one transaction, the expert in
 * state `applied` in the provincial pool, the application, its attachments and the audit
 * entries. A refusal writes nothing.
 *
 * @example
 * const { expertId } = await submitApplication(c, input);
 */
export async function submitApplication(
  c: Context<AppEnv>,
  input: ApplicationInput,
): Promise<SubmittedApplication> {
  throttle(c, APPLICATIONS_PER_ADDRESS, clientAddressOf(c));
  const errors: FieldError[] = consentErrors(input);
  const checked = checkAttachments(
    input.attachments.map((a) => ({
      kind: a.kind,
      fileName: a.fileName,
      content: Buffer.from(a.contentBase64, 'base64'),
    })),
    'contentBase64',
  );
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length > 0 || !checked.ok) throw refused(errors);
  const now = c.var.services.now();
  const expertId = `ap-${randomBytes(8).toString('hex')}`;
  const employer = input.employer;
  const expert: Expert = parseExpert(
    {
      id: expertId,
      name: input.name,
      birthDate: input.birthDate,
      phone: input.phone,
      idNumber: input.idNumber,
      title: input.title,
      safetyEngineer: input.safetyEngineer,
      practiceYears: input.practiceYears,
      employer:
        employer === null
          ? { id: 'none', name: '无在职单位', kind: 'other' }
          : { id: employerIdOf(employer.name), name: employer.name, kind: employer.kind },
      region: input.region,
      tier: 'province',
      group: input.group,
      industries: input.industries,
      specialties: input.specialties,
      status: 'applied',
      appointment: null,
      outstanding: false,
      ageWaiver: false,
      profileUpdatedAt: now.toISOString(),
      conflicts: [],
      unavailable: [],
    },
    now,
  );
  const consent: ApplicationConsent =
    input.consent.kind === 'employer'
      ? {
          kind: 'employer',
          employerName: employer?.name ?? '',
          declaredBy: input.consent.declaredBy,
        }
      : { kind: 'department', department: input.consent.department };
  return c.var.db.transaction(async (tx) => {
    // 第十条: the province's department selects and appoints; applications join its pool.
    const [province] = await tx
      .select({ id: authorities.id })
      .from(authorities)
      .where(eq(authorities.tier, 'province'))
      .orderBy(asc(authorities.id))
      .limit(1);
    if (province === undefined) {
      throw new ProblemError('service_unavailable', {
        zh: '尚未设置省级应急管理部门，暂不能受理申请',
        en: 'no provincial authority is set up yet; applications cannot be received',
      });
    }
    await saveExpert(
      tx,
      expert,
      province.id,
      { actor: PUBLIC_ACTOR, action: 'expert.applied', before: null },
      now,
    );
    const applicationId = `app_${randomBytes(10).toString('hex')}`;
    await tx.insert(expertApplications).values({
      id: applicationId,
      expertId,
      consent,
      education: input.education,
      resume: input.resume ?? null,
      clientAddress: clientAddressOf(c),
      createdAt: now,
    });
    const stored = await storeAttachments(tx, applicationId, checked.attachments, now);
    await appendAudit(
      tx,
      {
        actor: PUBLIC_ACTOR,
        action: 'expert_application.filed',
        entityType: 'expert_application',
        entityId: applicationId,
        after: { expertId, consent, education: input.education, attachments: stored },
      },
      now,
    );
    return { applicationId, expertId, attachments: stored };
  });
}

async function storeAttachments(
  tx: Transaction,
  applicationId: string,
  attachments: readonly CheckedAttachment[],
  now: Date,
) {
  const rows = attachments.map((a, position) => ({
    id: `att_${randomBytes(10).toString('hex')}`,
    applicationId,
    position,
    kind: a.kind,
    fileName: a.fileName,
    mediaType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
    content: a.content,
    createdAt: now,
  }));
  await tx.insert(applicationAttachments).values(rows);
  return rows.map(({ id, kind, mediaType, size, sha256 }) => ({
    id,
    kind,
    mediaType,
    size,
    sha256,
  }));
}

/** 第十条（二）: an employer's consent needs the employer; the department recommends only the unemployed. */
function consentErrors(input: ApplicationInput): FieldError[] {
  if (input.consent.kind === 'employer' && input.employer === null) {
    return [
      {
        path: 'employer',
        message:
          '由单位同意申报时须填写在职单位；无在职单位请选择由应急管理部门推荐（第十条（二））/ give the employer, or the recommending department when unemployed',
      },
    ];
  }
  if (input.consent.kind === 'department' && input.employer !== null) {
    return [
      {
        path: 'consent.kind',
        message:
          '在职人员须征得在职单位同意；应急管理部门推荐仅适用于无在职单位者（第十条（二））/ an employed applicant needs the employer’s consent',
      },
    ];
  }
  return [];
}

/** The same employer name is the same organisation id, so that recusal can match it later. */
function employerIdOf(name: string): string {
  return `emp-${createHash('sha256').update(name.trim()).digest('hex').slice(0, 16)}`;
}

function refused(errors: readonly FieldError[]): ProblemError {
  return new ProblemError(
    'validation_failed',
    { zh: '申报材料未通过校验', en: 'the application did not pass validation' },
    { errors: [...errors] },
  );
}
