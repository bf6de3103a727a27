// Use case: a member of staff lists her queue (GET /referrals), most urgent first, then by deadline.
// Queue items carry no personal data (no name, phone, address or narrative), so listing a queue is
// not a read of a case; reading a case is (see view-case.ts).
import { resolveQueue, type QueueRequest, type QueueTarget } from '../../domain/access/policy.js';
import type { TrackedReferral } from '../../domain/lifecycle/index.js';
import { eventActorOf, type StaffMember } from './actions.js';
import { eventOf } from './change.js';
import { AccessDeniedError, InvalidInputError } from './errors.js';
import type { ReferralDependencies } from './ports.js';

export interface QueueQuery extends QueueRequest {
  cursor?: string;
  limit: number;
}

export interface QueueItem {
  referralId: string;
  caseId: string;
  reference: string;
  need: string;
  department: string;
  coDepartments: string[];
  divisionCode: string;
  jurisdiction: string;
  urgency: string;
  status: string;
  signForBy: string;
  completeBy: string | null;
  autoCloseAt?: string;
  returnCount: number;
  escalationLevel: number;
  pendingExtension: boolean;
  version: number;
  casePath: string;
}

export interface QueueResult {
  queue: QueueTarget;
  items: QueueItem[];
  cursor: string | null;
}

export const queueItemOf = (r: TrackedReferral): QueueItem => ({
  referralId: r.referralId,
  caseId: r.caseId,
  reference: r.reference,
  need: r.need,
  department: r.department,
  coDepartments: r.coDepartments,
  divisionCode: r.divisionCode,
  jurisdiction: r.jurisdiction,
  urgency: r.urgency,
  status: r.status,
  signForBy: r.signForBy,
  completeBy: r.completeBy,
  autoCloseAt: r.autoCloseAt,
  returnCount: r.returnCount ?? 0,
  escalationLevel: r.escalationLevel ?? 0,
  pendingExtension: r.pendingExtension !== undefined,
  version: r.version,
  casePath: `/cases/${r.caseId}`,
});

export async function listQueue(deps: ReferralDependencies, staff: StaffMember, query: QueueQuery): Promise<QueueResult> {
  const decision = resolveQueue(staff, query);
  if (!decision.allowed) {
    if (decision.reason === 'department_required') throw new InvalidInputError('department', '回访队列须指定部门 (the follow-up queue needs ?department=)');
    // No case is involved: the refusal goes to the day's audit partition.
    await deps.store.recordEvent(
      eventOf(deps, {
        caseId: '',
        at: deps.now().toISOString(),
        type: 'access_denied',
        actor: eventActorOf(staff),
        details: { action: 'list_queue', reason: decision.reason, status: query.status, department: query.department, divisionCode: query.divisionCode },
      }),
    );
    throw new AccessDeniedError(decision.reason);
  }
  const q = decision.queue;
  const page = q.kind === 'all_open' ? await deps.store.listOpenWork(divisionPrefix(q.divisionCode), query.limit, query.cursor) : await deps.store.listQueue(q, query.limit, query.cursor);
  return { queue: decision.queue, items: page.items.map(queueItemOf), cursor: page.cursor };
}

/** GB/T 2260 codes are hierarchical: 22 province, 2224 prefecture, 222403 county. */
export const divisionPrefix = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);
