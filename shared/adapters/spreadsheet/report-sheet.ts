// Writes a report table as CSV (UTF-8 with BOM, so Excel shows the Chinese); the XLSX writer is
// ./report-xlsx.ts. The same figures in both: a rate is the fraction 0.853 in the XLSX cell (shown
// as 85.3%) and "85.3%" in the CSV.
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
