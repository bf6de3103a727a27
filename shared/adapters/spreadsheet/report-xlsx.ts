// Writes a report table as an XLSX workbook: the few SpreadsheetML parts one sheet needs (ECMA-376
// part 1), zipped with fflate. A spreadsheet library would add about 1 MB to the reports function
// for a table of a few dozen rows; the tests read every download back with exceljs, a full parser.
import { strToU8, zipSync } from 'fflate';
import type { ReportTable } from '../../usecases/statistics/report-table.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Text as XML character data: escaped, and without the control characters XML 1.0 forbids. */
export function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- removing exactly these characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

// Cell styles (cellXfs, in this order): 0 plain, 1 the title, 2 a header, 3 a rate, 4 a number.
const STYLE = { plain: 0, title: 1, header: 2, rate: 3, number: 4 } as const;
const STYLES = `${XML}<styleSheet xmlns="${NS}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.##"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="13"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="center"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

/** The sheet's rows as SpreadsheetML, its strings collected into the shared-strings table. */
function sheetXml(t: ReportTable, strings: string[]): string {
  const index = new Map<string, number>();
  const str = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const textCell = (ref: string, s: string, style: number) => `<c r="${ref}" s="${style}" t="s"><v>${str(s)}</v></c>`;
  const width = t.headers.length;
  const rows: string[] = [];
  rows.push(`<row r="1">${textCell('A1', t.title, STYLE.title)}</row>`);
  rows.push(`<row r="2">${t.headers.map((h, c) => textCell(`${columnName(c)}2`, h, STYLE.header)).join('')}</row>`);
  t.rows.forEach((row, i) => {
    const r = i + 3;
    const cells = row.map((v, c) => {
      const ref = `${columnName(c)}${r}`;
      const kind = t.kinds[c];
      const style = kind === 'rate' ? STYLE.rate : kind === 'number' ? STYLE.number : STYLE.plain;
      if (v === null || v === undefined) return '';
      if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}" s="${style}"><v>${v}</v></c>` : '';
      return textCell(ref, v, STYLE.plain);
    });
    rows.push(`<row r="${r}">${cells.join('')}</row>`);
  });
  const cols = t.headers.map((_, c) => `<col min="${c + 1}" max="${c + 1}" width="${c === 0 ? 22 : 12}" customWidth="1"/>`).join('');
  return (
    `${XML}<worksheet xmlns="${NS}" xmlns:r="${REL}">` +
    // The title and the headers stay in view while scrolling.
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<cols>${cols}</cols><sheetData>${rows.join('')}</sheetData>` +
    (width > 1 ? `<mergeCells count="1"><mergeCell ref="A1:${columnName(width - 1)}1"/></mergeCells>` : '') +
    `</worksheet>`
  );
}

export async function reportXlsx(t: ReportTable, sheetName = '考核月报'): Promise<Buffer> {
  const strings: string[] = [];
  const sheet = sheetXml(t, strings);
  const shared = `${XML}<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${xmlText(s)}</t></si>`).join('')}</sst>`;
  const files: Record<string, string> = {
    '[Content_Types].xml':
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
      `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
      `</Types>`,
    '_rels/.rels': `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${xmlText(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `${XML}<Relationships xmlns="${PKG_REL}">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` +
      `<Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
      `</Relationships>`,
    'xl/worksheets/sheet1.xml': sheet,
    'xl/styles.xml': STYLES,
    'xl/sharedStrings.xml': shared,
  };
  const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, strToU8(content)])), { level: 6 });
  return Buffer.from(zipped);
}
