import {
  employerKinds,
  expertSchema,
  groups,
  industries,
  safetyEngineerLevels,
  specialtySchema,
  titles,
} from '@expert-dispatch/rules';
import { z } from '@hono/zod-openapi';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX, BASE64 } from './attachment-type.js';

/** What a proof attachment shows (第十条（一）: 身份、学历、专业技术职称和推荐意见等证明材料). */
export const attachmentKinds = [
  'identity',
  'education',
  'title',
  'safety_engineer',
  'employer_consent',
  'other',
] as const;

/** Labels of the attachment kinds, for the page and the admins. */
export const ATTACHMENT_KIND_LABELS: Readonly<Record<(typeof attachmentKinds)[number], string>> = {
  identity: '身份证明',
  education: '学历证明',
  title: '专业技术职称证书',
  safety_engineer: '注册安全工程师证书',
  employer_consent: '单位推荐意见（同意申报）',
  other: '其他证明材料',
};

const MAX_BASE64 = Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4;

const attachmentSchema = z
  .object({
    kind: z.enum(attachmentKinds).openapi({
      description:
        'identity 身份 · education 学历 · title 职称 · safety_engineer 注册安全工程师 · employer_consent 单位推荐意见 · other 其他',
    }),
    fileName: z.string().trim().min(1).max(200),
    // A few bytes more than the limit still decodes, so the size check can say what is wrong.
    contentBase64: z
      .string()
      .max(MAX_BASE64 + 8)
      .regex(BASE64, 'expected base64')
      .openapi({
        description: `The file, base64-encoded: PDF, JPEG or PNG as judged by its content, at most ${ATTACHMENT_MAX_BYTES} bytes`,
      }),
  })
  .strict();

/**
 * The employer's consent (第十条（二）: 应征得在职单位同意，并提供单位推荐意见), declared with
 * the person who gave it, or — for an applicant without an employer — the emergency-management
 * department that recommends them.
 */
const consentSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('employer'),
        agreed: z.literal(true).openapi({ description: '单位同意申报 / the employer consents' }),
        declaredBy: z.string().trim().min(1).max(100).openapi({
          description: '单位经办人或负责人 / who gave the consent for the employer',
        }),
      })
      .strict(),
    z
      .object({
        kind: z.literal('department'),
        department: z.string().trim().min(2).max(100).openapi({
          description: '推荐的应急管理部门（无在职单位时） / the recommending department',
        }),
      })
      .strict(),
  ])
  .openapi('ApplicationConsent');

/** The 申报表 (第十条（一）): the person, qualifications, employer and proofs. */
export const applicationInputSchema = z
  .object({
    name: expertSchema.shape.name,
    birthDate: expertSchema.shape.birthDate,
    idNumber: expertSchema.shape.idNumber.unwrap(),
    phone: expertSchema.shape.phone,
    education: z.string().trim().min(1).max(100).openapi({ description: '学历学位' }),
    title: titles.schema,
    safetyEngineer: safetyEngineerLevels.schema.nullable().default(null),
    practiceYears: z.number().int().min(0).max(70),
    employer: z
      .object({ name: z.string().trim().min(1).max(200), kind: employerKinds.schema })
      .strict()
      .nullable()
      .openapi({ description: '在职单位；无在职单位时为 null（须由应急管理部门推荐）' }),
    region: expertSchema.shape.region,
    group: groups.schema,
    industries: z.array(industries.schema).min(1).max(8),
    specialties: z.array(specialtySchema).max(30).default([]),
    resume: z.string().trim().max(4000).optional().openapi({ description: '工作简历' }),
    consent: consentSchema,
    attachments: z.array(attachmentSchema).min(1).max(ATTACHMENTS_MAX),
  })
  .strict()
  .openapi('ApplicationInput');

export type ApplicationInput = z.infer<typeof applicationInputSchema>;
