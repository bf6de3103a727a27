// Writes a report table as CSV (UTF-8 with BOM, so Excel shows the Chinese) or XLSX (exceljs, a
// maintained spreadsheet library: no hand-written XML). The same figures in both: a rate is the
// fraction 0.853 in the XLSX cell (shown as 85.3%) and "85.3%" in the CSV.
import ExcelJS from 'exceljs';
import type { CellKind, ReportTable } from '../../usecases/statistics/report-table.js';

const csvCell = (v: string | number | null, kind: CellKind): string => {
  if (v === null) return '';
  if (kind === 'rate' && typeof v === 'number') return `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function reportCsv(t: ReportTable): string {
  const lines = [csvCell(t.title, 'text'), t.headers.map((h) => csvCell(h, 'text')).join(','), ...t.rows.map((r) => r.map((v, i) => csvCell(v, t.kinds[i]!)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

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
