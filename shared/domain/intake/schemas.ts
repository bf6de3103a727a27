// Each channel's request body (zod) and its normalisation into one canonical intake.
// Unknown fields are stripped rather than rejected so that an integrator's extra fields never
// cost a woman her intake; every known field is checked strictly.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { RISKS, SAFE_NOW, URGENCIES, type Channel } from '../model.js';
import type { HumanSignals } from '../triage/human-signals.js';

const MAX_TEXT = 8000;

const divisionCode = z.string().check(z.regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code'));
// Mainland mobile or landline, optionally with +86; separators allowed.
const phone = z.string().check(z.trim(), z.regex(/^(\+?86[- ]?)?[0-9][0-9 -]{5,18}[0-9]$/, 'must be a phone number of digits'));
const personName = z.string().check(z.trim(), z.minLength(1), z.maxLength(50));
const place = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const externalId = z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.regex(/^[\w.:-]+$/, 'letters, digits, "_", ".", ":" and "-" only'));
/** An ID number as a hotline sends it: checked when it is used (a typo must not cost her the intake), never stored. */
const idNumberText = z.string().check(z.trim(), z.maxLength(30));
const narrative = z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT));

/** ISO-8601 with an offset, or "YYYY-MM-DD HH:mm:ss" which Chinese hotline systems send in Beijing time. */
const timestamp = z.string().check(
  z.trim(),
  z.refine((s) => parseTimestamp(s) !== null, 'must be ISO-8601 with a time zone, or "YYYY-MM-DD HH:mm:ss" (Beijing time)'),
);

export function parseTimestamp(s: string): Date | null {
  const local = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (local) {
    const [y, mo, d, h, mi, se] = local.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d, h - 8, mi, se));
    // Reject 2026-02-30 and 25:00: the fields must survive a round trip through Beijing time.
    const back = new Date(date.getTime() + 8 * 3600_000);
    const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === se;
    return same ? date : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const contactPreferencesSchema = z.object({
  safeToCall: z.optional(z.boolean()),
  safeToSms: z.optional(z.boolean()),
  preferredTime: z.optional(z.string().check(z.trim(), z.maxLength(100))),
  /** "Do not contact me": suppresses every message to her, whatever else is set. */
  doNotContact: z.optional(z.boolean()),
});

const consentSchema = z.object({ shareWithDepartments: z.boolean() });

/**
 * The hotline operator's own assessment: it can only raise the urgency. Any risk, or urgency
 * 'emergency', makes the case an emergency with the needs the risks imply (data/emergency-signals.json).
 */
export const operatorAssessmentSchema = z.object({
  urgency: z.optional(z.enum(URGENCIES)),
  risks: z.optional(z.array(z.enum(RISKS)).check(z.maxLength(RISKS.length))),
});

export const hotline12338Schema = z.object({
  callId: externalId,
  receivedAt: timestamp,
  operatorId: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  summary: narrative,
  /** An operator's explicit category, when the call system has one: a prior for the classifier. */
  category: z.optional(z.string().check(z.trim(), z.maxLength(50))),
  caller: z.optional(
    z.object({
      name: z.optional(personName),
      phone: z.optional(phone),
      age: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(120))),
      /** Her resident ID number, when she gives it: used only to link her earlier cases (its keyed hash), never stored. */
      idNumber: z.optional(idNumberText),
    }),
  ),
  location: z.optional(z.object({ divisionCode: z.optional(divisionCode), township: z.optional(place), village: z.optional(place) })),
  contact: z.optional(contactPreferencesSchema),
  consent: consentSchema,
  operatorAssessment: z.optional(operatorAssessmentSchema),
  /** A post-deployment smoke test (npm run smoke): routed and published like any intake, but nobody is texted. */
  test: z.optional(z.literal(true)),
});

export const hotline12348Schema = z.object({
  ticketNo: externalId,
  createdTime: timestamp,
  content: narrative,
  consultType: z.optional(z.string().check(z.trim(), z.maxLength(50))),
  areaCode: z.optional(divisionCode),
  applicant: z.optional(z.object({ name: z.optional(personName), mobile: z.optional(phone), idNumber: z.optional(idNumberText) })),
  agreeTransfer: z.boolean(),
  operatorAssessment: z.optional(operatorAssessmentSchema),
});

export const webIntakeSchema = z.object({
  clientRequestId: z.string().check(z.trim(), z.minLength(8), z.maxLength(100), z.regex(/^[\w-]+$/, 'letters, digits, "_" and "-" only')),
  description: narrative,
  divisionCode: z.optional(divisionCode),
  township: z.optional(place),
  village: z.optional(place),
  name: z.optional(personName),
  phone: z.optional(phone),
  contact: z.optional(contactPreferencesSchema),
  consent: consentSchema,
  /** 您现在安全吗？ "no" makes the case an emergency; "unsure" asks a coordinator to check at once. */
  safeNow: z.optional(z.enum(SAFE_NOW)),
});

export type Hotline12338Body = z.infer<typeof hotline12338Schema>;
export type Hotline12348Body = z.infer<typeof hotline12348Schema>;
export type WebIntakeBody = z.infer<typeof webIntakeSchema>;
export type ContactPreferences = z.infer<typeof contactPreferencesSchema>;

/** The one shape every channel is normalised into. Personal fields live only in `person` and `location`. */
export interface CanonicalIntake {
  channel: Channel;
  externalId: string;
  receivedAt: string;
  operatorId?: string;
  /** The operator's role: a hotline operator unless said (a visit's is the ledger officer). */
  operatorRole?: 'operator' | 'ledger_officer';
  text: string;
  categoryHint?: string;
  person: { name?: string; phone?: string; age?: number };
  location: { divisionCode?: string; township?: string; village?: string };
  contact: ContactPreferences;
  consent: { shareWithDepartments: boolean };
  /** The operator's assessment (hotlines) or her answer to "are you safe now?" (web). */
  signals: HumanSignals;
  /** A smoke test of a deployment: no SMS to anyone. */
  test?: true;
  /** Her ID number as given: only its keyed hash is used, to link her earlier cases; never stored with the case. */
  identity?: { idNumber: string };
}

const iso = (s: string) => parseTimestamp(s)!.toISOString();

/** Her details as the case keeps them: the ID number is not one of them. */
function withoutIdNumber(caller: Hotline12338Body['caller']): CanonicalIntake['person'] {
  const { idNumber: _idNumber, ...person } = caller ?? {};
  return person;
}

export function from12338(b: Hotline12338Body): CanonicalIntake {
  return {
    channel: '12338',
    externalId: b.callId,
    receivedAt: iso(b.receivedAt),
    operatorId: b.operatorId,
    text: b.summary,
    categoryHint: b.category,
    person: withoutIdNumber(b.caller),
    ...(b.caller?.idNumber ? { identity: { idNumber: b.caller.idNumber } } : {}),
    location: { ...b.location },
    contact: { ...b.contact },
    consent: { shareWithDepartments: b.consent.shareWithDepartments },
    signals: b.operatorAssessment ? { operatorAssessment: b.operatorAssessment } : {},
    ...(b.test ? { test: true as const } : {}),
  };
}

export function from12348(b: Hotline12348Body): CanonicalIntake {
  return {
    channel: '12348',
    externalId: b.ticketNo,
    receivedAt: iso(b.createdTime),
    text: b.content,
    categoryHint: b.consultType,
    person: { name: b.applicant?.name, phone: b.applicant?.mobile },
    ...(b.applicant?.idNumber ? { identity: { idNumber: b.applicant.idNumber } } : {}),
    location: { divisionCode: b.areaCode },
    // 12348 sends no contact preferences: with a phone we may call back, but never SMS unasked.
    contact: {},
    consent: { shareWithDepartments: b.agreeTransfer },
    signals: b.operatorAssessment ? { operatorAssessment: b.operatorAssessment } : {},
  };
}

export function fromWeb(b: WebIntakeBody, receivedAt: Date): CanonicalIntake {
  return {
    channel: 'web',
    externalId: b.clientRequestId,
    receivedAt: receivedAt.toISOString(),
    text: b.description,
    person: { name: b.name, phone: b.phone },
    location: { divisionCode: b.divisionCode, township: b.township, village: b.village },
    contact: { ...b.contact },
    consent: { shareWithDepartments: b.consent.shareWithDepartments },
    signals: b.safeNow ? { safeNow: b.safeNow } : {},
  };
}
