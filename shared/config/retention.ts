// Retention of cases that are over (closed, or recorded without referral): read once from the
// environment by every function that schedules a purge.
import * as z from 'zod/mini';
import '../domain/validation/messages.js';
import { DEFAULT_CLOSED_CASE_RETENTION_DAYS, isValidRetentionDays, MAX_CLOSED_CASE_RETENTION_DAYS, type OpenCaseRetention } from '../domain/lifecycle/retention.js';
import { readJsonDataFile } from './data-files.js';

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

const retentionFileSchema = z.strictObject({
  $comment: z.optional(z.string()),
  openCase: z
    .strictObject({
      maxDaysSinceLastActivity: z.number().check(z.int(), z.minimum(30), z.maximum(3653)),
      warnDaysBefore: z.number().check(z.int(), z.minimum(1), z.maximum(365)),
    })
    .check(z.refine((r) => r.warnDaysBefore < r.maxDaysSinceLastActivity, { message: 'warnDaysBefore must be less than maxDaysSinceLastActivity', path: ['warnDaysBefore'] })),
});

/** data/retention.json, validated (a wrong file stops the function at its cold start, naming the field). */
export function parseRetentionFile(raw: unknown): { openCase: OpenCaseRetention } {
  const parsed = retentionFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`data/retention.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

let cached: OpenCaseRetention | undefined;
export const openCaseRetention = (): OpenCaseRetention => (cached ??= parseRetentionFile(readJsonDataFile('retention.json')).openCase);
