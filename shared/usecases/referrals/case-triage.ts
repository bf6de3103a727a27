// Use cases: a person decides a danger review (POST /cases/{caseId}/danger-review) or corrects a
// case's classification (POST /cases/{caseId}/classification). Read → authorize (a refusal is
// recorded) → plan (pure) → one atomic change of the case, its review, its referrals and the events.
// A confirmed review raises the case and its open referrals to emergency, which the notifier texts
// as any emergency; a reclassification adds referrals for added needs, cancels the open ones of
// removed needs and re-routes on a new division. Both leave a labelled correction for the
// classifier's regression sets.
import { authorizeCaseAction, canViewCase, isProvincial, type CaseAction, type DenyReason } from '../../domain/access/policy.js';
import type { Classification } from '../../domain/classification/types.js';
import { planReclassification, type ClassificationTarget, type ReclassificationPlan } from '../../domain/case/reclassification.js';
import { caseStatusAfter, dueOf, purgeAtOf, queueOf, DEFAULT_CLOSED_CASE_RETENTION_DAYS, type EventActor } from '../../domain/lifecycle/index.js';
import { decideReview, type DangerReview } from '../../domain/triage/danger-review.js';
import { NEEDS, PROVINCE_CODE } from '../../domain/model.js';
import { eventActorOf, type StaffMember } from './actions.js';
import { divisionPrefix } from './queue.js';
import { eventOf } from './change.js';
import { readOnce, type Deferred } from './deferred.js';
import { AccessDeniedError, ConcurrentChangeError, InvalidInputError, InvalidTransitionError, ReferralNotFoundError } from './errors.js';
import type { CaseChange, CaseState, CorrectionRecord, ReferralDependencies, ReferralEvent } from './ports.js';

const MAX_ATTEMPTS = 4;
export const MAX_REASON_LENGTH = 2000;

const labelsOf = (c: Pick<Classification, 'needs' | 'urgency' | 'divisionCode'>) => ({ needs: [...c.needs], urgency: c.urgency, divisionCode: c.divisionCode ?? null });

async function deny(deps: ReferralDependencies, staff: StaffMember, state: CaseState, action: CaseAction, reason: DenyReason): Promise<never> {
  const caseId = state.case.caseId;
  await deps.store.recordEvent(eventOf(deps, { caseId, at: deps.now().toISOString(), type: 'access_denied', actor: eventActorOf(staff), details: { action, reason } }));
  // Someone who cannot see the case is told nothing more than if it did not exist.
  throw new AccessDeniedError(reason, canViewCase(staff, state.referrals, state.review) ? undefined : 'case');
}

/** The case's division for scoping: its classification's, else the review's, else the province. */
const scopeOf = (state: CaseState) => ({ divisionCode: state.case.classification.divisionCode ?? state.review?.divisionCode ?? PROVINCE_CODE });

/** Turns a plan into the atomic change: referral updates and additions with their placement, one event each. */
function changeOf(
  deps: ReferralDependencies,
  state: CaseState,
  plan: ReclassificationPlan,
  actor: EventActor,
  now: Date,
  why: Record<string, unknown>,
): Omit<CaseChange, 'events'> & { events: ReferralEvent[] } {
  const at = now.toISOString();
  const caseId = state.case.caseId;
  const events: ReferralEvent[] = [];
  for (const u of plan.updates) {
    const type = u.changes.includes('cancelled') ? 'referral_cancelled' : u.changes.includes('rerouted') ? 'rerouted' : 'urgency_changed';
    events.push(
      eventOf(deps, {
        caseId,
        at,
        type,
        actor,
        referralId: u.after.referralId,
        details: {
          changes: u.changes,
          ...why,
          from: { department: u.before.department, divisionCode: u.before.divisionCode, urgency: u.before.urgency, status: u.before.status },
          to: { department: u.after.department, divisionCode: u.after.divisionCode, urgency: u.after.urgency, status: u.after.status },
        },
      }),
    );
  }
  for (const r of plan.added) {
    events.push(
      eventOf(deps, {
        caseId,
        at,
        type: 'referral_added',
        actor,
        referralId: r.referralId,
        details: { need: r.need, department: r.department, divisionCode: r.divisionCode, urgency: r.urgency, consentOverride: r.consentOverride, ...why },
      }),
    );
  }
  const after = [...state.referrals.map((r) => plan.updates.find((u) => u.before.seq === r.seq)?.after ?? r), ...plan.added];
  const status = caseStatusAfter(state.case.status === 'not_referred' && plan.added.length > 0 ? 'open' : state.case.status, after);
  return {
    caseId,
    caseUpdate: {
      expectedRevision: state.case.revision ?? 0,
      classification: plan.classification,
      referralCount: after.length,
      ...(status === 'open' && state.case.status !== 'open' ? { reopen: true } : {}),
      ...(status === 'closed' && state.case.status !== 'closed' ? { close: { purgeAt: purgeAtOf(at, deps.closedCaseRetentionDays ?? DEFAULT_CLOSED_CASE_RETENTION_DAYS) } } : {}),
    },
    referrals: plan.updates.map((u) => ({ before: u.before, after: u.after, placement: { queue: queueOf(u.after), due: dueOf(u.after, deps.clock) } })),
    added: plan.added.map((r) => ({ referral: r, placement: { queue: queueOf(r), due: dueOf(r, deps.clock) } })),
    events,
  };
}

async function withRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError) || attempt >= MAX_ATTEMPTS) throw err;
      // Someone else changed the case meanwhile: read it again and decide on what is there now.
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 30 * attempt));
    }
  }
}

function requireRouting(deps: ReferralDependencies) {
  if (!deps.routing) throw new Error('configuration: the routing table is needed to change a classification');
  return deps.routing;
}

export interface ReviewDecision {
  confirm: boolean;
  note?: string;
}

/** Confirms (the case becomes an emergency) or dismisses a pending danger review. */
export async function decideDangerReview(deps: ReferralDependencies, staff: StaffMember, caseId: string, body: Deferred<ReviewDecision>): Promise<DangerReview> {
  const actor = eventActorOf(staff);
  const read = readOnce(body);
  return withRetries(async () => {
    const state = await deps.store.loadCaseState(caseId);
    const review = state?.review;
    if (!state) throw new ReferralNotFoundError('case');
    if (!review) {
      // No review on a case she may not see is the same answer as no case.
      if (!canViewCase(staff, state.referrals)) return deny(deps, staff, state, 'decide_review', 'outside_division');
      throw new ReferralNotFoundError('case');
    }
    const allowed = authorizeCaseAction(staff, 'decide_review', { divisionCode: review.divisionCode });
    if (!allowed.allowed) return deny(deps, staff, state, 'decide_review', allowed.reason);
    const decision = read();
    const now = deps.now();
    const decided = decideReview(review, decision, actor, now);
    if (!decided.ok) {
      if (decided.code === 'invalid_input') throw new InvalidInputError(decided.field ?? '', decided.message);
      throw new InvalidTransitionError(decided.message);
    }
    const at = now.toISOString();
    const reviewEvent = eventOf(deps, { caseId, at, type: decided.event.type, actor, details: decided.event.details });
    const before = labelsOf(state.case.classification);
    let change: CaseChange = { caseId, review: { before: review, after: decided.review, nextDueAt: null }, referrals: [], added: [], events: [reviewEvent] };
    let after = before;
    if (decision.confirm) {
      const current = state.case.classification;
      // The danger a person confirmed is acted on by the departments its cues point to (a body in
      // trouble: health; life-ending talk: psychological support; violence, threats, captivity: safety).
      const needs = NEEDS.filter((n) => current.needs.includes(n) || (review.impliedNeeds ?? []).includes(n));
      const target: ClassificationTarget = { needs, urgency: 'emergency', divisionCode: current.divisionCode };
      const plan = planReclassification({ case: state.case, referrals: state.referrals, target, source: 'review', routing: requireRouting(deps), divisions: deps.divisions, clock: deps.clock, now });
      const planned = changeOf(deps, state, plan, actor, now, { reason: 'danger_review_confirmed' });
      change = { ...planned, review: change.review, events: [reviewEvent, ...planned.events] };
      after = labelsOf(plan.classification);
    }
    const correction: CorrectionRecord = { caseId, eventId: reviewEvent.eventId, at, kind: decision.confirm ? 'review_confirmed' : 'review_dismissed', before, after };
    await deps.store.commitCaseChange({ ...change, correction });
    return decided.review;
  });
}

export interface ReclassifyCommand extends ClassificationTarget {
  reason: string;
}

export interface ReclassifyResult {
  classification: Classification;
  cancelled: string[];
  rerouted: string[];
  added: string[];
  /** Added needs not referred: she did not consent and it is not an emergency. */
  withheld: string[];
}

/** A coordinator's correction of needs, urgency and division, with what it did to the referrals. */
export async function reclassifyCase(deps: ReferralDependencies, staff: StaffMember, caseId: string, body: Deferred<ReclassifyCommand>): Promise<ReclassifyResult> {
  const actor = eventActorOf(staff);
  const read = readOnce(body);
  return withRetries(async () => {
    const state = await deps.store.loadCaseState(caseId);
    if (!state) throw new ReferralNotFoundError('case');
    // First whether she may correct this case at all, before her body is read; then the new division.
    const inScope = authorizeCaseAction(staff, 'reclassify', scopeOf(state));
    if (!inScope.allowed) return deny(deps, staff, state, 'reclassify', inScope.reason);
    const command = read();
    const allowed = authorizeCaseAction(staff, 'reclassify', scopeOf(state), { divisionCode: command.divisionCode });
    if (!allowed.allowed) return deny(deps, staff, state, 'reclassify', allowed.reason);
    const reason = command.reason.trim();
    if (reason === '') throw new InvalidInputError('reason', '须说明更正理由 (a reason is required)');
    if (reason.length > MAX_REASON_LENGTH) throw new InvalidInputError('reason', `不能超过 ${MAX_REASON_LENGTH} 字 (at most ${MAX_REASON_LENGTH} characters)`);
    if (command.divisionCode !== null && !deps.divisions.get(command.divisionCode)) throw new InvalidInputError('divisionCode', '未知的行政区划代码 (unknown division code)');
    const now = deps.now();
    const target: ClassificationTarget = { needs: [...new Set(command.needs)], urgency: command.urgency, divisionCode: command.divisionCode };
    const plan = planReclassification({ case: state.case, referrals: state.referrals, target, source: 'staff', routing: requireRouting(deps), divisions: deps.divisions, clock: deps.clock, now });
    if (plan.unchanged) throw new InvalidTransitionError('分类没有变化 (the classification is unchanged)');
    const at = now.toISOString();
    const before = labelsOf(state.case.classification);
    const after = labelsOf(plan.classification);
    const event = eventOf(deps, { caseId, at, type: 'reclassified', actor, details: { before, after, reason, withheld: plan.withheld } });
    const planned = changeOf(deps, state, plan, actor, now, { reason: 'reclassification' });
    await deps.store.commitCaseChange({
      ...planned,
      events: [event, ...planned.events],
      correction: { caseId, eventId: event.eventId, at, kind: 'reclassification', before, after },
    });
    return {
      classification: plan.classification,
      cancelled: plan.updates.filter((u) => u.changes.includes('cancelled')).map((u) => u.after.referralId),
      rerouted: plan.updates.filter((u) => u.changes.includes('rerouted')).map((u) => u.after.referralId),
      added: plan.added.map((r) => r.referralId),
      withheld: plan.withheld,
    };
  });
}

/** The pending danger reviews a person may decide, most pressing first (GET /reviews). */
export async function listPendingReviews(deps: Pick<ReferralDependencies, 'store'>, staff: StaffMember): Promise<DangerReview[]> {
  const home = staff.divisionCode;
  if (isProvincial(staff)) return deps.store.listPendingReviews(PROVINCE_CODE.slice(0, 2));
  if ((staff.role !== 'coordinator' && staff.role !== 'supervisor') || home === null) throw new AccessDeniedError('role_not_permitted');
  return deps.store.listPendingReviews(divisionPrefix(home));
}
