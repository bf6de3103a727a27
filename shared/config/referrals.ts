// Composition root of the referrals API and the escalation run: built once per process (cold
// start) and reused by every invocation.
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoReferralRepository } from '../adapters/dynamo/referral-repository.js';
import { ulidIds } from '../adapters/ids.js';
import { DEFAULT_CLOSED_CASE_RETENTION_DAYS, isValidRetentionDays, MAX_CLOSED_CASE_RETENTION_DAYS } from '../domain/lifecycle/retention.js';
import type { ReferralDependencies } from '../usecases/referrals/ports.js';
import { loadDivisions } from './data-files.js';
import { loadDeadlinePolicy } from './deadlines.js';

function tableName(): string {
  const value = process.env.TABLE_NAME;
  if (!value) throw new Error('configuration: environment variable TABLE_NAME is not set');
  return value;
}

/**
 * CLOSED_CASE_RETENTION_DAYS: calendar days a closed case is kept before its personal data is purged
 * (the stack passes cdk.json's `closedCaseRetentionDays`). Unset or empty: 1096 (three years).
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

let repository: DynamoReferralRepository | undefined;
export function referralRepository(): DynamoReferralRepository {
  repository ??= new DynamoReferralRepository(documentClient(), tableName());
  return repository;
}

let deps: ReferralDependencies | undefined;
/** The real dependencies: DynamoDB, the deadline policy from data/, divisions, ULIDs, the system clock, the retention of closed cases. */
export function referralDependencies(): ReferralDependencies {
  deps ??= {
    store: referralRepository(),
    clock: loadDeadlinePolicy(),
    divisions: loadDivisions(),
    ids: ulidIds,
    now: () => new Date(),
    closedCaseRetentionDays: closedCaseRetentionDays(),
  };
  return deps;
}
