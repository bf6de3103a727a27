// A township's spreadsheet into the county ledger: every row checked first (shared/domain/ledger/
// import-rows.ts), then each good row registered on its own, as an officer would one by one (each
// all or nothing, so a failure leaves no half-written woman, and a second run of the same sheet adds
// nobody twice). The report names rows and columns, never what was in them.
import type { Actor } from '../domain/access/policy.js';
import { checkImportRows, headingOfPath, type RowProblem } from '../domain/ledger/import-rows.js';
import { registerWoman, type LedgerDependencies } from './ledger.js';

export interface ImportReport {
  imported: { row: number; personId: string }[];
  /** Rows of women already in the ledger (an earlier import, or registered by hand). */
  alreadyInLedger: number[];
  rejected: { row: number; problems: RowProblem[] }[];
}

export async function importLedgerSheet(rows: readonly (readonly string[])[], subject: string, actor: Actor, deps: LedgerDependencies, concurrency = 8): Promise<ImportReport> {
  const check = checkImportRows(rows, deps.now());
  const report: ImportReport = { imported: [], alreadyInLedger: [], rejected: [...check.rejected] };
  let next = 0;
  const worker = async () => {
    while (next < check.accepted.length) {
      const { row, registration } = check.accepted[next++]!;
      const result = await registerWoman(subject, actor, registration, deps);
      if (result.kind === 'ok') report.imported.push({ row, personId: result.value.personId });
      else if (result.kind === 'duplicate') report.alreadyInLedger.push(row);
      else if (result.kind === 'invalid') report.rejected.push({ row, problems: result.problems.map((p) => ({ column: headingOfPath(p.path), message: p.message })) });
      else report.rejected.push({ row, problems: [{ column: '区县代码', message: '不在导入人的辖区内 (outside the importing officer’s division)' }] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  report.imported.sort((a, b) => a.row - b.row);
  report.alreadyInLedger.sort((a, b) => a - b);
  report.rejected.sort((a, b) => a.row - b.row);
  return report;
}
