// Composition root of the ledger function. The person keys (shared/config/person-keys.ts) are read
// once per process.
import { DynamoLedgerRepository } from '../adapters/dynamo/ledger-repository.js';
import { contactKeyOf } from '../adapters/dynamo/keys.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { ulidIds } from '../adapters/ids.js';
import { parseVisitCycles, type VisitCycles } from '../domain/ledger/visits.js';
import type { LedgerDependencies } from '../usecases/ledger.js';
import type { HerCasesPort, VisitDependencies } from '../usecases/ledger-visits.js';
import { submitIntake, wouldRefer } from '../usecases/submit-intake.js';
import { fingerprintOf, onContactLookupFailed } from '../http/intake-endpoint.js';
import { loadDivisions, readJsonDataFile } from './data-files.js';
import { caseRepository, intakeDependencies, requireEnv } from './intake.js';
import { processPersonKeys } from './person-keys.js';
import { closedCaseRetentionDays } from './retention.js';

let cycles: VisitCycles | undefined;
export function loadVisitCycles(): VisitCycles {
  cycles ??= parseVisitCycles(readJsonDataFile('visit-cycles.json'));
  return cycles;
}

let deps: Promise<LedgerDependencies> | undefined;
export function ledgerDependencies(): Promise<LedgerDependencies> {
  deps ??= processPersonKeys().then((keys) => ({
    store: new DynamoLedgerRepository(documentClient(), requireEnv('TABLE_NAME')),
    keys,
    divisions: loadDivisions(),
    ids: { personId: ulidIds.caseId, eventId: ulidIds.eventId },
    now: () => new Date(),
    retentionDays: closedCaseRetentionDays(),
    visitCycles: loadVisitCycles(),
  }));
  // A failed secret read is not kept: the next invocation tries again.
  const current = deps;
  current.catch(() => (deps = undefined));
  return current;
}

/** The ledger's dependencies and the intake path a visit refers through (the classifier is loaded on the first visit, not at cold start). */
export async function visitDependencies(): Promise<VisitDependencies> {
  return {
    ...(await ledgerDependencies()),
    referrals: {
      wouldRefer: (intake) => wouldRefer(intake, intakeDependencies()),
      // The fingerprint is the visit's content: the same visit again is a duplicate, another note at the same time a conflict.
      submit: (intake) =>
        submitIntake(intake, fingerprintOf({ text: intake.text, signals: intake.signals, consent: intake.consent, receivedAt: intake.receivedAt }), { ...intakeDependencies(), onContactLookupFailed }),
    },
  };
}

/** Her cases by her number's keyed hash: the link items (reference, channel, date) and nothing more. */
export const herCases = (): HerCasesPort => ({
  casesUnder: async (phoneKey, limit) =>
    (await caseRepository().findContacts(contactKeyOf('phone', phoneKey), limit)).prior.map(({ caseId, reference, channel, createdAt }) => ({ caseId, reference, channel, createdAt })),
});
