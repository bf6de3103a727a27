// Use case: a member of staff reads a case (GET /cases/{caseId}). Every read is an audit event
// (`case_viewed`); a refused read is recorded as `access_denied`. The event is written before the
// case is returned: no audit record, no data. What she sees of it follows the need-to-know table of
// shared/domain/access/policy.ts: a department sees its own referrals whole and the others as
// status and department only.
import { AUDIT_EVENT_TYPES, caseViewScope, type CaseViewScope } from '../../domain/access/policy.js';
import type { PriorContact } from '../../domain/case/contact-links.js';
import { authorizeLedger } from '../../domain/ledger/access.js';
import type { TrackedReferral } from '../../domain/lifecycle/index.js';
import { eventActorOf, type StaffMember } from './actions.js';
import { eventOf } from './change.js';
import { AccessDeniedError, ReferralNotFoundError } from './errors.js';
import type { CaseView, ReferralDependencies } from './ports.js';

/** Another department's referral, as a department sees it. */
export interface ReferralSummary {
  referralId: string;
  seq: number;
  department: TrackedReferral['department'];
  status: TrackedReferral['status'];
  /** Marks a summary: the rest of the referral is not hers to read. */
  restricted: true;
}

/** Another case of the same number (earlier or later) that she may also see: when, where from, how it stands; never what was said. */
export interface LinkedCaseSummary extends PriorContact {
  status: CaseView['case']['status'];
}

export interface StaffCaseView extends Omit<CaseView, 'referrals'> {
  referrals: (TrackedReferral | ReferralSummary)[];
  /** The other cases of her number that the reader may see, newest first (absent: none, or the case is not linked). */
  linkedCases?: LinkedCaseSummary[];
}

/** How many cases of one number a case view looks at. */
export const LINKED_CASES_SHOWN = 20;

/**
 * Her history as this reader may see it: the other cases under the case's keyed hashes that she
 * could open herself (the same need-to-know rule), and her ledger entry's id only for those who
 * read the ledger in the case's division (the ledger API checks again). Link ids she may not see are dropped.
 */
async function historyFor(deps: Pick<ReferralDependencies, 'store'>, staff: StaffMember, view: StaffCaseView): Promise<StaffCaseView> {
  const c = view.case;
  const keys = c.contactKeys ?? [];
  const found = new Map<string, PriorContact>();
  for (const match of await Promise.all(keys.map((key) => deps.store.findContacts(key, LINKED_CASES_SHOWN + 1)))) for (const p of match.prior) if (p.caseId !== c.caseId) found.set(p.caseId, p);
  // Each linked case's referrals decide whether she may see it: read together, not one after another.
  const newest = [...found.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, LINKED_CASES_SHOWN);
  const states = await Promise.all(newest.map((p) => deps.store.loadCaseState(p.caseId)));
  const linkedCases: LinkedCaseSummary[] = newest.flatMap((p, i) => {
    const state = states[i];
    return state && caseViewScope(staff, state.referrals, state.review).kind !== 'none' ? [{ ...p, status: state.case.status }] : [];
  });
  if (keys.length === 0 && !c.links) return view;
  const visible = new Set(linkedCases.map((l) => l.caseId));
  const division = c.classification.divisionCode ?? c.location.divisionCode;
  const readsLedger = !!division && authorizeLedger(staff, 'read', { divisionCode: division }).allowed;
  const links = c.links
    ? {
        ...(c.links.personId && readsLedger ? { personId: c.links.personId } : {}),
        priorCaseIds: c.links.priorCaseIds.filter((id) => visible.has(id)),
        priorCases: c.links.priorCases.filter((_, i) => visible.has(c.links!.priorCaseIds[i]!)),
        repeat: c.links.repeat,
        ...(c.links.repeatOf && visible.has(c.links.repeatOf) ? { repeatOf: c.links.repeatOf } : {}),
      }
    : undefined;
  const { contactKeys: _keys, links: _links, ...rest } = c;
  return { ...view, case: { ...rest, ...(links ? { links } : {}) }, linkedCases };
}

/** The part of a case a scope shows (pure). */
export function visiblePart(view: CaseView, scope: CaseViewScope): StaffCaseView {
  if (scope.kind === 'whole') return view;
  if (scope.kind === 'none') throw new Error('nothing of the case is visible');
  const own = new Set(scope.own);
  const ownIds = new Set(view.referrals.filter((r) => own.has(r.seq)).map((r) => r.referralId));
  return {
    ...view,
    referrals: view.referrals.map((r) => (own.has(r.seq) ? r : { referralId: r.referralId, seq: r.seq, department: r.department, status: r.status, restricted: true as const })),
    events: view.events.filter((e) => (e.referralId ? ownIds.has(e.referralId) : !AUDIT_EVENT_TYPES.includes(e.type))),
  };
}

export async function viewCase(deps: Pick<ReferralDependencies, 'store' | 'ids' | 'now'>, staff: StaffMember, caseId: string): Promise<StaffCaseView> {
  const view = await deps.store.getCaseView(caseId);
  if (!view) throw new ReferralNotFoundError('case');
  const at = deps.now().toISOString();
  const scope = caseViewScope(staff, view.referrals, view.review);
  if (scope.kind === 'none') {
    const reason = staff.role === 'coordinator' ? 'outside_division' : staff.role === 'admin' ? 'role_not_permitted' : 'not_own_department_or_division';
    await deps.store.recordEvent(eventOf(deps, { caseId, at, type: 'access_denied', actor: eventActorOf(staff), details: { action: 'view_case', reason } }));
    throw new AccessDeniedError(reason, 'case');
  }
  const event = eventOf(deps, { caseId, at, type: 'case_viewed', actor: eventActorOf(staff), details: { referralCount: view.referrals.length } });
  await deps.store.recordEvent(event);
  const visible = await historyFor(deps, staff, visiblePart(view, scope));
  // Her own read is shown to her (it is her act, not someone else's audit trail).
  return { ...visible, events: [...visible.events, event] };
}
