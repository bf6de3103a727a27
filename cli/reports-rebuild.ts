// npm run reports:rebuild
// Recomputes every statistics counter from the audit events: after the first deployment of the
// statistics, after a counting bug is fixed, or to check the stream-fed figures. It scans the table
// once for events that carry a tally, counts them with the same rules as the stream consumer, and
// replaces the counters of each month it found events for, and the open-work counters. Months whose
// cases have all been purged keep their counters. It also gives open referrals written before the
// overdue list's `deadline` index existed their key in it. Run it when the table is quiet (a change made
// during the run may be missed; running it again mends that).
//   In AWS:    TABLE_NAME=<the stack's TableName output> npm run reports:rebuild   (an administrator's credentials)
//   Locally:   DYNAMODB_ENDPOINT=<the endpoint npm start prints> npm run reports:rebuild
import { createDocumentClient } from '../shared/adapters/dynamo/client.js';
import { DynamoStatisticsRebuild } from '../shared/adapters/dynamo/statistics-rebuild-repository.js';
import { rebuildStatistics } from '../shared/usecases/statistics/rebuild.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const endpoint = process.env.DYNAMODB_ENDPOINT?.trim() || undefined;
const tableName = process.env.TABLE_NAME?.trim() || (endpoint ? 'referrals-local' : '');
if (!tableName) {
  process.stderr.write("reports:rebuild: set TABLE_NAME to the table (the stack output TableName), or DYNAMODB_ENDPOINT for npm start's local table\n");
  process.exit(2);
}
const db = createDocumentClient(endpoint ? { endpoint } : {});
const started = Date.now();
const store = new DynamoStatisticsRebuild(db, tableName);
// After the upgrade that added the deadline index: open referrals written before it get their key.
const keyed = await store.backfillDeadlineKeys();
if (keyed > 0) process.stdout.write(`gave ${keyed} open referral(s) written before the deadline index their key\n`);
const report = await rebuildStatistics(store);
process.stdout.write(
  `counted ${report.events} event(s) into ${report.monthlyRows} monthly row(s) over ${report.months.length} month(s) (${report.months.join(', ') || 'none'}) and ${report.openRows} open-work row(s) in ${Date.now() - started} ms\n`,
);
if (report.keptMonths.length > 0) process.stdout.write(`kept as they were (no events left): ${report.keptMonths.join(', ')}\n`);
db.destroy();
