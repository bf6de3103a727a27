// The XLSX writer, read back with exceljs (a full parser): the title over the table, headers, every
// value and its number format, the merged title, the frozen headers, text that needs escaping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnName, reportXlsx, xmlText } from '../../../shared/adapters/spreadsheet/report-xlsx.js';
import type { ReportTable } from '../../../shared/usecases/statistics/report-table.js';
import { loadWorkbook, readReportXlsx } from '../../support/report-xlsx-reader.js';

const table: ReportTable = {
  title: '考核月报 吉林省 2026-11',
  headers: ['地区', '转办数', '按时签收率', '平均满意度'],
  kinds: ['text', 'count', 'rate', 'number'],
  rows: [
    ['长岭县 & <乾安>', 12, 0.75, 4.25],
    ['敦化市 "引号"', 0, null, null],
    ['合计', 12, 0.75, 4.25],
  ],
};

describe('the report workbook', () => {
  it('reads back as written: title, headers, values, nulls as empty cells', async () => {
    const back = await readReportXlsx(await reportXlsx(table));
    expect(back.title).toBe(table.title);
    expect(back.headers).toEqual(table.headers);
    expect(back.rows).toEqual(table.rows);
  });

  it('formats rates as percentages and numbers with up to two decimals, merges the title and freezes the headers', async () => {
    const book = await loadWorkbook(await reportXlsx(table, '考核月报'));
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('考核月报');
    expect(sheet.getCell('C3').numFmt).toBe('0.0%');
    expect(sheet.getCell('D3').numFmt).toBe('0.##');
    expect(sheet.getCell('A2').font?.bold).toBe(true);
    expect(sheet.getCell('D1').isMerged).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.getColumn(1).width).toBe(22);
  });

  it('keeps any text a division or header may hold, control characters aside (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 6 }), async (texts) => {
        const t: ReportTable = { title: texts[0]!, headers: ['地区'], kinds: ['text'], rows: texts.map((s) => [s]) };
        const back = await readReportXlsx(await reportXlsx(t));
        // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
        const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
        expect(back.rows.map((r) => r[0] ?? '')).toEqual(texts.map(clean));
      }),
      { numRuns: 40 },
    );
  });

  it('names columns as spreadsheets do and escapes markup', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(xmlText('a&b<c>"d"\u0001')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;');
  });
});
