// A township's spreadsheet imported into the county ledger on DynamoDB Local: an XLSX with 20 bad rows
// imports exactly the good ones and reports the 20 by row; a second run adds nobody; `npm run
// ledger:import` does the same from a CSV and prints no cell. The sheet has 100 rows in `npm test`:
// its transactions share the one DynamoDB Local of the run with the timing tests of the emergency path
// (web-flood: an emergency SMS within 10 s during a flood), which 400 rows already made miss on a busy
// machine. LEDGER_IMPORT_ROWS=2000 runs the acceptance's 2,000; the row checks themselves run on
// 2,000 rows every time (test/unit/ledger/import-rows.test.ts).
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedgerRepository } from '../../shared/adapters/dynamo/ledger-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { readSheet } from '../../shared/adapters/ledger-sheet.js';
import { hmacPersonKeys } from '../../shared/adapters/person-keys.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import type { LedgerDependencies } from '../../shared/usecases/ledger.js';
import { importLedgerSheet } from '../../shared/usecases/ledger-import.js';
import { loadVisitCycles } from '../../shared/config/ledger.js';
import { DEV_PERSON_KEY } from '../../local/dev-config.js';
import { HEADINGS, seeded, validRow } from '../support/ledger-sheet.js';
import { scanAll, startTestRuntime } from '../support/local-api.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let deps: LedgerDependencies;
const dir = mkdtempSync(join(tmpdir(), 'ledger-import-'));
const officer = { role: 'ledger_officer' as const, department: 'civil_affairs', divisionCode: '220722' };

beforeAll(async () => {
  rt = await startTestRuntime('ledger-import');
  deps = {
    store: new DynamoLedgerRepository(rt.db, rt.tableName),
    keys: hmacPersonKeys(new TextEncoder().encode(DEV_PERSON_KEY)),
    divisions: loadDivisions(),
    ids: { personId: ulidIds.caseId, eventId: ulidIds.eventId },
    now: () => new Date(),
    retentionDays: 365,
    visitCycles: loadVisitCycles(),
  };
});
afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const col = (heading: string) => HEADINGS.indexOf(heading);

describe('importing a township sheet', () => {
  const size = Number(process.env.LEDGER_IMPORT_ROWS ?? 100);
  it(`imports exactly the ${size - 20} good rows of a ${size}-row XLSX and reports the 20 bad ones by row and column`, async () => {
    const random = seeded(11);
    const rows = [HEADINGS, ...Array.from({ length: size }, (_, i) => validRow(10_000 + i, random))];
    const bad = Array.from({ length: 20 }, (_, k) => 10 + Math.floor((k * (size - 20)) / 20));
    bad.forEach((index, k) => {
      const row = rows[index]!;
      if (k % 4 === 0) row[col('手机号')] = '0438-1234567';
      else if (k % 4 === 1) row[col('丈夫外出时间')] = '2099-01';
      else if (k % 4 === 2) row[col('处理依据')] = '口头同意';
      else row[col('区县代码')] = '110105'; // a county of another province
    });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('台账');
    for (const r of rows) sheet.addRow(r);
    const file = join(dir, 'township.xlsx');
    writeFileSync(file, Buffer.from(await book.xlsx.writeBuffer()));

    const sheetRows = await readSheet(file);
    const report = await importLedgerSheet(sheetRows, 'officer-7', officer, deps);
    expect(report.imported).toHaveLength(size - 20);
    expect(report.alreadyInLedger).toEqual([]);
    expect(report.rejected.map((r) => r.row)).toEqual(bad.map((i) => i + 1));
    expect(report.rejected.find((r) => r.row === bad[3]! + 1)!.problems).toEqual([{ column: '区县代码', message: expect.stringContaining('辖区') }]);

    const entries = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_entry');
    expect(entries).toHaveLength(size - 20);
    expect(new Set(entries.map((e) => (e.registeredBy as { id: string }).id))).toEqual(new Set(['officer-7']));
  }, 600_000);

  it('npm run ledger:import reads a CSV as Excel saves it, prints the report without a cell, exits 1 when a row was rejected, and adds nobody twice', async () => {
    const random = seeded(5);
    const rows = [HEADINGS, validRow(50_001, random), validRow(50_002, random), validRow(50_003, random)];
    rows[2]![col('子女数')] = '两个';
    const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
    const file = join(dir, 'township.csv');
    writeFileSync(file, `\ufeff${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`);
    const importFile = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/ledger-import.ts', file, '--officer', 'officer-8', '--division', '220722'], {
        env: { ...process.env, DYNAMODB_ENDPOINT: rt.dynamoEndpoint, TABLE_NAME: rt.tableName },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const run = await importFile();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('imported 2, already in the ledger 0, rejected 1 (of 3 rows)');
    expect(run.stdout).toContain('row 3: 子女数');
    for (const r of rows.slice(1)) for (const secret of [r[col('姓名')]!, r[col('手机号')]!, r[col('身份证号')]!]) expect(run.stdout).not.toContain(secret);
    // The same sheet again: nobody is added twice.
    expect((await importFile()).stdout).toContain('imported 0, already in the ledger 2, rejected 1 (of 3 rows)');
    expect((await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_entry' && (i.registeredBy as { id: string }).id === 'officer-8')).toHaveLength(2);
  }, 60_000);
});
