// The ledger's request bodies and list query: the registration of shared/domain/ledger/registration.ts,
// plus the version a correction replaces and the reason of an exit.
import * as z from 'zod/mini';
import '../../domain/validation/messages.js';
import { EXIT_REASONS } from '../../domain/ledger/entry.js';
import { FOCUS_MARKERS, registrationSchema } from '../../domain/ledger/registration.js';

export { registrationSchema };

export const ledgerUpdateSchema = z.strictObject({ ...registrationSchema.shape, expectedVersion: z.number().check(z.int(), z.minimum(1)) });

export const ledgerExitSchema = z.strictObject({ reason: z.enum(EXIT_REASONS) });

export const ledgerListQuery = z.strictObject({
  divisionCode: z.optional(z.string().check(z.regex(/^\d{6}$/, '应为六位区划代码 (a six-digit code)'))),
  township: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))),
  focus: z.optional(z.enum(FOCUS_MARKERS)),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number))),
});

/** The division of a count (a county: by township; a prefecture or the province: by county) or of an export (a county). */
export const ledgerDivisionQuery = z.strictObject({ divisionCode: z.string().check(z.regex(/^\d{6}$/, '应为六位区划代码 (a six-digit code)')) });

export { visitBodySchema } from '../../domain/ledger/visits.js';

/** The overdue-visit queue: a county (hers by default), optionally one township. */
export const visitsDueQuery = z.strictObject({
  divisionCode: z.optional(z.string().check(z.regex(/^\d{6}$/, '应为六位区划代码 (a six-digit code)'))),
  township: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
  limit: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,3}$/)), z.transform(Number))),
});
