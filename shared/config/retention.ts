// Retention of cases that are over (closed, or recorded without referral): read once from the
// environment by every function that schedules a purge.
import { DEFAULT_CLOSED_CASE_RETENTION_DAYS, isValidRetentionDays, MAX_CLOSED_CASE_RETENTION_DAYS } from '../domain/lifecycle/retention.js';

/**
 * CLOSED_CASE_RETENTION_DAYS: calendar days a case is kept, once it is over, before its personal data
 * is purged (the stack passes cdk.json's `closedCaseRetentionDays`). Unset or empty: 1096 (three years).
 * Anything but an integer from 1 to 36500 stops the function at its cold start: a wrong retention
 * must not silently keep or delete data.
 */
export function closedCaseRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLOSED_CASE_RETENTION_DAYS?.trim();
  if (!raw) return DEFAULT_CLOSED_CASE_RETENTION_DAYS;
  const days = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!isValidRetentionDays(days)) {
    throw new Error(`configuration: CLOSED_CASE_RETENTION_DAYS must be an integer from 1 to ${MAX_CLOSED_CASE_RETENTION_DAYS} (days)`);
  }
  return days;
}
