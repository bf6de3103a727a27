// Composition root of the intake functions: everything is built once per process (cold start)
// and reused by every invocation.
import type { OperatorActionCatalogue } from '../domain/case/case.js';
import { DynamoCaseRepository, ReferenceCollisionError } from '../adapters/dynamo/case-repository.js';
import { documentClient } from '../adapters/dynamo/client.js';
import { ulidIds } from '../adapters/ids.js';
import type { IntakeDependencies } from '../usecases/submit-intake.js';
import { loadClassifier } from './classifier.js';
import { loadDivisions, readJsonDataFile } from './data-files.js';
import { loadDeadlinePolicy } from './deadlines.js';
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
  };
  return deps;
}
