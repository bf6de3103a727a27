// The monthly report as a table people download: Chinese column headers, the scope and month in the
// title, one row per group and a total row. Pure; the CSV and XLSX writers are in
// shared/adapters/spreadsheet/report-sheet.ts.
import type { DivisionIndex } from '../../domain/divisions/divisions.js';
import { DEPARTMENT_LABELS, NEED_LABELS } from '../../domain/labels.js';
import type { KpiFigures } from '../../domain/statistics/kpis.js';
import type { MonthlyReport, ReportScope } from './monthly-report.js';

export type CellKind = 'text' | 'count' | 'rate' | 'number';

export interface Column {
  header: string;
  kind: CellKind;
  value: (row: KpiFigures) => number | null;
}

export const REPORT_COLUMNS: readonly Column[] = [
  { header: '转办数', kind: 'count', value: (r) => r.referred },
  { header: '签收数', kind: 'count', value: (r) => r.signedFor },
  { header: '按时签收数', kind: 'count', value: (r) => r.signedOnTime },
  { header: '按时签收率', kind: 'rate', value: (r) => r.onTimeSignRate },
  { header: '办结数', kind: 'count', value: (r) => r.completed },
  { header: '按时办结数', kind: 'count', value: (r) => r.completedOnTime },
  { header: '按时办结率', kind: 'rate', value: (r) => r.onTimeCompletionRate },
  { header: '退回数', kind: 'count', value: (r) => r.returned },
  { header: '改派数', kind: 'count', value: (r) => r.rerouted },
  { header: '申请延期数', kind: 'count', value: (r) => r.extensionsAsked },
  { header: '批准延期数', kind: 'count', value: (r) => r.extended },
  { header: '超时数', kind: 'count', value: (r) => r.overdue },
  { header: '督办数', kind: 'count', value: (r) => r.escalated },
  { header: '回访数', kind: 'count', value: (r) => r.followUps },
  { header: '回访接通数', kind: 'count', value: (r) => r.reached },
  { header: '回访率', kind: 'rate', value: (r) => r.followUpRate },
  { header: '满意度评价数', kind: 'count', value: (r) => r.satisfactionCount },
  { header: '平均满意度', kind: 'number', value: (r) => r.satisfactionAvg },
  { header: '满意率', kind: 'rate', value: (r) => r.satisfactionRate },
  { header: '签收用时中位数（分钟以内）', kind: 'number', value: (r) => r.signForMedianMinutes },
  { header: '签收用时P90（分钟以内）', kind: 'number', value: (r) => r.signForP90Minutes },
  { header: '办结用时中位数（小时以内）', kind: 'number', value: (r) => r.completeMedianHours },
  { header: '办结用时P90（小时以内）', kind: 'number', value: (r) => r.completeP90Hours },
];

export const GROUP_HEADERS = { division: '行政区划', department: '部门', need: '需求类别' } as const;

export interface ReportTable {
  title: string;
  headers: string[];
  kinds: CellKind[];
  rows: (string | number | null)[][];
}

export function scopeTitle(scope: ReportScope, divisions: Pick<DivisionIndex, 'get'>): string {
  const parts = [divisions.get(scope.divisionCode)?.name ?? scope.divisionCode];
  if (scope.department) parts.push(`${DEPARTMENT_LABELS[scope.department as keyof typeof DEPARTMENT_LABELS] ?? scope.department}部门`);
  if (scope.need) parts.push(NEED_LABELS[scope.need as keyof typeof NEED_LABELS] ?? scope.need);
  return parts.join(' · ');
}

export function groupName(by: MonthlyReport['by'], code: string, divisions: Pick<DivisionIndex, 'get'>): string {
  if (by === 'division') return divisions.get(code)?.name ?? code;
  if (by === 'department') return DEPARTMENT_LABELS[code as keyof typeof DEPARTMENT_LABELS] ?? code;
  return NEED_LABELS[code as keyof typeof NEED_LABELS] ?? code;
}

export function reportTable(report: MonthlyReport, divisions: Pick<DivisionIndex, 'get'>): ReportTable {
  const values = (r: KpiFigures) => REPORT_COLUMNS.map((c) => c.value(r));
  return {
    title: `${scopeTitle(report.scope, divisions)} ${report.month} 留守妇女关爱服务转介考核月报`,
    headers: [GROUP_HEADERS[report.by], ...REPORT_COLUMNS.map((c) => c.header)],
    kinds: ['text', ...REPORT_COLUMNS.map((c) => c.kind)],
    rows: [...report.rows.map((r) => [groupName(report.by, r.group, divisions), ...values(r)]), ['合计', ...values(report.totals)]],
  };
}
