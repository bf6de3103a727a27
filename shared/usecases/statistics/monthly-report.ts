// Use cases: the monthly KPI report (考核月报) of a scope, its drill-down rows, and the 12-month
// trend, all summed from the stream-fed monthly counters (one query per month, never the cases).
import type { Actor } from '../../domain/access/policy.js';
import { addCounts, type Counts } from '../../domain/statistics/counters.js';
import { kpisOf, type KpiFigures } from '../../domain/statistics/kpis.js';
import type { MonthlyRow, StatisticsStore } from './ports.js';
import { childDivisionOf, statisticsScope, type Scope, type ScopeDenial, type ScopeRequest } from './scope.js';

export const GROUPINGS = ['division', 'department', 'need'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface MonthlyRequest extends ScopeRequest {
  month: string;
  /** How rows are drilled down; by default the divisions one level below the scope (departments in a county). */
  by?: Grouping;
}

export interface ReportScope {
  divisionCode: string;
  department: string | null;
  need: string | null;
}

export interface ReportRow extends KpiFigures {
  /** A division code, department code or need code, as `by` says. */
  group: string;
}

export interface MonthlyReport {
  month: string;
  scope: ReportScope;
  by: Grouping;
  totals: KpiFigures;
  rows: ReportRow[];
}

export interface TrendReport {
  scope: ReportScope;
  months: ({ month: string } & KpiFigures)[];
}

export interface ReportDependencies {
  statistics: Pick<StatisticsStore, 'monthRows'>;
  divisionCodes: readonly string[];
}

export type ReportResult<T> = { kind: 'ok'; report: T } | { kind: 'denied'; reason: ScopeDenial };

const scopeOf = (s: Scope): ReportScope => ({ divisionCode: s.divisionCode, department: s.department, need: s.need });

/** The default drill-down: a county's rows are its departments, a wider scope's its divisions. */
export function defaultGrouping(root: string): Grouping {
  return root.endsWith('00') ? 'division' : 'department';
}

/** Sums the rows of a scope, in total and by group. Pure. */
export function summariseMonth(rows: readonly MonthlyRow[], scope: Scope, by: Grouping): { totals: Counts; groups: Map<string, Counts> } {
  const totals: Counts = {};
  const groups = new Map<string, Counts>();
  for (const row of rows) {
    if (!scope.keep(row.key)) continue;
    addCounts(totals, row.counts);
    const group = by === 'division' ? childDivisionOf(scope.divisionCode, row.key.divisionCode) : by === 'department' ? row.key.department : row.key.need;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = {}));
    addCounts(g, row.counts);
  }
  return { totals, groups };
}

export async function monthlyReport(actor: Actor, req: MonthlyRequest, deps: ReportDependencies): Promise<ReportResult<MonthlyReport>> {
  const scope = statisticsScope(actor, req, deps.divisionCodes);
  if (!scope.allowed) return { kind: 'denied', reason: scope.reason };
  const by = req.by ?? defaultGrouping(scope.divisionCode);
  const { totals, groups } = summariseMonth(await deps.statistics.monthRows(req.month), scope, by);
  const rows = [...groups].map(([group, counts]) => ({ group, ...kpisOf(counts) })).sort((a, b) => a.group.localeCompare(b.group));
  return { kind: 'ok', report: { month: req.month, scope: scopeOf(scope), by, totals: kpisOf(totals), rows } };
}

/** The 12 months ending with `month` (YYYY-MM), oldest first. */
export function lastTwelveMonths(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (11 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export async function trendReport(actor: Actor, req: Omit<MonthlyRequest, 'by'>, deps: ReportDependencies): Promise<ReportResult<TrendReport>> {
  const scope = statisticsScope(actor, req, deps.divisionCodes);
  if (!scope.allowed) return { kind: 'denied', reason: scope.reason };
  const months = lastTwelveMonths(req.month);
  const rows = await Promise.all(months.map((m) => deps.statistics.monthRows(m)));
  return {
    kind: 'ok',
    report: { scope: scopeOf(scope), months: months.map((month, i) => ({ month, ...kpisOf(summariseMonth(rows[i]!, scope, 'department').totals) })) },
  };
}
