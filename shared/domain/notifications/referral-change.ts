// What a change to a referral item means for notifications. Pure: the notifier hands in the old and
// new images of a referral (from the table's stream) and gets back the notifications it owes, each
// with a stable idempotency discriminator so that a record delivered twice notifies once.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { MANUAL_TRIAGE, URGENCIES } from '../model.js';

/** The referral fields notifications use. Anything else on the item (personal data is never there) is ignored. */
const nonEmpty = z.string().check(z.minLength(1));
const divisionCode = z.string().check(z.regex(/^\d{6}$/));
const whole = (min: number, max?: number) => z.number().check(z.int(), z.minimum(min), ...(max === undefined ? [] : [z.maximum(max)]));

/** The referral fields notifications use. Anything else on the item (personal data is never there) is ignored. */
export const referralSnapshotSchema = z.object({
  referralId: nonEmpty,
  caseId: nonEmpty,
  reference: nonEmpty,
  seq: whole(1),
  need: nonEmpty,
  department: nonEmpty,
  coDepartments: z._default(z.array(z.string()), []),
  divisionCode,
  urgency: z.enum(URGENCIES),
  status: nonEmpty,
  signForBy: nonEmpty,
  completeBy: z.optional(z.nullable(z.string())),
  version: whole(1),
  /** Set by the escalation function: 0..3, the kind of deadline missed and when. */
  escalationLevel: z.optional(whole(0, 3)),
  escalationKind: z.optional(z.enum(['sign_for', 'completion'])),
  escalatedAt: z.optional(z.string()),
  /** How many times it was returned (退回); after two the provincial coordinator decides. */
  returnCount: z.optional(whole(0)),
  /** The intake's channel (absent on referrals made before it was recorded: treated as a hotline). */
  channel: z.optional(z.string()),
  /** Set by the retention run on an open case without activity: when its supervisors were warned, and of which purge. */
  retentionWarnedAt: z.optional(z.string()),
  retentionPurgeAt: z.optional(z.string()),
  /** A smoke test of a deployment: published to the topic, texted to nobody. */
  test: z.optional(z.literal(true)),
});
export type ReferralSnapshot = z.infer<typeof referralSnapshotSchema>;

export type NotificationKind = 'new_referral' | 'rerouted' | 'escalation' | 'returned' | 'client_ack' | 'raised' | 'cancelled' | 'danger_review' | 'retention_warning';
export type EscalationLevel = 1 | 2 | 3;

export interface NotificationIntent {
  kind: NotificationKind;
  /** Unique per logical notification of this referral, e.g. "v1", "sign_for.L2.2026-11-30T01:00:00.000Z". */
  discriminator: string;
  referral: ReferralSnapshot;
  /** Escalations only. */
  level?: EscalationLevel;
  escalationKind?: 'sign_for' | 'completion' | 'review';
  /** Whether the referral is (re)published to the department queues through the SNS topic. */
  publishToTopic: boolean;
}

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** Reads a referral image; throws a zod error naming the missing fields (never their values). */
export function parseReferralSnapshot(image: Record<string, unknown>): ReferralSnapshot {
  return referralSnapshotSchema.parse(image);
}

/** Is this stream image a referral item (entity 'referral', sk REF#…)? Events, cases, notifications are not. */
export function isReferralImage(image: Record<string, unknown> | undefined): boolean {
  return !!image && image.entity === 'referral' && typeof image.sk === 'string' && image.sk.startsWith('REF#');
}

/**
 * The notifications a change owes:
 * - INSERT: the new referral (topic + SMS to the duty roster); the first referral of a case also
 *   owes her the neutral acknowledgement, if her contact choices allow it (decided later, with her case).
 * - MODIFY with another department or division (re-route), or out of `returned` back into
 *   `referred` (a coordinator sent it back to the same department): a new referral to that queue.
 * - MODIFY into status `returned`: the division's coordinator (the provincial one after two returns).
 * - MODIFY where escalationLevel rose: one notification per level reached (1 reminder, 2 督办, 3 省级督办).
 * - MODIFY with a new retention warning: the supervisor is told when her personal data will be purged.
 * Nothing else notifies (notes, accepts, resolves, closes, REMOVE).
 */
export function notificationsForChange(eventName: StreamEventName, oldImage: ReferralSnapshot | undefined, newImage: ReferralSnapshot | undefined): NotificationIntent[] {
  if (!newImage || eventName === 'REMOVE') return [];
  const r = newImage;
  if (eventName === 'INSERT' || !oldImage) {
    const out: NotificationIntent[] = [{ kind: 'new_referral', discriminator: `v${r.version}`, referral: r, publishToTopic: true }];
    if (r.seq === 1) out.push({ kind: 'client_ack', discriminator: 'case', referral: r, publishToTopic: false });
    return out;
  }
  const out: NotificationIntent[] = [];
  // Cancelled by a reclassification: the department is told it need not act; nothing else is owed.
  if (r.status === 'cancelled') {
    return oldImage.status === 'cancelled' ? [] : [{ kind: 'cancelled', discriminator: `v${r.version}`, referral: r, publishToTopic: false }];
  }
  const sentBack = oldImage.status === 'returned' && r.status === 'referred';
  const rerouted = oldImage.department !== r.department || oldImage.divisionCode !== r.divisionCode || sentBack;
  if (rerouted) out.push({ kind: 'rerouted', discriminator: `v${r.version}`, referral: r, publishToTopic: true });
  if (!rerouted && r.status === 'returned' && oldImage.status !== 'returned') {
    out.push({ kind: 'returned', discriminator: `v${r.version}`, referral: r, publishToTopic: false });
  }
  // Raised to an emergency (a confirmed danger review, a reclassification): the emergency audience
  // is texted as for a new emergency, and the queues get the new urgency.
  if (!rerouted && r.urgency === 'emergency' && oldImage.urgency !== 'emergency') {
    out.push({ kind: 'raised', discriminator: `v${r.version}`, referral: r, publishToTopic: true });
  }
  if (r.retentionWarnedAt && r.retentionPurgeAt && r.retentionWarnedAt !== oldImage.retentionWarnedAt) {
    out.push({ kind: 'retention_warning', discriminator: `retention.${r.retentionWarnedAt}`, referral: r, publishToTopic: false });
  }
  const before = oldImage.escalationLevel ?? 0;
  const after = r.escalationLevel ?? 0;
  if (after > before) {
    const escalationKind = r.escalationKind ?? 'sign_for';
    const when = r.escalatedAt ?? `v${r.version}`;
    for (let level = before + 1; level <= after; level++) {
      out.push({
        kind: 'escalation',
        discriminator: `${escalationKind}.L${level}.${when}`,
        referral: r,
        level: level as EscalationLevel,
        escalationKind,
        publishToTopic: false,
      });
    }
  }
  return out;
}

/**
 * The roster a referral's staff notifications go to: its department's; the coordinators' for manual
 * triage and while it waits, returned, for a coordinator to re-route it.
 */
export function rosterDepartmentOf(r: Pick<ReferralSnapshot, 'department' | 'status'>): string {
  return r.department === MANUAL_TRIAGE || r.status === 'returned' ? 'coordinator' : r.department;
}

// ---- Danger reviews -------------------------------------------------------------------------

/** The review fields notifications use (the item holds no personal data either). */
export const reviewSnapshotSchema = z.object({
  caseId: nonEmpty,
  reference: nonEmpty,
  divisionCode,
  status: z.enum(['pending', 'confirmed', 'dismissed']),
  channel: z.optional(z.string()),
  dueAt: nonEmpty,
  escalationLevel: z.optional(whole(0, 3)),
  escalatedAt: z.optional(z.string()),
  version: whole(1),
});
export type ReviewSnapshot = z.infer<typeof reviewSnapshotSchema>;

export function isReviewImage(image: Record<string, unknown> | undefined): boolean {
  return !!image && image.entity === 'review' && image.sk === 'REVIEW';
}

export const parseReviewSnapshot = (image: Record<string, unknown>): ReviewSnapshot => reviewSnapshotSchema.parse(image);

/** A review as the notification machinery addresses it: to the division's coordinators, due at its decision deadline. */
export function reviewAsReferral(r: ReviewSnapshot): ReferralSnapshot {
  return {
    referralId: `${r.caseId}-review`,
    caseId: r.caseId,
    reference: r.reference,
    seq: 1,
    need: 'danger_review',
    department: 'coordinator',
    coDepartments: [],
    divisionCode: r.divisionCode,
    urgency: 'emergency',
    status: `review_${r.status}`,
    signForBy: r.dueAt,
    completeBy: null,
    version: r.version,
    escalationLevel: r.escalationLevel,
    escalatedAt: r.escalatedAt,
    channel: r.channel,
  };
}

/**
 * A new pending review texts the on-duty coordinator of its division (then the prefecture's, then
 * the province's) at once; each escalation level of an unanswered one texts as an overdue
 * emergency does (1 reminder, 2 supervisor, 3 provincial coordinator). Decisions text nobody: a
 * confirmed one raises the referrals, which notify on their own.
 */
export function notificationsForReviewChange(eventName: StreamEventName, oldImage: ReviewSnapshot | undefined, newImage: ReviewSnapshot | undefined): NotificationIntent[] {
  if (!newImage || eventName === 'REMOVE') return [];
  const r = reviewAsReferral(newImage);
  if (eventName === 'INSERT' || !oldImage) {
    return newImage.status === 'pending' ? [{ kind: 'danger_review', discriminator: 'requested', referral: r, publishToTopic: false }] : [];
  }
  const out: NotificationIntent[] = [];
  const before = oldImage.escalationLevel ?? 0;
  const after = newImage.escalationLevel ?? 0;
  if (newImage.status === 'pending') {
    for (let level = before + 1; level <= after; level++) {
      out.push({ kind: 'escalation', discriminator: `review.L${level}`, referral: r, level: level as EscalationLevel, escalationKind: 'review', publishToTopic: false });
    }
  }
  return out;
}
