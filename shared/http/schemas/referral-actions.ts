// Request schemas of the caseworker API (zod: a 400 names each bad field by its path); the OpenAPI
// document (shared/http/openapi.ts) is generated from them.
import { z } from 'zod';
import { MAX_EXTENSION_WORKING_DAYS, MAX_TEXT_LENGTH, OUTCOMES, RETURN_REASONS } from '../../domain/lifecycle/index.js';
import { NEEDS, RECEIVING_DEPARTMENTS, URGENCIES, type ReferralDepartment } from '../../domain/model.js';

const text = z.string().trim().min(1, '不能为空 (required)').max(MAX_TEXT_LENGTH, `不能超过 ${MAX_TEXT_LENGTH} 字 (at most ${MAX_TEXT_LENGTH} characters)`);
const divisionCode = z.string().regex(/^\d{6}$/, '须为六位行政区划代码 (a six-digit GB/T 2260 code)');
/** Departments that receive referrals (finance funds services, receives none), and manual triage. */
export const receivingDepartment = z.enum(RECEIVING_DEPARTMENTS as [ReferralDepartment, ...ReferralDepartment[]]);

export const noteBody = z.strictObject({ text });

export const returnBody = z.strictObject({ reason: z.enum(RETURN_REASONS), note: text });

export const rerouteBody = z
  .strictObject({ department: receivingDepartment.optional(), divisionCode: divisionCode.optional() })
  .refine((b) => b.department !== undefined || b.divisionCode !== undefined, { message: '须指定 department 或 divisionCode (give a department, a divisionCode or both)', path: ['department'] });

export const extensionBody = z.strictObject({
  workingDays: z.number().int('须为整数 (a whole number)').min(1).max(MAX_EXTENSION_WORKING_DAYS),
  reason: text,
});

export const extensionDecisionBody = z.strictObject({ approve: z.boolean() });

export const resolveBody = z.strictObject({ outcome: z.enum(OUTCOMES), reason: text.optional(), summary: text }).superRefine((b, ctx) => {
  if (b.outcome !== 'service_provided' && b.reason === undefined) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: '结果不是 service_provided 时须填写原因 (a reason is required unless the outcome is service_provided)' });
  }
});

export const followUpBody = z.strictObject({ reached: z.boolean(), satisfaction: z.number().int('须为整数 (a whole number)').min(1).max(5).optional() }).superRefine((b, ctx) => {
  if (b.reached && b.satisfaction === undefined) ctx.addIssue({ code: 'custom', path: ['satisfaction'], message: '接通时须记录满意度 1–5 (satisfaction 1–5 is required when she was reached)' });
  if (!b.reached && b.satisfaction !== undefined) ctx.addIssue({ code: 'custom', path: ['satisfaction'], message: '未接通时不能记录满意度 (no satisfaction when she was not reached)' });
});

export const reopenBody = z.strictObject({ note: text });

export const queueQuery = z.strictObject({
  status: z.enum(['open', 'followup']).default('open'),
  department: receivingDepartment.optional(),
  divisionCode: divisionCode.optional(),
  cursor: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** `all`: every open referral of the division (coordinators, admins), by next deadline; `returned`: the coordinator's queue of returned referrals. */
  scope: z.enum(['all', 'returned']).optional(),
});

/** POST /cases/{caseId}/danger-review: confirm (the case becomes an emergency) or dismiss with a note. */
export const dangerReviewBody = z.strictObject({ confirm: z.boolean(), note: text.optional() }).superRefine((b, ctx) => {
  if (!b.confirm && b.note === undefined) ctx.addIssue({ code: 'custom', path: ['note'], message: '排除时须说明理由 (a note is required to dismiss)' });
});

/** POST /cases/{caseId}/classification: a coordinator's correction. */
export const classificationBody = z.strictObject({
  needs: z
    .array(z.enum(NEEDS))
    .max(NEEDS.length)
    .refine((n) => new Set(n).size === n.length, '需求不能重复 (each need once)'),
  urgency: z.enum(URGENCIES),
  divisionCode: divisionCode.nullable(),
  reason: text,
});
