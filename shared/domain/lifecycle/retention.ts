// Retention of closed cases (PIPL art. 19 and 47: personal information is deleted once the
// retention period ends). A case that closes is scheduled for purging `retentionDays` calendar days
// after it closed; a reopened case is no longer scheduled. The purge strips the personal fields
// from the case at once (this module says which) and hands every item of the case to DynamoDB's
// TTL. Pure: no I/O.
import type { Classification } from '../classification/types.js';
import type { CanonicalIntake } from '../intake/schemas.js';

/** Three years including a leap day: the default of cdk.json's `closedCaseRetentionDays`. */
export const DEFAULT_CLOSED_CASE_RETENTION_DAYS = 1096;
/** An upper bound that keeps the arithmetic far from overflow (100 years). */
export const MAX_CLOSED_CASE_RETENTION_DAYS = 36_500;

const DAY_MS = 86_400_000;

/** Whether n is an acceptable retention: an integer from 1 to MAX_CLOSED_CASE_RETENTION_DAYS. */
export const isValidRetentionDays = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_CLOSED_CASE_RETENTION_DAYS;

/**
 * The instant a case closed at `closedAt` is purged: `retentionDays` calendar days later, at the
 * same time of day (China has no daylight saving time, so a calendar day is always 24 hours).
 */
export function purgeAtOf(closedAt: string, retentionDays: number): string {
  if (!isValidRetentionDays(retentionDays)) throw new RangeError(`retention days must be an integer from 1 to ${MAX_CLOSED_CASE_RETENTION_DAYS}`);
  const at = Date.parse(closedAt);
  if (Number.isNaN(at)) throw new RangeError('closedAt must be an ISO-8601 instant');
  return new Date(at + retentionDays * DAY_MS).toISOString();
}

/** DynamoDB TTL attribute value (epoch seconds) for an instant: due now, so TTL deletes it. */
export const ttlEpochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** The case fields the purge changes, read from the stored case. */
export interface PurgeableCase {
  location: CanonicalIntake['location'];
  classification: Classification;
}

export interface CaseRedaction {
  /** Top-level attributes replaced by their redacted value. */
  set: {
    location: { divisionCode?: string };
    contact: { doNotContact: true };
    classification: Pick<Classification, 'needs' | 'urgency' | 'divisionCode'>;
  };
  /** Top-level attributes removed. */
  remove: readonly (typeof REMOVED_CASE_FIELDS)[number][];
}

/** Attributes a purge removes from the case item whatever they hold. `links` and `contactKeys` tie the case to her ledger entry and her number's keyed hash: personal data too. */
export const REMOVED_CASE_FIELDS = ['person', 'text', 'categoryHint', 'links', 'contactKeys'] as const;

/**
 * What is left of a case once its retention has ended: the facts the statistics need (channel,
 * dates, needs, urgency, division, status, consent, referral count, the operator-action codes) and
 * nothing that identifies her or tells her story:
 * - person (name, phone, age), the narrative text and the channel's category hint are removed;
 * - the location keeps its division code only (no township, no village);
 * - the contact preferences become "do not contact" (no free-text preferred time; no phone is left);
 * - the classification keeps needs, urgency and division, not the explanation, whose matched terms
 *   and "text: <place>" quote her words.
 */
export function redactClosedCase(c: PurgeableCase): CaseRedaction {
  const divisionCode = c.location?.divisionCode;
  return {
    set: {
      location: typeof divisionCode === 'string' ? { divisionCode } : {},
      contact: { doNotContact: true },
      classification: { needs: [...c.classification.needs], urgency: c.classification.urgency, divisionCode: c.classification.divisionCode ?? null },
    },
    remove: REMOVED_CASE_FIELDS,
  };
}

// ---- Open cases (PIPL art. 19, 47: no personal data beyond the purpose's need) ---------------
//
// A case that never closes (an abandoned referral, every case of a flood) must not keep her name,
// phone and story forever. An open case is looked at by the scheduled run when
// `lastActivity + maxDaysSinceLastActivity - warnDaysBefore` comes (its `RETAIN` entry in the due
// index): with later activity it is simply scheduled again from that activity; otherwise the
// supervisors of its open referrals are warned (an SMS, and an event), and at the purge instant —
// never sooner than `warnDaysBefore` after the warning — her personal data leaves the case, which
// keeps its codes, referrals and events (their free text removed) and stays open for the work.

export interface OpenCaseRetention {
  /** Calendar days without any activity after which her personal data is purged from an open case. */
  maxDaysSinceLastActivity: number;
  /** Days before that purge that the supervisors are warned. */
  warnDaysBefore: number;
}

/** The instant an open case is next looked at, from its last activity. */
export const retentionCheckAtOf = (lastActivity: string, rule: OpenCaseRetention): string =>
  new Date(Date.parse(lastActivity) + (rule.maxDaysSinceLastActivity - rule.warnDaysBefore) * DAY_MS).toISOString();

/** Events that are not activity: reads and refusals (the audit), and the retention's own warning. */
const NOT_ACTIVITY = new Set(['case_viewed', 'access_denied', 'retention_warning', 'personal_data_purged']);

/**
 * An open case's last activity: the latest thing a person did to it (the intake, a note, a
 * signing-for, a decision, a reclassification...). What the system does by itself (escalation
 * reminders, auto-closing, notifications) and what only reads it are not activity: an abandoned
 * referral that escalates to the province is still abandoned.
 */
export function lastActivityOf(createdAt: string, events: readonly { at: string; type: string; actor: { role: string } }[]): string {
  let latest = Date.parse(createdAt);
  for (const e of events) {
    if (e.actor.role === 'system' || NOT_ACTIVITY.has(e.type)) continue;
    const t = Date.parse(e.at);
    if (!Number.isNaN(t) && t > latest) latest = t;
  }
  return new Date(latest).toISOString();
}

export type RetentionStep =
  /** Not yet: look again at this instant. */
  | { kind: 'reschedule'; at: string }
  /** Warn the supervisors now; purge at `purgeAt` unless something happens meanwhile. */
  | { kind: 'warn'; purgeAt: string }
  /** Purge her personal data now. */
  | { kind: 'purge' };

/**
 * The next step for an open case at `now`, given its last activity and a warning already given
 * (its instant and the purge it announced). Activity after a warning cancels it: the case is
 * scheduled from that activity, and a later warning is a new one.
 */
export function openCaseRetentionStep(lastActivity: string, warning: { warnedAt: string; purgeAt: string } | undefined, now: Date, rule: OpenCaseRetention): RetentionStep {
  const last = Date.parse(lastActivity);
  const warnAt = last + (rule.maxDaysSinceLastActivity - rule.warnDaysBefore) * DAY_MS;
  const stillWarned = warning && Date.parse(warning.warnedAt) >= last;
  if (!stillWarned) {
    if (now.getTime() < warnAt) return { kind: 'reschedule', at: new Date(warnAt).toISOString() };
    // A warning always gives its full notice, even when the run comes late (or a rule was shortened).
    const purgeAt = Math.max(last + rule.maxDaysSinceLastActivity * DAY_MS, now.getTime() + rule.warnDaysBefore * DAY_MS);
    return { kind: 'warn', purgeAt: new Date(purgeAt).toISOString() };
  }
  if (now.getTime() < Date.parse(warning.purgeAt)) return { kind: 'reschedule', at: warning.purgeAt };
  return { kind: 'purge' };
}

/**
 * Event details without free text: what a person wrote (a note, a summary, a reason in her own
 * words) goes with her personal data; codes, numbers, ids and instants stay.
 */
export function codesOnly(details: Record<string, unknown>): Record<string, unknown> {
  const keep = (v: unknown): unknown => {
    if (typeof v === 'string') return /^[A-Za-z0-9_:.+#-]{0,64}$/.test(v) ? v : undefined;
    if (Array.isArray(v)) return v.map(keep).filter((x) => x !== undefined);
    if (v && typeof v === 'object') return codesOnly(v as Record<string, unknown>);
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    const kept = keep(v);
    if (kept !== undefined) out[k] = kept;
  }
  return out;
}
