// Composition root of the ledger function. The person-key secret (what phone and ID numbers are
// hashed under) comes from Secrets Manager in AWS (PERSON_KEY_SECRET_ARN; the value never sits in an
// environment variable), from PERSON_KEY locally (the local runtime sets a development key). Read
// once per process.
import { DynamoLedgerRepository } from '../adapters/dynamo/ledger-repository.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { secretsManagerReader, type SecretReader } from '../adapters/hotline-keys.js';
import { ulidIds } from '../adapters/ids.js';
import { hmacPersonKeys } from '../adapters/person-keys.js';
import type { PersonKeys } from '../domain/ledger/person-keys.js';
import type { LedgerDependencies } from '../usecases/ledger.js';
import { loadDivisions } from './data-files.js';
import { requireEnv } from './intake.js';
import { closedCaseRetentionDays } from './retention.js';

/** The person keys of this deployment: the secret's UTF-8 bytes as the HMAC key. */
export async function personKeysFromEnv(env: NodeJS.ProcessEnv = process.env, read: SecretReader = secretsManagerReader()): Promise<PersonKeys> {
  const arn = env.PERSON_KEY_SECRET_ARN?.trim();
  const secret = arn ? await read(arn) : env.PERSON_KEY;
  if (!secret) throw new Error(arn ? 'configuration: the person-key secret is empty' : 'configuration: PERSON_KEY_SECRET_ARN (or PERSON_KEY locally) is not set');
  return hmacPersonKeys(new TextEncoder().encode(secret));
}

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
