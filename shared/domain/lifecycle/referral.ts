// The tracked referral: the record the intake creates (ReferralRecord) plus what the lifecycle adds
// as it moves from referral (转办) to closure. Pure types and constants, no I/O.
import type { ReferralRecord, ReferralStatus } from '../case/case.js';
import type { DeadlinePolicy } from '../deadlines/policy.js';

export { OPEN_STATUSES, REFERRAL_STATUSES, type ReferralStatus } from '../case/case.js';

/** Outcome codes of 办结. Every outcome but service_provided needs a reason. */
export const OUTCOMES = ['service_provided', 'referred_elsewhere', 'client_declined', 'unreachable', 'not_eligible', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a department returns (退回) a referral. */
export const RETURN_REASONS = ['not_our_function', 'not_our_jurisdiction'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** Which deadline an escalation is about: the sign-for (签收) or the completion (办结) deadline. */
export type EscalationKind = 'sign_for' | 'completion';
export type EscalationLevel = 0 | 1 | 2 | 3;

/** After this many returns the provincial coordinator decides (终审); no further return is possible. */
export const RETURNS_BEFORE_FINAL_DECISION = 2;

/** The longest single extension a caseworker may ask for, in working days. */
export const MAX_EXTENSION_WORKING_DAYS = 30;

/** Free text limits (notes, reasons, summaries). */
export const MAX_TEXT_LENGTH = 2000;

export interface TrackedReferral extends ReferralRecord {
  /** When the referral was signed for (签收) and by whom (subject id). */
  acceptedAt?: string;
  acceptedBy?: string;
  signedForOnTime?: boolean;
  /** When the current completion clock started: the acceptance, or the reopening. */
  completionStartedAt?: string;
  /** Working days of extension approved since the completion clock started. */
  approvedExtensionDays?: number;
  pendingExtension?: { workingDays: number; requestedAt: string; requestedBy: string };
  /** How many times a department returned it (退回); after two the provincial coordinator decides. */
  returnCount?: number;
  returnedAt?: string;
  returnedBy?: { department: string; divisionCode: string };
  returnReason?: ReturnReason;
  /** The provincial coordinator's final decision (终审) after two returns. */
  finalDecision?: 'rerouted' | 'upheld';
  reroutedAt?: string;
  resolvedAt?: string;
  outcome?: Outcome;
  resolvedOnTime?: boolean;
  /** A resolved referral without a follow-up call closes by itself at this instant. */
  autoCloseAt?: string;
  closedAt?: string;
  closedBy?: 'follow_up' | 'auto';
  followUp?: { reached: boolean; satisfaction?: number; at: string };
  reopenedAt?: string;
  reopenCount?: number;
  /** Escalation of the current deadline: 0 none, 1 reminder, 2 supervisor (督办), 3 provincial coordinator (督办). */
  escalationLevel?: EscalationLevel;
  escalatedAt?: string;
  escalationKind?: EscalationKind;
  /** Withdrawn by a reclassification (its need was removed). */
  cancelledAt?: string;
  updatedAt?: string;
}

/** The deadline arithmetic the lifecycle needs (the DeadlinePolicy of shared/domain/deadlines). */
export type LifecycleClock = Pick<DeadlinePolicy, 'signForBy' | 'completeBy' | 'escalationTimes' | 'escalationLevelAt' | 'nextEscalationAt' | 'autoCloseAt'>;

/** Who did something, as recorded on events: an id and a role, never a name. */
export interface EventActor {
  id: string;
  role: string;
  department?: string | null;
  divisionCode?: string | null;
}

export const SYSTEM_ACTOR: EventActor = { id: 'system:escalation', role: 'system' };

/** Statuses in which the referral waits for work by its department. */
export const WORKING_STATUSES: readonly ReferralStatus[] = ['accepted', 'reopened'];

/** Over: closed, or cancelled by a reclassification. A case whose referrals are all over is closed. */
export const isClosed = (r: Pick<TrackedReferral, 'status'>) => r.status === 'closed' || r.status === 'cancelled';
