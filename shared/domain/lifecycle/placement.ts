// Where a referral sits after each change: which work queue shows it, when the scheduled run must
// next look at it, and what its case's status becomes. Pure; the DynamoDB adapter turns these into
// the sparse index keys (queue and due), so a referral leaves both indexes when it closes.
//
// Queues:
// - referred, accepted, reopened → its department's queue in its division, by the current deadline
//   (sign-for while referred, completion once accepted or reopened);
// - returned → the coordinator queue of its division; after the second return the provincial
//   coordinator's (终审), by the re-route deadline;
// - resolved → the department's follow-up (回访) queue, by the auto-close time: the work left is the
//   follow-up call, which the department that resolved it makes;
// - closed → no queue.
import type { CaseStatus } from '../case/case.js';
import { PROVINCE_CODE } from '../model.js';
import { RETURNS_BEFORE_FINAL_DECISION, type LifecycleClock, type TrackedReferral } from './referral.js';
import { escalationTrack } from './transitions.js';

export type QueueRef =
  { kind: 'department'; department: string; divisionCode: string } | { kind: 'coordinator'; divisionCode: string } | { kind: 'followup'; department: string; divisionCode: string };

export interface QueuePlacement {
  queue: QueueRef;
  /** The deadline the queue sorts by (after urgency). */
  deadline: string;
}

export function queueOf(r: TrackedReferral): QueuePlacement | null {
  switch (r.status) {
    case 'referred':
      return { queue: { kind: 'department', department: r.department, divisionCode: r.divisionCode }, deadline: r.signForBy };
    case 'accepted':
    case 'reopened':
      return { queue: { kind: 'department', department: r.department, divisionCode: r.divisionCode }, deadline: r.completeBy ?? r.signForBy };
    case 'returned': {
      const divisionCode = (r.returnCount ?? 0) >= RETURNS_BEFORE_FINAL_DECISION ? PROVINCE_CODE : r.divisionCode;
      return { queue: { kind: 'coordinator', divisionCode }, deadline: r.signForBy };
    }
    case 'resolved':
      return { queue: { kind: 'followup', department: r.department, divisionCode: r.divisionCode }, deadline: r.autoCloseAt ?? r.resolvedAt ?? r.signForBy };
    case 'closed':
    case 'cancelled':
      return null;
  }
}

export interface DuePlacement {
  /** The instant from which the scheduled run has something to do. */
  at: string;
  what: 'escalation' | 'auto_close';
}

/**
 * When the scheduled run must next look at the referral: the next escalation level of the current
 * deadline, or the auto-close time of a resolved referral; null when nothing is left to do
 * (closed, or escalated to level 3 already).
 */
export function dueOf(r: TrackedReferral, clock: Pick<LifecycleClock, 'nextEscalationAt'>): DuePlacement | null {
  if (r.status === 'resolved') return r.autoCloseAt ? { at: r.autoCloseAt, what: 'auto_close' } : null;
  const track = escalationTrack(r);
  if (!track) return null;
  const next = clock.nextEscalationAt(track.deadline, r.urgency, r.escalationLevel ?? 0);
  return next ? { at: next.toISOString(), what: 'escalation' } : null;
}

/** A case is closed when every referral is closed, and open again when one reopens. */
export function caseStatusAfter(current: CaseStatus, referrals: readonly Pick<TrackedReferral, 'status'>[]): CaseStatus {
  if (referrals.length === 0) return current;
  if (referrals.every((r) => r.status === 'closed' || r.status === 'cancelled')) return 'closed';
  return current === 'closed' ? 'open' : current;
}
