// The danger review: when the danger screen (or a caller who is not sure she is safe) says a case
// might be an emergency and neither the classifier nor a person made it one, the division's
// on-duty coordinator is asked to confirm or dismiss it within a few minutes (clock time). An
// unanswered review escalates as an overdue emergency does: reminder, supervisor, provincial
// coordinator. Pure: clock and ids come in.
import type { Classification } from '../classification/types.js';
import type { EventActor, LifecycleClock } from '../lifecycle/referral.js';
import type { Need, SafeNow } from '../model.js';
import type { ScreenResult } from './danger-screen.js';

export type ReviewStatus = 'pending' | 'confirmed' | 'dismissed';
export type ReviewReason = 'screen' | 'caller_unsure';

export interface DangerReview {
  caseId: string;
  reference: string;
  /** Whose coordinators review it: the case's division, else the province. */
  divisionCode: string;
  status: ReviewStatus;
  reasons: ReviewReason[];
  /** The intake's channel: a danger review of a public web post counts against the web's SMS bound. */
  channel?: string;
  /** The screen's cues ("<cue id>: <term>"): rule words only, never other text of the intake. */
  cues: string[];
  /** Needs the cues imply: added to the case when a person confirms the danger. */
  impliedNeeds: Need[];
  requestedAt: string;
  /** A person must decide by then (15 minutes by default); after it the review escalates. */
  dueAt: string;
  decidedAt?: string;
  decidedBy?: EventActor;
  note?: string;
  /** 0 none, 1 reminder, 2 supervisor, 3 provincial coordinator. */
  escalationLevel: 0 | 1 | 2 | 3;
  escalatedAt?: string;
  version: number;
}

/** Why a case needs a person to look at it now, or null. */
export function reviewReasons(c: Pick<Classification, 'urgency'>, screen: Pick<ScreenResult, 'possibleEmergency'>, safeNow?: SafeNow): ReviewReason[] {
  if (c.urgency === 'emergency') return [];
  const reasons: ReviewReason[] = [];
  if (screen.possibleEmergency) reasons.push('screen');
  if (safeNow === 'unsure') reasons.push('caller_unsure');
  return reasons;
}

export function newReview(args: {
  caseId: string;
  reference: string;
  divisionCode: string;
  reasons: ReviewReason[];
  cues: string[];
  impliedNeeds: Need[];
  now: Date;
  reviewMinutes: number;
  channel?: string;
}): DangerReview {
  return {
    ...(args.channel ? { channel: args.channel } : {}),
    caseId: args.caseId,
    reference: args.reference,
    divisionCode: args.divisionCode,
    status: 'pending',
    reasons: args.reasons,
    cues: args.cues,
    impliedNeeds: args.impliedNeeds,
    requestedAt: args.now.toISOString(),
    dueAt: new Date(args.now.getTime() + args.reviewMinutes * 60_000).toISOString(),
    escalationLevel: 0,
    version: 1,
  };
}

export const MAX_REVIEW_NOTE = 2000;

export type ReviewDecisionResult =
  | { ok: true; review: DangerReview; event: { type: 'danger_review_confirmed' | 'danger_review_dismissed'; details: Record<string, unknown> } }
  | { ok: false; code: 'invalid_state' | 'invalid_input'; field?: string; message: string };

/** A person's decision. A dismissal needs a note (why it is not an emergency); a confirmation may have one. */
export function decideReview(r: DangerReview, decision: { confirm: boolean; note?: string }, actor: EventActor, now: Date): ReviewDecisionResult {
  if (r.status !== 'pending') {
    return { ok: false, code: 'invalid_state', message: `该危险研判已${r.status === 'confirmed' ? '确认' : '排除'} (the review was already ${r.status})` };
  }
  const note = decision.note?.trim() ?? '';
  if (!decision.confirm && note === '') return { ok: false, code: 'invalid_input', field: 'note', message: '排除时须说明理由 (a note is required to dismiss)' };
  if (note.length > MAX_REVIEW_NOTE) return { ok: false, code: 'invalid_input', field: 'note', message: `不能超过 ${MAX_REVIEW_NOTE} 字 (at most ${MAX_REVIEW_NOTE} characters)` };
  const at = now.toISOString();
  const review: DangerReview = {
    ...r,
    status: decision.confirm ? 'confirmed' : 'dismissed',
    decidedAt: at,
    decidedBy: actor,
    ...(note ? { note } : {}),
    version: r.version + 1,
  };
  const late = now.getTime() > Date.parse(r.dueAt);
  return {
    ok: true,
    review,
    event: {
      type: decision.confirm ? 'danger_review_confirmed' : 'danger_review_dismissed',
      details: { requestedAt: r.requestedAt, dueAt: r.dueAt, late, escalationLevel: r.escalationLevel, cues: cueIds(r.cues), ...(note ? { note } : {}) },
    },
  };
}

/** The next escalation step of an unanswered review, on the emergency escalation clock from its dueAt; null when nothing is due. */
export function escalateReview(r: DangerReview, now: Date, clock: Pick<LifecycleClock, 'escalationLevelAt' | 'escalationTimes'>): { review: DangerReview; level: 1 | 2 | 3; dueAt: string } | null {
  if (r.status !== 'pending') return null;
  const reached = clock.escalationLevelAt(r.dueAt, 'emergency', now);
  if (reached <= r.escalationLevel) return null;
  const level = (r.escalationLevel + 1) as 1 | 2 | 3;
  const dueAt = clock.escalationTimes(r.dueAt, 'emergency')[level - 1]!.toISOString();
  return { review: { ...r, escalationLevel: level, escalatedAt: now.toISOString(), version: r.version + 1 }, level, dueAt };
}

/** When the scheduled run must next look at a pending review (its next escalation), or null. */
export function reviewDueAt(r: DangerReview, clock: Pick<LifecycleClock, 'nextEscalationAt'>): string | null {
  if (r.status !== 'pending') return null;
  return clock.nextEscalationAt(r.dueAt, 'emergency', r.escalationLevel)?.toISOString() ?? null;
}

/** "body.chest: 胸口" → "body.chest": what events keep of a cue (its words are fragments of her text). */
export const cueIds = (cues: readonly string[]): string[] => [...new Set(cues.map((c) => c.split(':')[0]!.trim()))];
