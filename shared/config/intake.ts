// Composition root of the intake functions: everything is built once per process (cold start)
// and reused by every invocation.
import type { OperatorActionCatalogue } from '../domain/case/case.js';
import { DynamoCaseRepository, ReferenceCollisionError } from '../adapters/dynamo/case-repository.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { ulidIds } from '../adapters/ids.js';
import type { IntakeDependencies } from '../usecases/submit-intake.js';
import { parseContactLinkRules, type ContactLinkRules } from '../domain/case/contact-links.js';
import { checkIdNumber } from '../domain/ledger/id-number.js';
import { contactKeyOf } from '../adapters/dynamo/keys.js';
import type { ContactDirectory } from '../usecases/submit-intake.js';
import { loadClassifier } from './classifier.js';
import { loadDivisions, parsedJsonDataFile, readJsonDataFile } from './data-files.js';
import { loadDeadlinePolicy } from './deadlines.js';
import { hasPersonKey, processPersonKeys } from './person-keys.js';
import { closedCaseRetentionDays, openCaseRetention } from './retention.js';
import { loadRoutingTable } from './routing.js';
import { loadDangerScreen, loadEmergencySignals } from './triage.js';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`configuration: environment variable ${name} is not set`);
  return value;
}

let repository: DynamoCaseRepository | undefined;
export function caseRepository(): DynamoCaseRepository {
  repository ??= new DynamoCaseRepository(documentClient(), requireEnv('TABLE_NAME'));
  return repository;
}

/** How long an intake waits for the person key before it goes on unlinked (Secrets Manager is a dependency it must not hang on). */
export const PERSON_KEY_WAIT_MS = 2000;

/** Her earlier contacts by the keyed hash of her number: the person key (read once) and one Query. */
export function contactDirectory(repository: DynamoCaseRepository, keys = processPersonKeys, waitMs = PERSON_KEY_WAIT_MS): ContactDirectory {
  return {
    async keysOf(numbers) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the person key was not read in time')), waitMs)));
      try {
        const hmac = await Promise.race([keys(), late]);
        const phone = numbers.phone ? hmac.phone(numbers.phone) : null;
        // A wrong ID number links nothing (it is not refused: a typo must not cost her the intake).
        const id = numbers.idNumber ? checkIdNumber(numbers.idNumber, new Date()) : undefined;
        return [...(phone ? [contactKeyOf('phone', phone)] : []), ...(id?.ok ? [contactKeyOf('id', hmac.idNumber(id.idNumber))] : [])];
      } finally {
        clearTimeout(timer);
      }
    },
    find: (key, limit) => repository.findContacts(key, limit),
  };
}

let contactLinkRules: ContactLinkRules | undefined;
export const loadContactLinkRules = (): ContactLinkRules => (contactLinkRules ??= parsedJsonDataFile('contact-links.json', parseContactLinkRules));

let deps: IntakeDependencies | undefined;
export function intakeDependencies(): IntakeDependencies {
  deps ??= {
    classifier: loadClassifier(),
    screen: loadDangerScreen(),
    signals: loadEmergencySignals(),
    routing: loadRoutingTable(),
    divisions: loadDivisions(),
    operatorActions: readJsonDataFile<OperatorActionCatalogue>('operator-actions.json'),
    deadlines: loadDeadlinePolicy(),
    ids: ulidIds,
    now: () => new Date(),
    store: caseRepository(),
    retentionDays: closedCaseRetentionDays(),
    openCaseRetention: openCaseRetention(),
    isReferenceCollision: (err) => err instanceof ReferenceCollisionError,
    ...(hasPersonKey() ? { contacts: contactDirectory(caseRepository()), contactLinks: loadContactLinkRules() } : {}),
  };
  return deps;
}
