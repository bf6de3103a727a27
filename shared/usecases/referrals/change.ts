// Turns a successful lifecycle transition into one atomic change: the referral (conditional on the
// version read), its immutable event, the queue and due placement, and the case's status when it
// changes (closed once every referral is closed, open again when one reopens). A case that closes is
// scheduled for purging when its retention ends (closedAt + closedCaseRetentionDays).
import { caseStatusAfter, DEFAULT_CLOSED_CASE_RETENTION_DAYS, dueOf, isClosed, purgeAtOf, queueOf, type EventActor, type TrackedReferral } from '../../domain/lifecycle/index.js';
import type { LoadedCase, ReferralChange, ReferralDependencies, ReferralEvent } from './ports.js';

export function eventOf(
  deps: Pick<ReferralDependencies, 'ids'>,
  args: { caseId: string; at: string; type: string; actor: EventActor; referralId?: string; details: Record<string, unknown> },
): ReferralEvent {
  return {
    caseId: args.caseId,
    eventId: deps.ids.eventId(),
    at: args.at,
    type: args.type,
    actor: args.actor,
    referralId: args.referralId,
    details: args.details,
  };
}

export function buildChange(
  deps: Pick<ReferralDependencies, 'ids' | 'clock' | 'closedCaseRetentionDays'>,
  loaded: LoadedCase,
  before: TrackedReferral,
  after: TrackedReferral,
  event: { type: string; details: Record<string, unknown> },
  actor: EventActor,
  now: Date,
): ReferralChange {
  const at = now.toISOString();
  const siblings = loaded.referrals.filter((r) => r.seq !== before.seq);
  const status = caseStatusAfter(loaded.caseStatus, [...siblings, after]);
  // Whenever this referral enters or leaves `closed`, the case-status decision depends on every
  // sibling's status: the write also checks that none of them changed meanwhile (two last
  // referrals closing at the same time must not both see the other open).
  const closednessChanged = isClosed(before) !== isClosed(after);
  const purgeAt = status === 'closed' ? purgeAtOf(at, deps.closedCaseRetentionDays ?? DEFAULT_CLOSED_CASE_RETENTION_DAYS) : undefined;
  return {
    caseId: loaded.caseId,
    before,
    after,
    placement: { queue: queueOf(after), due: dueOf(after, deps.clock) },
    event: eventOf(deps, { caseId: loaded.caseId, at, type: event.type, actor, referralId: after.referralId, details: event.details }),
    caseStatus:
      status === loaded.caseStatus
        ? undefined
        : {
            from: loaded.caseStatus,
            to: status,
            event: eventOf(deps, {
              caseId: loaded.caseId,
              at,
              type: status === 'closed' ? 'case_closed' : 'case_reopened',
              actor,
              referralId: after.referralId,
              details: { from: loaded.caseStatus, to: status, referralCount: loaded.referrals.length, ...(purgeAt ? { purgeAt } : {}) },
            }),
            ...(purgeAt ? { purgeAt } : {}),
          },
    siblingVersions: closednessChanged ? siblings.map((s) => ({ seq: s.seq, version: s.version })) : [],
  };
}
