// Use case: the supervisors' overview. Counts of open referrals by status (and urgency and
// department) and the overdue ones, for the caller's scope, read from the work queues that the
// lifecycle keeps in the sparse `queue` index: key queries only, never a table scan.
//
// Scope: a caseworker or supervisor sees her department in her division; a coordinator her
// division and the divisions inside it; the provincial coordinator and admins the whole province
// (optionally narrowed with ?divisionCode= / ?department=). Closed referrals have left every
// queue, so they are not counted here: the monthly statistics come from the aggregate counters.
import type { Actor } from '../domain/access/policy.js';
import { divisionWithin, isProvincial } from '../domain/access/policy.js';
import type { ReferralStatus } from '../domain/case/case.js';
import type { QueueRef } from '../domain/lifecycle/placement.js';
import { DEPARTMENTS, MANUAL_TRIAGE, PROVINCE_CODE, URGENCIES, type Urgency } from '../domain/model.js';

/** What the overview needs of a referral in a queue: codes and deadlines, nothing personal. */
export interface QueuedReferral {
  referralId: string;
  caseId: string;
  reference: string;
  need: string;
  department: string;
  divisionCode: string;
  urgency: Urgency;
  status: ReferralStatus;
  signForBy: string;
  completeBy: string | null;
  returnCount?: number;
  escalationLevel?: number;
}

/** The port: every referral in these queues (the adapter pages through each). */
export interface QueueReader {
  referralsInQueues(queues: readonly QueueRef[]): Promise<QueuedReferral[]>;
}

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

export const OPEN_STATUSES = ['referred', 'accepted', 'reopened', 'returned', 'resolved'] as const satisfies readonly ReferralStatus[];

export interface Overview {
  scope: { role: Actor['role']; department: string | null; divisionCode: string | null; all: boolean };
  generatedAt: string;
  total: number;
  byStatus: Record<(typeof OPEN_STATUSES)[number], number>;
  byUrgency: Record<Urgency, number>;
  byDepartment: Record<string, number>;
  overdue: { count: number; byKind: Record<OverdueKind, number>; items: OverdueReferral[]; truncated: boolean };
}

/** Departments that receive referrals (finance funds services and receives none) and the manual-triage queue. */
export const RECEIVING_QUEUES: readonly string[] = [...DEPARTMENTS.filter((d) => d !== 'finance'), MANUAL_TRIAGE];

export const MAX_OVERDUE_ITEMS = 100;

export type ScopeDecision =
  | { allowed: true; queues: QueueRef[]; keep: (r: Pick<QueuedReferral, 'department' | 'divisionCode'>) => boolean; all: boolean }
  | { allowed: false; reason: 'incomplete_token' | 'outside_scope' | 'unknown_division' | 'unknown_department' };

/**
 * Which queues hold the referrals of the caller's scope, and which of their referrals belong to it
 * (the coordinator queues are shared by every department of a division). Pure.
 */
export function overviewScope(actor: Actor, req: OverviewRequest, divisionCodes: readonly string[]): ScopeDecision {
  if (req.divisionCode !== undefined && !divisionCodes.includes(req.divisionCode)) return { allowed: false, reason: 'unknown_division' };
  if (req.department !== undefined && !RECEIVING_QUEUES.includes(req.department)) return { allowed: false, reason: 'unknown_department' };
  const departmentQueues = (department: string, divisionCode: string): QueueRef[] => [
    { kind: 'department', department, divisionCode },
    { kind: 'followup', department, divisionCode },
  ];
  if (actor.role === 'caseworker' || actor.role === 'supervisor') {
    const { department, divisionCode } = actor;
    if (!department || !divisionCode) return { allowed: false, reason: 'incomplete_token' };
    if ((req.department ?? department) !== department || (req.divisionCode ?? divisionCode) !== divisionCode) return { allowed: false, reason: 'outside_scope' };
    const queues: QueueRef[] = [...departmentQueues(department, divisionCode), { kind: 'coordinator', divisionCode }];
    // A referral returned twice waits for the provincial coordinator's decision.
    if (divisionCode !== PROVINCE_CODE) queues.push({ kind: 'coordinator', divisionCode: PROVINCE_CODE });
    return { allowed: true, queues, keep: (r) => r.department === department && r.divisionCode === divisionCode, all: false };
  }
  const provincial = isProvincial(actor);
  const home = provincial ? PROVINCE_CODE : actor.divisionCode;
  if (!home) return { allowed: false, reason: 'incomplete_token' };
  const root = req.divisionCode ?? home;
  if (!divisionWithin(root, home)) return { allowed: false, reason: 'outside_scope' };
  const divisions = divisionCodes.filter((d) => divisionWithin(d, root));
  const departments = req.department ? [req.department] : RECEIVING_QUEUES;
  const queues: QueueRef[] = [];
  for (const d of divisions) {
    for (const dep of departments) queues.push(...departmentQueues(dep, d));
    queues.push({ kind: 'coordinator', divisionCode: d });
  }
  if (!divisions.includes(PROVINCE_CODE)) queues.push({ kind: 'coordinator', divisionCode: PROVINCE_CODE });
  return {
    allowed: true,
    queues,
    keep: (r) => divisionWithin(r.divisionCode, root) && (!req.department || r.department === req.department),
    all: provincial && !req.divisionCode && !req.department,
  };
}

/** The deadline a referral in a queue is held to now, and what kind; none for a resolved one (it closes by itself). */
export function currentDeadline(r: QueuedReferral): { kind: OverdueKind; deadline: string } | null {
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

export function summarise(actor: Actor, referrals: readonly QueuedReferral[], now: Date, all: boolean): Overview {
  const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Overview['byStatus'];
  const byUrgency = Object.fromEntries(URGENCIES.map((u) => [u, 0])) as Overview['byUrgency'];
  const byDepartment: Record<string, number> = {};
  const byKind: Record<OverdueKind, number> = { sign_for: 0, completion: 0, reroute: 0 };
  const overdue: OverdueReferral[] = [];
  const seen = new Set<string>();
  for (const r of referrals) {
    if (seen.has(r.referralId)) continue;
    seen.add(r.referralId);
    if (r.status in byStatus) byStatus[r.status as keyof Overview['byStatus']] += 1;
    byUrgency[r.urgency] = (byUrgency[r.urgency] ?? 0) + 1;
    byDepartment[r.department] = (byDepartment[r.department] ?? 0) + 1;
    const due = currentDeadline(r);
    const late = due ? now.getTime() - Date.parse(due.deadline) : 0;
    if (due && late > 0) {
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
  }
  overdue.sort((a, b) => b.overdueMinutes - a.overdueMinutes || a.referralId.localeCompare(b.referralId));
  return {
    scope: { role: actor.role, department: actor.department, divisionCode: actor.divisionCode, all },
    generatedAt: now.toISOString(),
    total: seen.size,
    byStatus,
    byUrgency,
    byDepartment,
    overdue: { count: overdue.length, byKind, items: overdue.slice(0, MAX_OVERDUE_ITEMS), truncated: overdue.length > MAX_OVERDUE_ITEMS },
  };
}

export interface OverviewDependencies {
  queues: QueueReader;
  divisionCodes: readonly string[];
  now: () => Date;
}

export type OverviewResult = { kind: 'ok'; overview: Overview } | { kind: 'denied'; reason: Extract<ScopeDecision, { allowed: false }>['reason'] };

export async function reportOverview(actor: Actor, req: OverviewRequest, deps: OverviewDependencies): Promise<OverviewResult> {
  const scope = overviewScope(actor, req, deps.divisionCodes);
  if (!scope.allowed) return { kind: 'denied', reason: scope.reason };
  const referrals = (await deps.queues.referralsInQueues(scope.queues)).filter(scope.keep);
  return { kind: 'ok', overview: summarise(actor, referrals, deps.now(), scope.all) };
}
