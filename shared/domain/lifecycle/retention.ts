// Retention of closed cases (PIPL art. 19 and 47: personal information is deleted once the
// retention period ends). A case that closes is scheduled for purging `retentionDays` calendar days
// after it closed; a reopened case is no longer scheduled. The purge strips the personal fields
// from the case at once (this module says which) and hands every item of the case to DynamoDB's
// TTL. Pure: no I/O.
import type { CaseRecord } from '../case/case.js';

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
export type PurgeableCase = Pick<CaseRecord, 'location' | 'classification'>;

export interface CaseRedaction {
  /** Top-level attributes replaced by their redacted value. */
  set: {
    location: { divisionCode?: string };
    contact: { doNotContact: true };
    classification: Pick<CaseRecord['classification'], 'needs' | 'urgency' | 'divisionCode'>;
  };
  /** Top-level attributes removed. */
  remove: readonly ('person' | 'text' | 'categoryHint')[];
}

/** Attributes a purge removes from the case item whatever they hold. */
export const REMOVED_CASE_FIELDS = ['person', 'text', 'categoryHint'] as const;

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
