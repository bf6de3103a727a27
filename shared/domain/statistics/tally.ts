// What a statistics counter needs to know of a referral change: the referral's codes and clocks
// before and after it, never her data. Every write that changes a referral stores these pairs on its
// audit event (`tally`), so the counters are a pure function of the events: the stream counts each
// event once (by its event id) and a rebuild recounts the same events the same way.
import type { TrackedReferral } from '../lifecycle/referral.js';
import type { ReferralSnapshot } from './tallied-event.js';

export type { ReferralSnapshot };

/** One referral's change within an event: absent `before` = it was created; absent `after` = it is gone. */
export interface TallyEntry {
  before?: ReferralSnapshot;
  after?: ReferralSnapshot;
}

export function snapshotOf(r: TrackedReferral): ReferralSnapshot {
  const s: ReferralSnapshot = {
    referralId: r.referralId,
    need: r.need,
    department: r.department,
    divisionCode: r.divisionCode,
    urgency: r.urgency,
    status: r.status,
    enteredAt: r.reroutedAt ?? r.referredAt,
    pendingExtension: r.pendingExtension !== undefined,
    approvedExtensionDays: r.approvedExtensionDays ?? 0,
    escalationLevel: r.escalationLevel ?? 0,
  };
  if (r.acceptedAt) s.acceptedAt = r.acceptedAt;
  if (r.signedForOnTime !== undefined) s.signedForOnTime = r.signedForOnTime;
  if (r.completionStartedAt) s.completionStartedAt = r.completionStartedAt;
  if (r.resolvedAt) s.resolvedAt = r.resolvedAt;
  if (r.resolvedOnTime !== undefined) s.resolvedOnTime = r.resolvedOnTime;
  if (r.outcome) s.outcome = r.outcome;
  if (r.followUp) s.followUp = r.followUp.satisfaction === undefined ? { reached: r.followUp.reached } : { reached: r.followUp.reached, satisfaction: r.followUp.satisfaction };
  if (r.test) s.test = true;
  return s;
}

const sameSnapshot = (a: ReferralSnapshot, b: ReferralSnapshot) => JSON.stringify(a) === JSON.stringify(b);

/** The tally of a write: one entry per referral whose counted facts changed (none for a note). */
export function tallyOf(changes: readonly { before?: TrackedReferral; after?: TrackedReferral }[]): TallyEntry[] {
  const out: TallyEntry[] = [];
  for (const c of changes) {
    const before = c.before ? snapshotOf(c.before) : undefined;
    const after = c.after ? snapshotOf(c.after) : undefined;
    if (before && after && sameSnapshot(before, after)) continue;
    if (!before && !after) continue;
    out.push({ ...(before ? { before } : {}), ...(after ? { after } : {}) });
  }
  return out;
}
