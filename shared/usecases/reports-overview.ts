// Use case: the supervisors' overview. Counts of open referrals by status, urgency and department,
// and the overdue ones, for the caller's scope (see ./statistics/scope.ts). The counts come from the
// open-work counters the statistics stream keeps (one query, whatever the number of queues or of open
// referrals); the overdue list from the `deadline` index, read up to now, oldest deadline first.
// Closed referrals are not counted here: the monthly figures are in ./statistics/monthly-report.ts.
import type { Actor } from '../domain/access/policy.js';
import type { ReferralStatus } from '../domain/case/case.js';
import { OPEN_STATUSES, openField } from '../domain/statistics/counters.js';
import { URGENCIES, type Urgency } from '../domain/model.js';
import type { DeadlineEntry, OpenRow, OverdueReader, StatisticsStore } from './statistics/ports.js';
import { statisticsScope, type Scope, type ScopeDenial } from './statistics/scope.js';

export { OPEN_STATUSES };

export interface OverviewRequest {
  divisionCode?: string;
  department?: string;
}

export type OverdueKind = 'sign_for' | 'completion' | 'reroute';

export interface OverdueReferral {
  referralId: string;
  caseId: string;
  reference: string;
  need: string;
  department: string;
  divisionCode: string;
  urgency: Urgency;
  status: ReferralStatus;
  kind: OverdueKind;
  deadline: string;
  overdueMinutes: number;
  escalationLevel: number;
}

export interface Overview {
  scope: { role: Actor['role']; department: string | null; divisionCode: string | null; all: boolean };
  generatedAt: string;
  total: number;
  byStatus: Record<(typeof OPEN_STATUSES)[number], number>;
  byUrgency: Record<Urgency, number>;
  byDepartment: Record<string, number>;
  overdue: { count: number; byKind: Record<OverdueKind, number>; items: OverdueReferral[]; truncated: boolean };
}

export const MAX_OVERDUE_ITEMS = 100;
/** The most overdue referrals one overview reads (the count says "at least" beyond it). */
export const MAX_OVERDUE_READ = 1000;

/** The deadline a referral in a queue is held to now, and what kind; none for a resolved one (it closes by itself). */
export function currentDeadline(r: Pick<DeadlineEntry, 'status' | 'signForBy' | 'completeBy'>): { kind: OverdueKind; deadline: string } | null {
  switch (r.status) {
    case 'referred':
      return { kind: 'sign_for', deadline: r.signForBy };
    case 'accepted':
    case 'reopened':
      return r.completeBy ? { kind: 'completion', deadline: r.completeBy } : { kind: 'sign_for', deadline: r.signForBy };
    case 'returned':
      return { kind: 'reroute', deadline: r.signForBy };
    default:
      return null;
  }
}

/** Sums the open-work rows of a scope. Pure. */
export function summariseOpen(rows: readonly OpenRow[], scope: Scope): Pick<Overview, 'total' | 'byStatus' | 'byUrgency' | 'byDepartment'> {
  const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Overview['byStatus'];
  const byUrgency = Object.fromEntries(URGENCIES.map((u) => [u, 0])) as Overview['byUrgency'];
  const byDepartment: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    if (!scope.keep(row.key)) continue;
    for (const status of OPEN_STATUSES) {
      for (const urgency of URGENCIES) {
        const n = row.counts[openField(status, urgency)] ?? 0;
        if (n === 0) continue;
        byStatus[status] += n;
        byUrgency[urgency] += n;
        byDepartment[row.key.department] = (byDepartment[row.key.department] ?? 0) + n;
        total += n;
      }
    }
  }
  return { total, byStatus, byUrgency, byDepartment };
}

/** The overdue referrals of a scope, most overdue first. Pure. */
export function overdueOf(entries: readonly DeadlineEntry[], scope: Scope, now: Date, more: boolean): Overview['overdue'] {
  const byKind: Record<OverdueKind, number> = { sign_for: 0, completion: 0, reroute: 0 };
  const overdue: OverdueReferral[] = [];
  const seen = new Set<string>();
  for (const r of entries) {
    if (seen.has(r.referralId) || !scope.keep(r)) continue;
    seen.add(r.referralId);
    const due = currentDeadline(r);
    const late = due ? now.getTime() - Date.parse(due.deadline) : 0;
    if (!due || late <= 0) continue;
    byKind[due.kind] += 1;
    overdue.push({
      referralId: r.referralId,
      caseId: r.caseId,
      reference: r.reference,
      need: r.need,
      department: r.department,
      divisionCode: r.divisionCode,
      urgency: r.urgency,
      status: r.status,
      kind: due.kind,
      deadline: due.deadline,
      overdueMinutes: Math.floor(late / 60_000),
      escalationLevel: r.escalationLevel ?? 0,
    });
  }
  overdue.sort((a, b) => b.overdueMinutes - a.overdueMinutes || a.referralId.localeCompare(b.referralId));
  return { count: overdue.length, byKind, items: overdue.slice(0, MAX_OVERDUE_ITEMS), truncated: overdue.length > MAX_OVERDUE_ITEMS || more };
}

export interface OverviewDependencies {
  statistics: Pick<StatisticsStore, 'openRows'>;
  overdue: OverdueReader;
  divisionCodes: readonly string[];
  now: () => Date;
}

export type OverviewResult = { kind: 'ok'; overview: Overview } | { kind: 'denied'; reason: ScopeDenial };

export async function reportOverview(actor: Actor, req: OverviewRequest, deps: OverviewDependencies): Promise<OverviewResult> {
  const scope = statisticsScope(actor, req, deps.divisionCodes);
  if (!scope.allowed) return { kind: 'denied', reason: scope.reason };
  const now = deps.now();
  const [rows, due] = await Promise.all([deps.statistics.openRows(), deps.overdue.overdueBefore(now.toISOString(), MAX_OVERDUE_READ)]);
  return {
    kind: 'ok',
    overview: {
      scope: { role: actor.role, department: actor.department, divisionCode: actor.divisionCode, all: scope.all },
      generatedAt: now.toISOString(),
      ...summariseOpen(rows, scope),
      overdue: overdueOf(due.items, scope, now, due.more),
    },
  };
}
