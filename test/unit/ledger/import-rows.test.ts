// A township's spreadsheet checked row by row: exactly the good rows are accepted, every bad row is
// reported with its row number and the columns at fault, and no report quotes a cell.
import { describe, expect, it } from 'vitest';
import { checkImportRows } from '../../../shared/domain/ledger/import-rows.js';
import { HEADINGS, seeded, validRow } from '../../support/ledger-sheet.js';

const TODAY = new Date('2026-12-04T00:00:00Z');
const col = (heading: string) => HEADINGS.indexOf(heading);

describe('importing a township sheet', () => {
  it('accepts exactly the 1,980 good rows of 2,000 and reports the 20 bad ones by row and column', () => {
    const random = seeded(7);
    const rows = [HEADINGS, ...Array.from({ length: 2000 }, (_, i) => validRow(i, random))];
    // Twenty mistakes of ten kinds, at known rows (sheet row = index + 1).
    const spoil: [number, string, string][] = [];
    const kinds: [string, string][] = [
      ['身份证号', 'digit'],
      ['手机号', '0438-1234567'],
      ['区县代码', '2207'],
      ['出生年份', '一九八五'],
      ['丈夫外出时间', '2026-11'],
      ['子女数', ''],
      ['经济困难', '也许'],
      ['处理依据', '领导同意'],
      ['姓名', ''],
      ['16岁以下子女数', '9'],
    ];
    for (let k = 0; k < 20; k++) {
      const index = 50 + k * 97;
      const [heading, value] = kinds[k % kinds.length]!;
      const row = rows[index]!;
      row[col(heading)] = heading === '身份证号' ? row[col(heading)]!.replace(/^(\d{10})(\d)/, (_, a: string, d: string) => a + String((Number(d) + 1) % 10)) : value;
      spoil.push([index + 1, heading, value]);
    }
    const check = checkImportRows(rows, TODAY);
    expect(check.accepted).toHaveLength(1980);
    expect(check.rejected.map((r) => r.row)).toEqual(spoil.map(([row]) => row));
    for (const [row, heading] of spoil) {
      const rejected = check.rejected.find((r) => r.row === row)!;
      const expectedColumn = heading === '身份证号' ? ['身份证号', '出生年份'] : heading === '16岁以下子女数' ? ['16岁以下子女数'] : [heading];
      expect(
        rejected.problems.some((p) => expectedColumn.includes(p.column)),
        `row ${row}: ${JSON.stringify(rejected.problems)}`,
      ).toBe(true);
    }
    // The report names columns, never what was in them.
    const report = JSON.stringify(check.rejected);
    for (const r of rows.slice(1)) for (const secret of [r[col('姓名')], r[col('身份证号')], r[col('手机号')]]) if (secret) expect(report.includes(secret)).toBe(false);
  });

  it('reads the forms townships write: 2025年3月, 是/否, the legal basis by its name', () => {
    const row = validRow(1, seeded(1));
    row[col('丈夫外出时间')] = '2025年3月';
    row[col('经济困难')] = '是';
    const check = checkImportRows([HEADINGS, row], TODAY);
    expect(check.rejected).toEqual([]);
    expect(check.accepted[0]!.registration).toMatchObject({ husbandAway: { since: '2025-03' }, focus: ['economic_hardship'], legalBasis: { basis: 'statutory_duty' } });
  });

  it('refuses the same woman twice in one sheet, naming the first row; skips blank lines', () => {
    const random = seeded(3);
    const first = validRow(5, random);
    const again = [...validRow(6, random)];
    again[col('手机号')] = first[col('手机号')]!;
    const check = checkImportRows([HEADINGS, first, HEADINGS.map(() => ''), again], TODAY);
    expect(check.accepted.map((a) => a.row)).toEqual([2]);
    expect(check.rejected).toEqual([{ row: 4, problems: [{ column: '', message: expect.stringContaining('第2行') }] }]);
  });

  it('stops at once when a required heading is missing', () => {
    expect(() => checkImportRows([HEADINGS.filter((h) => h !== '手机号'), validRow(1, seeded(1))], TODAY)).toThrow(/手机号/);
  });
});
