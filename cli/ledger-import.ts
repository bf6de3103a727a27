// npm run ledger:import -- <file.xlsx|file.csv> --officer <id> --division <code>
// Imports a township's existing spreadsheet (台账) into the county ledger, as the ledger officer named
// (her id as the identity provider knows her; the records say she registered them) of the division
// given: every row is checked, each good row registered on its own, and a report lists the rows
// imported, the women already in the ledger and every rejected row with the columns at fault (never
// what was in them). Running it again on the same sheet adds nobody twice. The column headings are
// in docs/ledger.md.
//   In AWS:    TABLE_NAME=<the stack's TableName> PERSON_KEY_SECRET_ARN=<the person-key secret> npm run ledger:import -- …
//   Locally:   DYNAMODB_ENDPOINT=<the endpoint npm start prints> npm run ledger:import -- …   (the development person key)
import { parseArgs } from 'node:util';
import { DynamoLedgerRepository } from '../shared/adapters/dynamo/ledger-repository.js';
import { createDocumentClient } from '../shared/adapters/dynamo/client.js';
import { ulidIds } from '../shared/adapters/ids.js';
import { readSheet, SheetFormatError } from '../shared/adapters/ledger-sheet.js';
import { loadDivisions } from '../shared/config/data-files.js';
import { personKeysFromEnv } from '../shared/config/person-keys.js';
import { loadVisitCycles } from '../shared/config/ledger.js';
import { closedCaseRetentionDays } from '../shared/config/retention.js';
import { importLedgerSheet } from '../shared/usecases/ledger-import.js';
import { DEV_PERSON_KEY } from '../local/dev-config.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const usage = 'usage: npm run ledger:import -- <file.xlsx|file.csv> --officer <id> --division <six-digit code>';
const { values, positionals } = parseArgs({ options: { officer: { type: 'string' }, division: { type: 'string' } }, allowPositionals: true });
const [file] = positionals;
if (!file || !values.officer || !/^\d{6}$/.test(values.division ?? '')) {
  console.error(usage);
  process.exit(2);
}
const endpoint = process.env.DYNAMODB_ENDPOINT?.trim() || undefined;
const tableName = process.env.TABLE_NAME?.trim() || (endpoint ? 'referrals-local' : '');
if (!tableName) {
  console.error('ledger:import: set TABLE_NAME to the table (the stack output TableName), or DYNAMODB_ENDPOINT for npm start’s local table');
  process.exit(2);
}
if (endpoint) process.env.PERSON_KEY ??= DEV_PERSON_KEY;

let rows: string[][];
try {
  rows = await readSheet(file);
} catch (err) {
  console.error(`ledger:import: ${err instanceof SheetFormatError ? err.message : `cannot read ${file}`}`);
  process.exit(1);
}
const db = createDocumentClient(endpoint ? { endpoint } : {});
try {
  const report = await importLedgerSheet(
    rows,
    values.officer,
    { role: 'ledger_officer', department: 'civil_affairs', divisionCode: values.division! },
    {
      store: new DynamoLedgerRepository(db, tableName),
      keys: await personKeysFromEnv(),
      divisions: loadDivisions(),
      ids: { personId: ulidIds.caseId, eventId: ulidIds.eventId },
      now: () => new Date(),
      retentionDays: closedCaseRetentionDays(),
      visitCycles: loadVisitCycles(),
    },
  );
  console.log(
    `imported ${report.imported.length}, already in the ledger ${report.alreadyInLedger.length}, rejected ${report.rejected.length} (of ${report.imported.length + report.alreadyInLedger.length + report.rejected.length} rows)`,
  );
  if (report.alreadyInLedger.length > 0) console.log(`already in the ledger: rows ${report.alreadyInLedger.join(', ')}`);
  for (const r of report.rejected) console.log(`row ${r.row}: ${r.problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ')}`);
  process.exitCode = report.rejected.length > 0 ? 1 : 0;
} catch (err) {
  // A missing heading (the whole sheet refused) or a configuration problem: say it, never a cell.
  console.error(`ledger:import: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  db.destroy();
}
