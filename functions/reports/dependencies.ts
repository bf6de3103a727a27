// Composition root of the reports function: built once per process (cold start).
import { documentClient } from '../../shared/adapters/dynamo/client.js';
import { DynamoStatisticsRepository } from '../../shared/adapters/dynamo/statistics-repository.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { requireEnv } from '../../shared/config/intake.js';
import type { DivisionIndex } from '../../shared/domain/divisions/divisions.js';
import type { OverviewDependencies } from '../../shared/usecases/reports-overview.js';
import type { ReportDependencies } from '../../shared/usecases/statistics/monthly-report.js';

export type ReportsDependencies = OverviewDependencies & ReportDependencies & { divisions: DivisionIndex };

let deps: ReportsDependencies | undefined;
export function reportsDependencies(): ReportsDependencies {
  if (!deps) {
    const statistics = new DynamoStatisticsRepository(documentClient(), requireEnv('TABLE_NAME'));
    const divisions = loadDivisions();
    deps = { statistics, overdue: statistics, divisions, divisionCodes: divisions.all.map((d) => d.code), now: () => new Date() };
  }
  return deps;
}
