// The referral lifecycle as a pure state machine:
//
//   referred ──accept──▶ accepted ──resolve──▶ resolved ──follow_up / auto_close──▶ closed
//      ▲  │                 │  ▲                                                       │
//      │  └────return──┐    │  └─extension request / decision                           │
//      │               ▼    ▼                                                          │
//      └──reroute── returned ◀──return── reopened ◀──────────────reopen─────────────────┘
//
// - `reopened` behaves like `accepted`: notes, return, extension and resolve are allowed; the
//   completion clock restarts at the reopening.
// - `return` puts the referral in its division coordinator's hands (after the second return, the
//   provincial coordinator's). `reroute` sends it to a department and division as a new referral:
//   status `referred` with a fresh sign-for deadline. After two returns the reroute is the
//   provincial coordinator's final decision (终审): `rerouted`, or `upheld` when she sends it back to
//   the department that returned it; no further return is possible after it.
// - Every successful transition raises `version` by one. The caller stores the result with a
//   conditional write on the version it read.
// Which actions exist, the states they start from and the events they write: catalogue.ts.
// Authorization is not checked here (see shared/domain/access/policy.ts).
import { toDate } from '../deadlines/cst.js';
import { STATUS_LABELS } from '../labels.js';
import type { ReferralDepartment } from '../model.js';
import type { Jurisdiction } from '../routing/routing.js';
import {
  MAX_EXTENSION_WORKING_DAYS,
  MAX_TEXT_LENGTH,
  OUTCOMES,
  RETURN_REASONS,
  RETURNS_BEFORE_FINAL_DECISION,
  type EscalationKind,
  type EscalationLevel,
  type EventActor,
  type LifecycleClock,
  type ReferralStatus,
  type TrackedReferral,
} from './referral.js';
import { ALLOWED_FROM, EVENT_TYPES, preconditionOf, STAFF_ACTIONS, type StaffActionType, type StaffCommand } from './catalogue.js';

export interface RouteTarget {
  department: ReferralDepartment;
  divisionCode: string;
  jurisdiction: Jurisdiction;
}

/**
 * What applyAction takes: the staff commands of the catalogue, with a re-route's target resolved
 * (department, division and its level), and the system's own actions.
 */
export type LifecycleAction = Exclude<StaffCommand, { type: 'reroute' }> | { type: 'reroute'; to: RouteTarget } | { type: 'escalate' } | { type: 'auto_close' };

export interface TransitionContext {
  now: Date;
  actor: EventActor;
  clock: LifecycleClock;
}

export type TransitionErrorCode =
  /** The action does not apply in the referral's current state (HTTP 409). */
  | 'invalid_state'
  /** The action's input breaks a rule (HTTP 400, with the field). */
  | 'invalid_input'
  /** escalate / auto_close: nothing is due yet. */
  | 'not_due';

export type TransitionResult =
  { ok: true; referral: TrackedReferral; event: { type: string; details: Record<string, unknown> } } | { ok: false; code: TransitionErrorCode; message: string; field?: string };

const invalidState = (message: string): TransitionResult => ({ ok: false, code: 'invalid_state', message });
const invalidInput = (field: string, message: string): TransitionResult => ({ ok: false, code: 'invalid_input', field, message });

/** Removes the given optional fields. */
function without(r: TrackedReferral, ...keys: (keyof TrackedReferral)[]): TrackedReferral {
  const copy: Record<string, unknown> = { ...r };
  for (const k of keys) delete copy[k];
  return copy as unknown as TrackedReferral;
}

const resetEscalation = (r: TrackedReferral): TrackedReferral => ({ ...without(r, 'escalatedAt', 'escalationKind'), escalationLevel: 0 });

/** Clears what belongs to a completion clock (acceptance, extensions). */
const clearWork = (r: TrackedReferral) => without(r, 'acceptedAt', 'acceptedBy', 'signedForOnTime', 'completionStartedAt', 'pendingExtension', 'approvedExtensionDays');

/** Clears what belongs to a resolution and closure. */
const clearResolution = (r: TrackedReferral) => without(r, 'resolvedAt', 'outcome', 'resolvedOnTime', 'autoCloseAt', 'closedAt', 'closedBy', 'followUp');

const textProblem = (value: string | undefined, field: string, required: boolean): TransitionResult | null => {
  const t = value?.trim() ?? '';
  if (required && t === '') return invalidInput(field, '不能为空 (required)');
  if (t.length > MAX_TEXT_LENGTH) return invalidInput(field, `不能超过 ${MAX_TEXT_LENGTH} 字 (at most ${MAX_TEXT_LENGTH} characters)`);
  return null;
};

/** The deadline escalation currently watches: sign-for until accepted, then completion. */
export function escalationTrack(r: TrackedReferral): { kind: EscalationKind; deadline: string } | null {
  if (r.status === 'referred' || r.status === 'returned') return { kind: 'sign_for', deadline: r.signForBy };
  if ((r.status === 'accepted' || r.status === 'reopened') && r.completeBy) return { kind: 'completion', deadline: r.completeBy };
  return null;
}

export const ESCALATION_LABELS: Record<1 | 2 | 3, { label: string; notify: string }> = {
  1: { label: '提醒 (reminder)', notify: 'on_duty_caseworkers' },
  2: { label: '督办 (supervisor)', notify: 'supervisor' },
  3: { label: '督办（省级） (provincial coordinator)', notify: 'provincial_coordinator' },
};

/**
 * Applies one action to a referral. Pure: the same inputs give the same result. On success the
 * returned referral has version + 1 and the event to record (free text only in the event details).
 */
export function applyAction(r: TrackedReferral, action: LifecycleAction, ctx: TransitionContext): TransitionResult {
  if (!ALLOWED_FROM[action.type].includes(r.status)) {
    if (action.type === 'escalate' || action.type === 'auto_close') return { ok: false, code: 'not_due', message: `nothing to do in status ${r.status}` };
    return invalidState(`${STATUS_LABELS[r.status]}的转介不能${STAFF_ACTIONS[action.type as StaffActionType].label} (cannot ${action.type.replace('_', ' ')} a referral that is ${r.status})`);
  }
  const precondition = preconditionOf(action.type);
  if (precondition && !precondition.test(r)) return invalidState(precondition.message);
  const at = ctx.now.toISOString();
  const urgency = r.urgency;
  let next: TrackedReferral;
  let details: Record<string, unknown> = {};

  switch (action.type) {
    case 'accept': {
      const completeBy = ctx.clock.completeBy(ctx.now, urgency, 0).toISOString();
      const signedForOnTime = ctx.now.getTime() <= toDate(r.signForBy).getTime();
      next = resetEscalation({
        ...r,
        status: 'accepted',
        acceptedAt: at,
        acceptedBy: ctx.actor.id,
        signedForOnTime,
        completionStartedAt: at,
        approvedExtensionDays: 0,
        completeBy,
      });
      details = { completeBy, signedForOnTime };
      break;
    }
    case 'note': {
      const problem = textProblem(action.text, 'text', true);
      if (problem) return problem;
      next = { ...r };
      details = { text: action.text.trim(), status: r.status };
      break;
    }
    case 'return': {
      if (!RETURN_REASONS.includes(action.reason)) return invalidInput('reason', `须为 ${RETURN_REASONS.join(' / ')} 之一`);
      const problem = textProblem(action.note, 'note', true);
      if (problem) return problem;
      const returnCount = (r.returnCount ?? 0) + 1;
      const signForBy = ctx.clock.signForBy(ctx.now, urgency).toISOString();
      next = resetEscalation({
        ...clearWork(r),
        status: 'returned',
        returnCount,
        returnedAt: at,
        returnedBy: { department: r.department, divisionCode: r.divisionCode },
        returnReason: action.reason,
        completeBy: null,
        signForBy,
      });
      details = {
        reason: action.reason,
        note: action.note.trim(),
        returnCount,
        from: { department: r.department, divisionCode: r.divisionCode, status: r.status },
        decidedBy: returnCount >= RETURNS_BEFORE_FINAL_DECISION ? 'provincial_coordinator' : 'division_coordinator',
        rerouteBy: signForBy,
      };
      break;
    }
    case 'reroute': {
      const to = action.to;
      const same = to.department === r.department && to.divisionCode === r.divisionCode;
      const final = r.status === 'returned' && (r.returnCount ?? 0) >= RETURNS_BEFORE_FINAL_DECISION;
      if (same && r.status === 'referred') return invalidInput('department', '改派目标与当前相同 (the referral is already there)');
      const signForBy = ctx.clock.signForBy(ctx.now, urgency).toISOString();
      next = resetEscalation({
        ...clearWork(r),
        status: 'referred',
        department: to.department,
        divisionCode: to.divisionCode,
        jurisdiction: to.jurisdiction,
        coDepartments: r.coDepartments.filter((d) => d !== to.department),
        reroutedAt: at,
        signForBy,
        completeBy: null,
      });
      details = {
        from: { department: r.department, divisionCode: r.divisionCode },
        to: { department: to.department, divisionCode: to.divisionCode, jurisdiction: to.jurisdiction },
        signForBy,
      };
      if (final) {
        const upheld = r.returnedBy !== undefined && r.returnedBy.department === to.department && r.returnedBy.divisionCode === to.divisionCode;
        next.finalDecision = upheld ? 'upheld' : 'rerouted';
        details.finalDecision = next.finalDecision;
      } else if (same) {
        details.sentBack = true;
      }
      break;
    }
    case 'request_extension': {
      if (!Number.isInteger(action.workingDays) || action.workingDays < 1 || action.workingDays > MAX_EXTENSION_WORKING_DAYS) {
        return invalidInput('workingDays', `须为 1 到 ${MAX_EXTENSION_WORKING_DAYS} 的整数 (a whole number from 1 to ${MAX_EXTENSION_WORKING_DAYS})`);
      }
      const problem = textProblem(action.reason, 'reason', true);
      if (problem) return problem;
      next = { ...r, pendingExtension: { workingDays: action.workingDays, requestedAt: at, requestedBy: ctx.actor.id } };
      details = { workingDays: action.workingDays, reason: action.reason.trim(), completeBy: r.completeBy };
      break;
    }
    case 'decide_extension': {
      // The catalogue's precondition made sure one is waiting.
      const pending = r.pendingExtension!;
      if (!action.approve) {
        next = without(r, 'pendingExtension');
        details = { approve: false, workingDays: pending.workingDays, completeBy: r.completeBy };
        break;
      }
      const approvedExtensionDays = (r.approvedExtensionDays ?? 0) + pending.workingDays;
      const completeBy = ctx.clock.completeBy(r.completionStartedAt ?? r.acceptedAt ?? at, urgency, approvedExtensionDays).toISOString();
      next = resetEscalation({ ...without(r, 'pendingExtension'), approvedExtensionDays, completeBy });
      details = { approve: true, workingDays: pending.workingDays, approvedExtensionDays, previousCompleteBy: r.completeBy, completeBy };
      break;
    }
    case 'resolve': {
      if (!OUTCOMES.includes(action.outcome)) return invalidInput('outcome', `须为 ${OUTCOMES.join(' / ')} 之一`);
      if (action.outcome !== 'service_provided') {
        const problem = textProblem(action.reason, 'reason', true);
        if (problem) return { ...problem, message: `结果不是 service_provided 时须填写原因 (a reason is required unless the outcome is service_provided)` } as TransitionResult;
      } else {
        const problem = textProblem(action.reason, 'reason', false);
        if (problem) return problem;
      }
      const problem = textProblem(action.summary, 'summary', true);
      if (problem) return problem;
      const resolvedOnTime = r.completeBy ? ctx.now.getTime() <= toDate(r.completeBy).getTime() : true;
      const autoCloseAt = ctx.clock.autoCloseAt(ctx.now).toISOString();
      next = resetEscalation({ ...without(r, 'pendingExtension'), status: 'resolved', resolvedAt: at, outcome: action.outcome, resolvedOnTime, autoCloseAt });
      details = { outcome: action.outcome, reason: action.reason?.trim() || undefined, summary: action.summary.trim(), resolvedOnTime, autoCloseAt };
      break;
    }
    case 'follow_up': {
      const s = action.satisfaction;
      if (action.reached && s === undefined) return invalidInput('satisfaction', '回访接通时须记录满意度 1–5 (satisfaction 1–5 is required when she was reached)');
      if (!action.reached && s !== undefined) return invalidInput('satisfaction', '未接通时不能记录满意度 (no satisfaction when she was not reached)');
      if (s !== undefined && (!Number.isInteger(s) || s < 1 || s > 5)) return invalidInput('satisfaction', '满意度须为 1 到 5 的整数 (a whole number from 1 to 5)');
      const followUp = action.reached ? { reached: true, satisfaction: s, at } : { reached: false, at };
      next = { ...r, status: 'closed', closedAt: at, closedBy: 'follow_up', followUp };
      details = { reached: action.reached, satisfaction: s };
      break;
    }
    case 'reopen': {
      const problem = textProblem(action.note, 'note', true);
      if (problem) return problem;
      const completeBy = ctx.clock.completeBy(ctx.now, urgency, 0).toISOString();
      next = resetEscalation({
        ...clearResolution(without(r, 'pendingExtension')),
        status: 'reopened',
        reopenedAt: at,
        reopenCount: (r.reopenCount ?? 0) + 1,
        completionStartedAt: at,
        approvedExtensionDays: 0,
        completeBy,
      });
      details = { note: action.note.trim(), completeBy, previous: { outcome: r.outcome, closedBy: r.closedBy } };
      break;
    }
    case 'escalate': {
      const track = escalationTrack(r);
      if (!track) return { ok: false, code: 'not_due', message: 'no deadline to escalate' };
      const current = (r.escalationLevel ?? 0) as EscalationLevel;
      const reached = ctx.clock.escalationLevelAt(track.deadline, urgency, ctx.now);
      if (reached <= current) return { ok: false, code: 'not_due', message: `level ${current} already reached` };
      const level = (current + 1) as 1 | 2 | 3;
      const dueAt = ctx.clock.escalationTimes(track.deadline, urgency)[level - 1]!.toISOString();
      next = { ...r, escalationLevel: level, escalatedAt: at, escalationKind: track.kind };
      details = { level, kind: track.kind, deadline: track.deadline, dueAt, status: r.status, ...ESCALATION_LABELS[level] };
      break;
    }
    case 'auto_close': {
      if (!r.autoCloseAt || ctx.now.getTime() <= toDate(r.autoCloseAt).getTime()) return { ok: false, code: 'not_due', message: 'auto-close not due yet' };
      next = { ...r, status: 'closed', closedAt: at, closedBy: 'auto' };
      details = { autoCloseAt: r.autoCloseAt, resolvedAt: r.resolvedAt };
      break;
    }
  }

  next.version = r.version + 1;
  next.updatedAt = at;
  return { ok: true, referral: next, event: { type: EVENT_TYPES[action.type], details } };
}

/** The staff actions whose catalogue entry starts from a status (preconditions aside). */
export function actionsFrom(status: ReferralStatus): StaffActionType[] {
  return (Object.keys(STAFF_ACTIONS) as StaffActionType[]).filter((a) => STAFF_ACTIONS[a].from.includes(status));
}
