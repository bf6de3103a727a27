// A township's existing spreadsheet (台账) as rows of cells, checked row by row against the ledger's
// rules: each row becomes a registration or a list of what is wrong with it, by column heading and
// never quoting the cell (the report is read and passed around; her details stay in the sheet).
// Pure: reading the file (CSV or XLSX) is the caller's; `today` is the import date.
import { normalizeMobile } from '../mobile-numbers.js';
import { FOCUS_LABELS, FOCUS_MARKERS, LEGAL_BASES, LEGAL_BASIS_LABELS, registrationProblems, registrationSchema, type FocusMarker, type LegalBasis, type Registration } from './registration.js';
import { checkIdNumber } from './id-number.js';

type Field =
  | 'name'
  | 'idNumber'
  | 'phone'
  | 'divisionCode'
  | 'township'
  | 'village'
  | 'birthYear'
  | 'since'
  | 'where'
  | 'children'
  | 'childrenUnder16'
  | 'elders'
  | 'disabledMembers'
  | FocusMarker
  | 'basis'
  | 'separateConsent'
  | 'reference';

/** The sheet's columns: heading as townships write it, and whether a row may leave it empty. One catalogue for import and export. */
export const LEDGER_COLUMNS: readonly { field: Field; heading: string; required: boolean }[] = [
  { field: 'name', heading: '姓名', required: true },
  { field: 'idNumber', heading: '身份证号', required: false },
  { field: 'phone', heading: '手机号', required: true },
  { field: 'divisionCode', heading: '区县代码', required: true },
  { field: 'township', heading: '乡镇', required: true },
  { field: 'village', heading: '村', required: true },
  { field: 'birthYear', heading: '出生年份', required: true },
  { field: 'since', heading: '丈夫外出时间', required: true },
  { field: 'where', heading: '丈夫务工地', required: true },
  { field: 'children', heading: '子女数', required: true },
  { field: 'childrenUnder16', heading: '16岁以下子女数', required: true },
  { field: 'elders', heading: '照料老人数', required: true },
  { field: 'disabledMembers', heading: '残疾家属数', required: true },
  ...FOCUS_MARKERS.map((f) => ({ field: f, heading: FOCUS_LABELS[f], required: false })),
  { field: 'basis', heading: '处理依据', required: true },
  { field: 'separateConsent', heading: '单独同意', required: false },
  { field: 'reference', heading: '依据文书', required: false },
];

export interface RowProblem {
  /** The column's heading, or "" for the row as a whole. */
  column: string;
  message: string;
}

export interface ImportCheck {
  accepted: { row: number; registration: Registration }[];
  /** Spreadsheet row numbers (the heading row is 1) with what is wrong. */
  rejected: { row: number; problems: RowProblem[] }[];
}

const YES = new Set(['是', 'y', 'yes', '1', 'true', '√']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '']);

/** Which field a registration path belongs to, for naming its column. */
const COLUMN_OF_PATH: Record<string, Field> = {
  'husbandAway.since': 'since',
  'husbandAway.where': 'where',
  'household.children': 'children',
  'household.childrenUnder16': 'childrenUnder16',
  'household.elders': 'elders',
  'household.disabledMembers': 'disabledMembers',
  'legalBasis.basis': 'basis',
  'legalBasis.separateConsentToSensitive': 'separateConsent',
  'legalBasis.reference': 'reference',
};
/** The heading of the column a registration path comes from ("" when none). */
export const headingOfPath = (path: string): string => {
  const field = COLUMN_OF_PATH[path] ?? (path.split('.')[0] as Field);
  return LEDGER_COLUMNS.find((c) => c.field === field)?.heading ?? '';
};

/** "2025-3", "2025/03", "2025年3月", "202503" → "2025-03"; anything else is returned as written, for the schema to refuse. */
function yearMonth(cell: string): string {
  const m = /^(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?$/.exec(cell);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : cell;
}

/** Townships often put a title above the headings (as the ledger's own export does): the heading row is the first of the first ten with 姓名 in it. */
const HEADING_SEARCH_ROWS = 10;

/**
 * Checks every data row of a sheet (below its heading row). Throws when a required heading is
 * missing, since no row could then be read; otherwise each row is accepted or rejected on its own,
 * and a row repeating an earlier row's ID number or phone is rejected, naming that row.
 */
export function checkImportRows(rows: readonly (readonly string[])[], today: Date): ImportCheck {
  const found = rows.slice(0, HEADING_SEARCH_ROWS).findIndex((r) => r.some((h) => h.trim() === '姓名'));
  const headingRow = found < 0 ? 0 : found;
  const headings = (rows[headingRow] ?? []).map((h) => h.trim());
  const at = new Map<Field, number>();
  for (const c of LEDGER_COLUMNS) {
    const i = headings.indexOf(c.heading);
    if (i >= 0) at.set(c.field, i);
  }
  const missing = LEDGER_COLUMNS.filter((c) => c.required && !at.has(c.field)).map((c) => c.heading);
  if (missing.length > 0) throw new Error(`表头缺少：${missing.join('、')} (missing headings: ${missing.length})`);

  const out: ImportCheck = { accepted: [], rejected: [] };
  const seenId = new Map<string, number>();
  const seenPhone = new Map<string, number>();
  rows.slice(headingRow + 1).forEach((cells, i) => {
    const row = i + headingRow + 2;
    const cell = (f: Field): string => {
      const k = at.get(f);
      return k === undefined ? '' : (cells[k] ?? '').trim();
    };
    if (LEDGER_COLUMNS.every((c) => cell(c.field) === '')) return; // a blank line
    const problems: RowProblem[] = [];
    const number = (f: Field): number => (/^\d+$/.test(cell(f)) ? Number(cell(f)) : Number.NaN);
    const yesNo = (f: Field): boolean | undefined => {
      const v = cell(f).toLowerCase();
      if (YES.has(v)) return true;
      if (NO.has(v)) return v === '' ? undefined : false;
      problems.push({ column: LEDGER_COLUMNS.find((c) => c.field === f)!.heading, message: '应填"是"或"否" (yes or no)' });
      return undefined;
    };
    const basisText = cell('basis');
    const basis = (LEGAL_BASES as readonly string[]).includes(basisText) ? (basisText as LegalBasis) : LEGAL_BASES.find((b) => LEGAL_BASIS_LABELS[b] === basisText);
    if (!basis) problems.push({ column: '处理依据', message: `应为${LEGAL_BASES.map((b) => LEGAL_BASIS_LABELS[b]).join('、')}之一 (one of the legal bases)` });
    const focus = FOCUS_MARKERS.filter((f) => yesNo(f) === true);
    const separate = yesNo('separateConsent');
    const candidate = {
      name: cell('name'),
      ...(cell('idNumber') ? { idNumber: cell('idNumber') } : {}),
      phone: cell('phone'),
      divisionCode: cell('divisionCode'),
      township: cell('township'),
      village: cell('village'),
      birthYear: number('birthYear'),
      husbandAway: { since: yearMonth(cell('since')), where: cell('where') },
      household: { children: number('children'), childrenUnder16: number('childrenUnder16'), elders: number('elders'), disabledMembers: number('disabledMembers') },
      focus,
      legalBasis: { basis: basis ?? 'consent', ...(separate === undefined ? {} : { separateConsentToSensitive: separate }), ...(cell('reference') ? { reference: cell('reference') } : {}) },
    };
    const parsed = registrationSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const column = headingOfPath(path);
        if (problems.some((p) => p.column === column)) continue;
        const empty = cell(COLUMN_OF_PATH[path] ?? (path.split('.')[0] as Field)) === '';
        // The schema's own messages (in Chinese) say what is expected; zod's generic ones are replaced.
        problems.push({ column, message: empty ? '未填写 (empty)' : /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : '填写不对 (not valid)' });
      }
    } else {
      for (const p of registrationProblems(parsed.data, today)) problems.push({ column: headingOfPath(p.path), message: p.message });
    }
    // The same woman twice in one sheet: the later row is refused, naming the first.
    const id = candidate.idNumber ? checkIdNumber(candidate.idNumber, today) : undefined;
    const phone = normalizeMobile(candidate.phone);
    const twinOf = (id?.ok ? seenId.get(id.idNumber) : undefined) ?? (phone ? seenPhone.get(phone) : undefined);
    if (twinOf !== undefined) problems.push({ column: '', message: `与第${twinOf}行是同一人 (the same person as row ${twinOf})` });
    if (problems.length > 0 || !parsed.success) {
      out.rejected.push({ row, problems });
      return;
    }
    if (id?.ok) seenId.set(id.idNumber, row);
    if (phone) seenPhone.set(phone, row);
    out.accepted.push({ row, registration: parsed.data });
  });
  return out;
}
