// What a township officer records about a left-behind woman in the county ledger (信息台账, measure
// (二十三) of the provincial plan), and the rules a record must satisfy. Pure: the caller passes the
// date. Health and disability are sensitive personal information (PIPL art. 28): recording them on
// the woman's consent needs her separate consent (art. 29), and every record names the legal basis
// of the processing (art. 13).
import * as z from 'zod/mini';
import '../validation/messages.js';
import { normalizeMobile } from '../mobile-numbers.js';
import { checkIdNumber, ID_NUMBER_MESSAGES } from './id-number.js';

import { FOCUS_LABELS, FOCUS_MARKERS, LEGAL_BASES, SENSITIVE_FOCUS } from './vocabulary.js';

export { FOCUS_LABELS, FOCUS_MARKERS, LEGAL_BASES, LEGAL_BASIS_LABELS, SENSITIVE_FOCUS, type FocusMarker, type LegalBasis } from './vocabulary.js';

/** Her husband must have worked away this long for her to be a left-behind woman (留守妇女). */
export const MIN_MONTHS_AWAY = 6;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const count = (max: number) => z.number().check(z.int(), z.minimum(0), z.maximum(max));
const yearMonth = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为 YYYY-MM，例如 2025-03 (YYYY-MM)'));

export const registrationSchema = z.strictObject({
  name: text(50),
  /** Optional; checked, then kept only as a keyed hash and its last four characters. */
  idNumber: z.optional(z.string().check(z.trim(), z.maxLength(30))),
  phone: z.string().check(
    z.trim(),
    z.refine((p) => normalizeMobile(p) !== null, '应为手机号，例如 13912345678 (a mobile number)'),
  ),
  /** Her county (区/县) code; the township and village by name, as the township keeps them. */
  divisionCode: z.string().check(z.regex(/^\d{6}$/, '应为六位区划代码 (a six-digit GB/T 2260 code)')),
  township: text(50),
  village: text(50),
  birthYear: z.number().check(z.int(), z.minimum(1920), z.maximum(2015)),
  husbandAway: z.strictObject({ since: yearMonth, where: text(100) }),
  household: z.strictObject({
    children: count(20),
    childrenUnder16: count(20),
    /** Elders she looks after. */
    elders: count(10),
    /** Disabled family members she looks after. */
    disabledMembers: count(10),
  }),
  focus: z.array(z.enum(FOCUS_MARKERS)).check(z.maxLength(FOCUS_MARKERS.length)),
  legalBasis: z.strictObject({
    basis: z.enum(LEGAL_BASES),
    /** Her separate consent to recording health and disability (PIPL art. 29), when the basis is her consent. */
    separateConsentToSensitive: z.optional(z.boolean()),
    /** Where the consent or the duty is recorded: a form number, a decision. */
    reference: z.optional(text(100)),
  }),
});
export type Registration = z.output<typeof registrationSchema>;

export interface RegistrationProblem {
  path: string;
  message: string;
}

function monthsBetween(yyyyMm: string, today: Date): number {
  const [y, m] = yyyyMm.split('-').map(Number) as [number, number];
  return (today.getUTCFullYear() - y) * 12 + (today.getUTCMonth() + 1 - m);
}

/**
 * The rules between fields that a schema cannot state, with the field each concerns. An empty list
 * means the record may be kept. `today` is the registration date.
 */
export function registrationProblems(r: Registration, today: Date): RegistrationProblem[] {
  const problems: RegistrationProblem[] = [];
  if (r.idNumber !== undefined && r.idNumber !== '') {
    const id = checkIdNumber(r.idNumber, today);
    if (!id.ok) problems.push({ path: 'idNumber', message: ID_NUMBER_MESSAGES[id.problem] });
    else if (id.birthYear !== r.birthYear) problems.push({ path: 'birthYear', message: `与身份证号中的出生年份 ${id.birthYear} 不一致 (does not match the birth year in the ID number)` });
  }
  if (new Set(r.focus).size !== r.focus.length) problems.push({ path: 'focus', message: '重复的关注标记 (a marker is listed twice)' });
  if (r.household.childrenUnder16 > r.household.children) problems.push({ path: 'household.childrenUnder16', message: '不能多于子女总数 (more than the children in all)' });
  const away = monthsBetween(r.husbandAway.since, today);
  if (away < 0) problems.push({ path: 'husbandAway.since', message: '外出时间不能晚于今天 (in the future)' });
  else if (away < MIN_MONTHS_AWAY) problems.push({ path: 'husbandAway.since', message: `丈夫外出不满${MIN_MONTHS_AWAY}个月，尚不属于留守妇女 (away less than ${MIN_MONTHS_AWAY} months)` });
  const sensitive = r.focus.filter((f) => SENSITIVE_FOCUS.includes(f));
  if (sensitive.length > 0 && r.legalBasis.basis === 'consent' && r.legalBasis.separateConsentToSensitive !== true) {
    problems.push({
      path: 'legalBasis.separateConsentToSensitive',
      message: `记录${sensitive.map((f) => FOCUS_LABELS[f]).join('、')}需要本人单独同意 (separate consent is needed to record health or disability)`,
    });
  }
  return problems;
}
