// Request schemas of the caseworker API (zod: a 400 names each bad field by its path); the OpenAPI
// document (shared/http/openapi.ts) is generated from them. The lifecycle actions' bodies are built
// from their catalogue entries (shared/domain/lifecycle/catalogue.ts).
import * as z from 'zod/mini';
import '../../domain/validation/messages.js';
import { MAX_TEXT_LENGTH, staffAction, STAFF_ACTION_TYPES, type BodyField, type BodyOf, type StaffActionType } from '../../domain/lifecycle/index.js';
import { NEEDS, RECEIVING_DEPARTMENTS, URGENCIES, type ReferralDepartment } from '../../domain/model.js';

const text = z.string().check(z.trim(), z.minLength(1, '不能为空 (required)'), z.maxLength(MAX_TEXT_LENGTH, `不能超过 ${MAX_TEXT_LENGTH} 字 (at most ${MAX_TEXT_LENGTH} characters)`));
const divisionCode = z.string().check(z.regex(/^\d{6}$/, '须为六位行政区划代码 (a six-digit GB/T 2260 code)'));
/** Departments that receive referrals (finance funds services, receives none), and manual triage. */
export const receivingDepartment = z.enum(RECEIVING_DEPARTMENTS as [ReferralDepartment, ...ReferralDepartment[]]);

/** One body field of the catalogue as zod: its shape only (rules between fields are the transition's). */
function fieldSchema(field: BodyField): z.ZodMiniType {
  switch (field.kind) {
    case 'text':
      return field.required ? text : z.optional(text);
    case 'choice':
      return z.enum(field.values as [string, ...string[]]);
    case 'integer': {
      const n = z.number().check(z.int('须为整数 (a whole number)'), z.minimum(field.min), z.maximum(field.max));
      return field.required ? n : z.optional(n);
    }
    case 'yes_no':
      return z.boolean();
    case 'department':
      return z.optional(receivingDepartment);
    case 'division':
      return z.optional(divisionCode);
  }
}

/** The request schema of a staff action, built from its catalogue entry (undefined: the action takes no body). */
function bodySchema<T extends StaffActionType>(type: T): z.ZodMiniType<BodyOf<T>> | undefined {
  const spec = staffAction(type);
  const fields = Object.entries(spec.body);
  if (fields.length === 0) return undefined;
  const shape = z.strictObject(Object.fromEntries(fields.map(([name, field]) => [name, fieldSchema(field)])));
  const oneOf = spec.oneOf;
  if (!oneOf) return shape as unknown as z.ZodMiniType<BodyOf<T>>;
  return shape.check(
    z.refine((b: Record<string, unknown>) => oneOf.some((f) => b[f] !== undefined), {
      message: `须指定 ${oneOf.join(' 或 ')} (give ${oneOf.join(', ')} or more than one)`,
      path: [oneOf[0]!],
    }),
  ) as unknown as z.ZodMiniType<BodyOf<T>>;
}

/** Each staff action's request schema, by action type. */
export const ACTION_BODIES: { [T in StaffActionType]: z.ZodMiniType<BodyOf<T>> | undefined } = Object.fromEntries(STAFF_ACTION_TYPES.map((t) => [t, bodySchema(t)])) as {
  [T in StaffActionType]: z.ZodMiniType<BodyOf<T>> | undefined;
};

export const queueQuery = z.strictObject({
  status: z._default(z.enum(['open', 'followup']), 'open'),
  department: z.optional(receivingDepartment),
  divisionCode: z.optional(divisionCode),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  /** `all`: every open referral of the division (coordinators, admins), by next deadline; `returned`: the coordinator's queue of returned referrals. */
  scope: z.optional(z.enum(['all', 'returned'])),
});

/** POST /cases/{caseId}/danger-review: confirm (the case becomes an emergency) or dismiss with a note. */
export const dangerReviewBody = z.strictObject({ confirm: z.boolean(), note: z.optional(text) }).check(
  z.superRefine((b, ctx) => {
    if (!b.confirm && b.note === undefined) ctx.addIssue({ code: 'custom', path: ['note'], message: '排除时须说明理由 (a note is required to dismiss)' });
  }),
);

/** POST /cases/{caseId}/classification: a coordinator's correction. */
export const classificationBody = z.strictObject({
  needs: z.array(z.enum(NEEDS)).check(
    z.maxLength(NEEDS.length),
    z.refine((n) => new Set(n).size === n.length, '需求不能重复 (each need once)'),
  ),
  urgency: z.enum(URGENCIES),
  divisionCode: z.nullable(divisionCode),
  reason: text,
});
