// What a statistics counter needs to know of a referral change: the referral's codes and clocks
// before and after it, never her data. Every write that changes a referral stores these pairs on its
// audit event (`tally`), so the counters are a pure function of the events: the stream counts each
// event once (by its event id) and a rebuild recounts the same events the same way.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { REFERRAL_STATUSES, type TrackedReferral } from '../lifecycle/referral.js';
import { URGENCIES } from '../model.js';

/** The snapshot as stored on an event; the stream consumer checks a stored one against this (one definition, its type derived). */
export const referralSnapshotSchema = z.object({
  referralId: z.string(),
  need: z.string(),
  department: z.string(),
  divisionCode: z.string(),
  urgency: z.enum(URGENCIES),
  status: z.enum(REFERRAL_STATUSES),
  /** When it reached its current department: the referral, or the last re-route. */
  enteredAt: z.string(),
  acceptedAt: z.optional(z.string()),
  signedForOnTime: z.optional(z.boolean()),
  completionStartedAt: z.optional(z.string()),
  resolvedAt: z.optional(z.string()),
  resolvedOnTime: z.optional(z.boolean()),
  outcome: z.optional(z.string()),
  pendingExtension: z.boolean(),
  approvedExtensionDays: z.number(),
  escalationLevel: z.number(),
  followUp: z.optional(z.object({ reached: z.boolean(), satisfaction: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(5))) })),
  /** A smoke test of a deployment: never counted. */
  test: z.optional(z.literal(true)),
});
export type ReferralSnapshot = z.infer<typeof referralSnapshotSchema>;

/** One referral's change within an event: absent `before` = it was created; absent `after` = it is gone. */
export interface TallyEntry {
  before?: ReferralSnapshot;
  after?: ReferralSnapshot;
}

/** An event item as the statistics read it from the stream. */
export const talliedEventSchema = z.object({
  eventId: z.string().check(z.minLength(1)),
  at: z.string().check(z.minLength(20)),
  tally: z.optional(z.array(z.object({ before: z.optional(referralSnapshotSchema), after: z.optional(referralSnapshotSchema) }))),
});

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
