// A referral as the intake creates it, and the real deadline policy (data/holidays, data/sla.json).
import type { TrackedReferral } from '../../shared/domain/lifecycle/index.js';
import type { Urgency } from '../../shared/domain/model.js';
import { cst, policy } from './deadline-helpers.js';

export { cst, policy };

export const CASE_ID = '01KB0000000000000000000000';

export function referral(over: Partial<TrackedReferral> & { urgency?: Urgency; referredAt?: string } = {}): TrackedReferral {
  const referredAt = over.referredAt ?? cst('2025-09-30 19:00').toISOString();
  const urgency = over.urgency ?? 'routine';
  return {
    referralId: `${CASE_ID}-1`,
    caseId: CASE_ID,
    reference: '250930-ABCDEF',
    seq: 1,
    need: 'legal_aid',
    department: 'justice',
    coDepartments: ['womens_federation', 'civil_affairs'],
    divisionCode: '222403',
    jurisdiction: 'county',
    urgency,
    status: 'referred',
    referredAt,
    signForBy: policy.signForBy(referredAt, urgency).toISOString(),
    completeBy: null,
    consentOverride: false,
    version: 1,
    ...over,
  };
}

export const caseworker = { id: 'cw-1', role: 'caseworker', department: 'justice', divisionCode: '222403' };
