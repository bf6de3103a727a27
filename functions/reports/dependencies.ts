// Composition root of the reports function: built once per process (cold start).
import { documentClient } from '../../shared/adapters/dynamo/client.js';
import { DynamoQueueReader } from '../../shared/adapters/dynamo/report-repository.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { requireEnv } from '../../shared/config/intake.js';
import type { OverviewDependencies } from '../../shared/usecases/reports-overview.js';

let deps: OverviewDependencies | undefined;
export function overviewDependencies(): OverviewDependencies {
  deps ??= {
    queues: new DynamoQueueReader(documentClient(), requireEnv('TABLE_NAME')),
    divisionCodes: loadDivisions().all.map((d) => d.code),
    now: () => new Date(),
  };
  return deps;
}
