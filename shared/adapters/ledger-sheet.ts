// Reads a township's spreadsheet as rows of text cells: CSV (csv-parse: quoted fields, CRLF, a
// UTF-8 byte-order mark as Excel writes it) or XLSX (exceljs: the first worksheet; numbers, dates and
// formulas as the text they show). What the rows mean is the ledger's business
// (shared/domain/ledger/import-rows.ts).
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

export class SheetFormatError extends Error {
  override readonly name = 'SheetFormatError';
}

export function csvRows(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: false }) as string[][];
  } catch (err) {
    throw new SheetFormatError(`the CSV file cannot be read: ${(err as { code?: string }).code ?? 'malformed'}`);
  }
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return cell.text ?? String(v);
}

export async function xlsxRows(bytes: Uint8Array): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new SheetFormatError('the XLSX file cannot be read');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new SheetFormatError('the XLSX file has no worksheet');
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, sheet.columnCount); c++) cells.push(cellText(row.getCell(c)));
    rows.push(cells);
  }
  return rows;
}

/** A .csv or .xlsx file's rows. */
export async function readSheet(file: string): Promise<string[][]> {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return csvRows(await readFile(file, 'utf8'));
  if (ext === '.xlsx') return xlsxRows(await readFile(file));
  throw new SheetFormatError('expected a .csv or .xlsx file');
}
