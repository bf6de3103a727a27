// Composition root of the referrals API and the escalation run: built once per process (cold
// start) and reused by every invocation.
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoReferralRepository } from '../adapters/dynamo/referral-repository.js';
import { ulidIds } from '../adapters/ids.js';
import type { ReferralDependencies } from '../usecases/referrals/ports.js';
import { loadDivisions } from './data-files.js';
import { loadDeadlinePolicy } from './deadlines.js';
import { loadRoutingTable } from './routing.js';
import { closedCaseRetentionDays, openCaseRetention } from './retention.js';

export { closedCaseRetentionDays } from './retention.js';

function tableName(): string {
  const value = process.env.TABLE_NAME;
  if (!value) throw new Error('configuration: environment variable TABLE_NAME is not set');
  return value;
}

let repository: DynamoReferralRepository | undefined;
export function referralRepository(): DynamoReferralRepository {
  repository ??= new DynamoReferralRepository(documentClient(), tableName());
  return repository;
}

let deps: ReferralDependencies | undefined;
/** The real dependencies: DynamoDB, the deadline policy from data/, divisions, ULIDs, the system clock, the retention of closed and of open cases. */
export function referralDependencies(): ReferralDependencies {
  deps ??= {
    store: referralRepository(),
    clock: loadDeadlinePolicy(),
    divisions: loadDivisions(),
    ids: ulidIds,
    now: () => new Date(),
    closedCaseRetentionDays: closedCaseRetentionDays(),
    openCaseRetention: openCaseRetention(),
    routing: loadRoutingTable(),
  };
  return deps;
}
