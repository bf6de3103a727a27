// Composition root of the ledger function. The person keys (shared/config/person-keys.ts) are read
// once per process.
import { DynamoLedgerRepository } from '../adapters/dynamo/ledger-repository.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { ulidIds } from '../adapters/ids.js';
import type { LedgerDependencies } from '../usecases/ledger.js';
import { loadDivisions } from './data-files.js';
import { requireEnv } from './intake.js';
import { personKeysFromEnv } from './person-keys.js';
import { closedCaseRetentionDays } from './retention.js';

let deps: Promise<LedgerDependencies> | undefined;
export function ledgerDependencies(): Promise<LedgerDependencies> {
  deps ??= personKeysFromEnv().then((keys) => ({
    store: new DynamoLedgerRepository(documentClient(), requireEnv('TABLE_NAME')),
    keys,
    divisions: loadDivisions(),
    ids: { personId: ulidIds.caseId, eventId: ulidIds.eventId },
    now: () => new Date(),
    retentionDays: closedCaseRetentionDays(),
  }));
  // A failed secret read is not kept: the next invocation tries again.
  deps.catch(() => (deps = undefined));
  return deps;
}
