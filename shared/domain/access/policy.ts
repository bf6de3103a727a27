// Who may do what to a referral. Pure: the caller passes the actor (from the verified token) and the
// referral as stored. Which role may take each lifecycle action, and in what scope, is the lifecycle
// catalogue's `roles` (shared/domain/lifecycle/catalogue.ts); this module applies it:
// "own" = the referral's department and division are the actor's; "in division" = the referral's
// division is the actor's division or lies inside it (GB/T 2260 codes are hierarchical: 22 province,
// 2224 prefecture, 222403 county). The matrix as it stands (test/unit/access/policy.test.ts holds it):
//
// | action            | caseworker | supervisor | coordinator        | provincial coord. | admin |
// |-------------------|------------|------------|--------------------|-------------------|-------|
// | view              | own        | own        | in division        | all               | all   |
// | accept            | own        | own        | –                  | –                 | –     |
// | note              | own        | own        | in division        | all               | –     |
// | return            | own        | own        | –                  | –                 | –     |
// | reroute           | –          | –          | in division (1)    | all               | –     |
// | request_extension | own        | own        | –                  | –                 | –     |
// | decide_extension  | –          | own        | –                  | –                 | –     |
// | resolve           | own        | own        | –                  | –                 | –     |
// | follow_up         | own        | own        | –                  | –                 | –     |
// | reopen            | own        | own        | in division        | all               | –     |
//
// (1) not after two returns, when the decision is the provincial coordinator's (终审); and only to a
//     division inside her own.
// The provincial coordinator is a coordinator whose division is the province (220000); she may do
// whatever a coordinator may, anywhere. Admins only read.
// Anything else is denied; the caller answers 403 and records the attempt.
import { STAFF_ACTION_TYPES, STAFF_ACTIONS, type RoleScope, type StaffActionType, type StaffRole } from '../lifecycle/catalogue.js';
import { RETURNS_BEFORE_FINAL_DECISION } from '../lifecycle/referral.js';
import type { QueueRef } from '../lifecycle/placement.js';
import { PROVINCE_CODE, type ActorRole } from '../model.js';

export { ROLES, type ActorRole } from '../model.js';

export interface Actor {
  role: ActorRole;
  /** Her department; null for coordinators and admins who act across departments. */
  department: string | null;
  /** Her division (GB/T code); the province code for provincial staff. */
  divisionCode: string | null;
}

/** Viewing, and every staff action of the lifecycle catalogue. */
export type ReferralAction = 'view' | StaffActionType;
export const REFERRAL_ACTIONS: readonly ReferralAction[] = ['view', ...STAFF_ACTION_TYPES];

export interface ReferralScope {
  department: string;
  divisionCode: string;
  returnCount?: number;
}

export type DenyReason = 'role_not_permitted' | 'not_own_department_or_division' | 'outside_division' | 'final_decision_is_provincial' | 'target_outside_division' | 'queue_not_permitted';

export type Decision = { allowed: true } | { allowed: false; reason: DenyReason };

const ALLOW: Decision = { allowed: true };
const deny = (reason: DenyReason): Decision => ({ allowed: false, reason });

/** True when `code` is `ancestor` or lies inside it, by the GB/T 2260 code structure. */
export function divisionWithin(code: string, ancestor: string): boolean {
  if (!/^\d{6}$/.test(code) || !/^\d{6}$/.test(ancestor)) return false;
  if (ancestor.endsWith('0000')) return code.startsWith(ancestor.slice(0, 2));
  if (ancestor.endsWith('00')) return code.startsWith(ancestor.slice(0, 4));
  return code === ancestor;
}

export const isProvincialCoordinator = (a: Actor) => a.role === 'coordinator' && a.divisionCode === PROVINCE_CODE;
/** Sees everything: admins and the provincial coordinator. */
export const isProvincial = (a: Actor) => a.role === 'admin' || isProvincialCoordinator(a);

const isOwn = (a: Actor, r: ReferralScope) => a.department !== null && a.divisionCode !== null && a.department === r.department && a.divisionCode === r.divisionCode;
const inDivision = (a: Actor, r: ReferralScope) => a.divisionCode !== null && divisionWithin(r.divisionCode, a.divisionCode);

/** Viewing is not a lifecycle action: each role sees what its scope covers (admins: everything). */
const VIEW_SCOPE: Record<StaffRole, RoleScope> = { caseworker: 'own', supervisor: 'own', coordinator: 'in_division' };

/**
 * May the actor do this to the referral? For `reroute`, `target` is where she wants to send it.
 * The referral's state (is it in a status where the action applies?) is the lifecycle's concern.
 */
export function authorize(actor: Actor, action: ReferralAction, referral: ReferralScope, target?: { divisionCode: string }): Decision {
  if (actor.role === 'admin') return action === 'view' ? ALLOW : deny('role_not_permitted');
  if (actor.role !== 'caseworker' && actor.role !== 'supervisor' && actor.role !== 'coordinator') return deny('role_not_permitted');
  const scope = action === 'view' ? VIEW_SCOPE[actor.role] : STAFF_ACTIONS[action].roles[actor.role];
  if (scope === undefined) return deny('role_not_permitted');
  if (scope === 'own') return isOwn(actor, referral) ? ALLOW : deny('not_own_department_or_division');
  if (isProvincialCoordinator(actor)) return ALLOW;
  if (!inDivision(actor, referral)) return deny('outside_division');
  if (action === 'reroute') {
    if ((referral.returnCount ?? 0) >= RETURNS_BEFORE_FINAL_DECISION) return deny('final_decision_is_provincial');
    if (target && !divisionWithin(target.divisionCode, actor.divisionCode!)) return deny('target_outside_division');
  }
  return ALLOW;
}

/**
 * A case is visible to whoever may view one of its referrals, and to the coordinators and
 * supervisors who may decide its danger review; a case with neither only to provincial staff.
 */
export function canViewCase(actor: Actor, referrals: readonly ReferralScope[], review?: { divisionCode: string }): boolean {
  // One rule for "may see it" and "how much of it": the need-to-know table below.
  return (
    caseViewScope(
      actor,
      referrals.map((r, i) => ({ ...r, seq: i + 1 })),
      review,
    ).kind !== 'none'
  );
}

// ---- What a case view shows (need to know) ---------------------------------------------------
//
// | part of the case                           | department (1) | review decider (2) | coordinator in division | provincial coord. / admin |
// |--------------------------------------------|----------------|--------------------|-------------------------|---------------------------|
// | intake: her words, person, contact, place  | yes            | yes                | yes                     | yes                       |
// | classification and its explanation         | yes            | yes                | yes                     | yes                       |
// | its own referral(s), whole                 | yes            | –                  | –                       | –                         |
// | the other referrals                        | status, dept.  | status, dept.      | whole                   | whole                     |
// | events and notes of its own referral(s)    | yes            | –                  | –                       | –                         |
// | events and notes of the other referrals    | no             | no                 | yes                     | yes                       |
// | case events (created, review, reclassified)| yes            | yes                | yes                     | yes                       |
// | the audit of reads and refusals            | no             | no                 | yes                     | yes                       |
// | the danger review                          | yes            | yes                | yes                     | yes                       |
//
// (1) a caseworker or supervisor of a department the case is referred to, in that referral's division.
// (2) a supervisor who sees the case only because she may decide its danger review in her division.
// A department works with her; it does not need to read what another department noted about her.

/** Event types that record who read or was refused: the audit, for coordinators and provincial staff. */
export const AUDIT_EVENT_TYPES: readonly string[] = ['case_viewed', 'access_denied'];

export type CaseViewScope =
  /** Everything (coordinators in division, provincial staff). */
  | { kind: 'whole' }
  /** The intake and case events; whole referrals (and their events) only for the seqs listed; others as status and department. */
  | { kind: 'department'; own: readonly number[] }
  | { kind: 'none' };

/** How much of a case the actor sees (the table above). */
export function caseViewScope(actor: Actor, referrals: readonly (ReferralScope & { seq: number })[], review?: { divisionCode: string }): CaseViewScope {
  if (isProvincial(actor)) return { kind: 'whole' };
  if (actor.role === 'coordinator') {
    if (referrals.some((r) => authorize(actor, 'view', r).allowed)) return { kind: 'whole' };
    if (review && authorizeCaseAction(actor, 'decide_review', review).allowed) return { kind: 'whole' };
    return { kind: 'none' };
  }
  const own = referrals.filter((r) => authorize(actor, 'view', r).allowed).map((r) => r.seq);
  if (own.length > 0) return { kind: 'department', own };
  if (review && authorizeCaseAction(actor, 'decide_review', review).allowed) return { kind: 'department', own: [] };
  return { kind: 'none' };
}

// ---- Case-level actions --------------------------------------------------------------------
//
// | action          | caseworker | supervisor   | coordinator  | provincial coord. | admin |
// |-----------------|------------|--------------|--------------|-------------------|-------|
// | decide_review   | –          | in division  | in division  | all               | –     |
// | reclassify      | –          | –            | in division  | all               | –     |
//
// "in division": the case's division (and, for a reclassification, the new one) lies inside hers.

export const CASE_ACTIONS = ['decide_review', 'reclassify'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export function authorizeCaseAction(actor: Actor, action: CaseAction, scope: { divisionCode: string }, target?: { divisionCode: string | null }): Decision {
  if (isProvincialCoordinator(actor)) return ALLOW;
  const roles: Record<CaseAction, readonly ActorRole[]> = { decide_review: ['supervisor', 'coordinator'], reclassify: ['coordinator'] };
  if (!roles[action].includes(actor.role)) return deny('role_not_permitted');
  if (actor.divisionCode === null || !divisionWithin(scope.divisionCode, actor.divisionCode)) return deny('outside_division');
  if (target && (target.divisionCode === null || !divisionWithin(target.divisionCode, actor.divisionCode))) return deny('target_outside_division');
  return ALLOW;
}

// ---- Queues --------------------------------------------------------------------------------

export type QueueStatus = 'open' | 'followup';

export interface QueueRequest {
  status: QueueStatus;
  department?: string;
  divisionCode?: string;
  /** `all`: every open referral of the division (coordinators and admins), by next deadline; `returned`: the referrals returned to the division's coordinator. */
  scope?: 'all' | 'returned';
}

/** The queues the lifecycle places referrals in, and the open work of a whole division. */
export type QueueTarget = QueueRef | { kind: 'all_open'; divisionCode: string };

export type QueueDecision = { allowed: true; queue: QueueTarget } | { allowed: false; reason: DenyReason } | { allowed: false; reason: 'department_required' };

/**
 * Which queue a `GET /referrals` shows. Caseworkers and supervisors: their department × division
 * (open work, or resolved referrals awaiting the follow-up call). Coordinators: their division's
 * coordinator queue (returned referrals to re-route), or with ?department= a department's queue of
 * a division inside theirs, or with ?scope=all every open referral of a division inside theirs.
 * Provincial coordinator and admin: any queue; by default all open work of the province.
 */
export function resolveQueue(actor: Actor, req: QueueRequest): QueueDecision {
  const withDepartment = (department: string, divisionCode: string): QueueTarget =>
    req.status === 'followup' ? { kind: 'followup', department, divisionCode } : { kind: 'department', department, divisionCode };
  switch (actor.role) {
    case 'caseworker':
    case 'supervisor': {
      const department = req.department ?? actor.department;
      const divisionCode = req.divisionCode ?? actor.divisionCode;
      if (req.scope) return { allowed: false, reason: 'queue_not_permitted' };
      if (!department || !divisionCode || department !== actor.department || divisionCode !== actor.divisionCode) {
        return { allowed: false, reason: 'queue_not_permitted' };
      }
      return { allowed: true, queue: withDepartment(department, divisionCode) };
    }
    case 'coordinator':
    case 'admin': {
      const home = actor.divisionCode ?? (actor.role === 'admin' ? PROVINCE_CODE : null);
      if (!home) return { allowed: false, reason: 'queue_not_permitted' };
      const divisionCode = req.divisionCode ?? home;
      if (!isProvincial(actor) && !divisionWithin(divisionCode, home)) return { allowed: false, reason: 'outside_division' };
      // The province's staff start from all open work, not from the (usually empty) queue of referrals returned to the province.
      const allByDefault = isProvincial(actor) && !req.department && req.status === 'open' && req.scope !== 'returned';
      if (req.scope === 'all' || allByDefault) return { allowed: true, queue: { kind: 'all_open', divisionCode } };
      if (req.scope === 'returned') return { allowed: true, queue: { kind: 'coordinator', divisionCode } };
      if (req.department) return { allowed: true, queue: withDepartment(req.department, divisionCode) };
      if (req.status === 'followup') return { allowed: false, reason: 'department_required' };
      return { allowed: true, queue: { kind: 'coordinator', divisionCode } };
    }
    default:
      return { allowed: false, reason: 'role_not_permitted' };
  }
}
