// Use case: a member of staff reads a case (GET /cases/{caseId}). Every read is an audit event
// (`case_viewed`); a refused read is recorded as `access_denied`. The event is written before the
// case is returned: no audit record, no data.
import { canViewCase } from '../../domain/access/policy.js';
import { eventActorOf, type StaffMember } from './actions.js';
import { eventOf } from './change.js';
import { AccessDeniedError, ReferralNotFoundError } from './errors.js';
import type { CaseView, ReferralDependencies } from './ports.js';

export async function viewCase(deps: Pick<ReferralDependencies, 'store' | 'ids' | 'now'>, staff: StaffMember, caseId: string): Promise<CaseView> {
  const view = await deps.store.getCaseView(caseId);
  if (!view) throw new ReferralNotFoundError('case');
  const at = deps.now().toISOString();
  if (!canViewCase(staff, view.referrals, view.review)) {
    const reason = staff.role === 'coordinator' ? 'outside_division' : staff.role === 'admin' ? 'role_not_permitted' : 'not_own_department_or_division';
    await deps.store.recordEvent(eventOf(deps, { caseId, at, type: 'access_denied', actor: eventActorOf(staff), details: { action: 'view_case', reason } }));
    throw new AccessDeniedError(reason, 'case');
  }
  const event = eventOf(deps, { caseId, at, type: 'case_viewed', actor: eventActorOf(staff), details: { referralCount: view.referrals.length } });
  await deps.store.recordEvent(event);
  return { ...view, events: [...view.events, event] };
}
