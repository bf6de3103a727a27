// The county's ledger (台账) as a sheet: the import's columns (shared/domain/ledger/import-rows.ts),
// so an export can be corrected in Excel and imported again, except the ID number, of which only the
// last four characters are kept (its column is named so, and the import ignores it).
import type { LedgerEntry } from './entry.js';
import { LEDGER_COLUMNS } from './import-rows.js';
import { FOCUS_MARKERS, LEGAL_BASIS_LABELS } from './registration.js';

export const ID_LAST4_HEADING = '身份证号后四位';

export function exportRows(entries: readonly LedgerEntry[]): { headers: string[]; rows: string[][] } {
  const headers = LEDGER_COLUMNS.map((c) => (c.field === 'idNumber' ? ID_LAST4_HEADING : c.heading));
  const yes = (b: boolean | undefined) => (b ? '是' : '否');
  const rows = entries.map((e) =>
    LEDGER_COLUMNS.map((c): string => {
      switch (c.field) {
        case 'name':
          return e.name;
        case 'idNumber':
          return e.idLast4 ?? '';
        case 'phone':
          return e.phone.replace(/^\+86/, '');
        case 'divisionCode':
          return e.divisionCode;
        case 'township':
          return e.township;
        case 'village':
          return e.village;
        case 'birthYear':
          return String(e.birthYear);
        case 'since':
          return e.husbandAway.since;
        case 'where':
          return e.husbandAway.where;
        case 'children':
        case 'childrenUnder16':
        case 'elders':
        case 'disabledMembers':
          return String(e.household[c.field]);
        case 'basis':
          return LEGAL_BASIS_LABELS[e.legalBasis.basis];
        case 'separateConsent':
          return e.legalBasis.separateConsentToSensitive === undefined ? '' : yes(e.legalBasis.separateConsentToSensitive);
        case 'reference':
          return e.legalBasis.reference ?? '';
        default:
          return (FOCUS_MARKERS as readonly string[]).includes(c.field) ? yes(e.focus.includes(c.field as (typeof FOCUS_MARKERS)[number])) : '';
      }
    }),
  );
  return { headers, rows };
}
