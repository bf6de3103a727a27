// Writes a report table as XLSX with exceljs (a maintained spreadsheet library: no hand-written XML),
// and reads one back. Its own module: the reports function imports it only for an Excel download.
import ExcelJS from 'exceljs';
import type { ReportTable } from '../../usecases/statistics/report-table.js';

export async function reportXlsx(t: ReportTable, sheetName = '考核月报'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'left-behind-women-referrals';
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow([t.title]).font = { bold: true, size: 13 };
  sheet.mergeCells(1, 1, 1, t.headers.length);
  const header = sheet.addRow(t.headers);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const r of t.rows) sheet.addRow(r.map((v) => v ?? null));
  t.kinds.forEach((kind, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = i === 0 ? 22 : 12;
    if (kind === 'rate') col.numFmt = '0.0%';
    if (kind === 'number') col.numFmt = '0.##';
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Reads a report workbook back (tests, and an administrator checking a download): title, headers, rows. */
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
