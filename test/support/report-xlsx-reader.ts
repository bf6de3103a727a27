// Reads a report workbook back with exceljs (a full spreadsheet parser, a development dependency
// only): title, headers, rows. The tests check every XLSX the platform writes with it.
import ExcelJS from 'exceljs';
import type { ReportTable } from '../../shared/usecases/statistics/report-table.js';

export async function readReportXlsx(data: Buffer): Promise<ReportTable> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1).map((v) => (v === undefined ? null : (v as string | number | null)));
  const headers = values(2).map(String);
  const rows: (string | number | null)[][] = [];
  for (let n = 3; n <= sheet.rowCount; n++) rows.push(Array.from({ length: headers.length }, (_, i) => values(n)[i] ?? null));
  return { title: String(values(1)[0]), headers, kinds: [], rows };
}

/** The workbook itself, for checks of formats, merges and panes. */
export async function loadWorkbook(data: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  return book;
}
