// The ports the referral use cases depend on. The DynamoDB adapter
// (shared/adapters/dynamo/referral-repository.ts) implements ReferralStore.
import type { CaseEvent, CaseRecord, CaseStatus } from '../../domain/case/case.js';
import type { DivisionIndex } from '../../domain/divisions/divisions.js';
import type { DuePlacement, EventActor, LifecycleClock, QueuePlacement, QueueRef, TrackedReferral } from '../../domain/lifecycle/index.js';

/** An immutable audit event as stored: who (id and role, never a name), when, what. */
export interface ReferralEvent extends CaseEvent {
  actor: EventActor;
}

export interface LoadedCase {
  caseId: string;
  caseStatus: CaseStatus;
  /** Every referral of the case, read consistently. */
  referrals: TrackedReferral[];
}

/** One change of one referral, stored atomically or not at all. */
export interface ReferralChange {
  caseId: string;
  /** The referral as read: the write succeeds only while its version is still before.version. */
  before: TrackedReferral;
  after: TrackedReferral;
  placement: { queue: QueuePlacement | null; due: DuePlacement | null };
  event: ReferralEvent;
  /**
   * When the case's status changes with this change (its last referral closes, or one reopens).
   * A closing case carries the instant its personal data is purged (closedAt + retention); a
   * reopening one loses its scheduled purge.
   */
  caseStatus?: { from: CaseStatus; to: CaseStatus; event: ReferralEvent; purgeAt?: string };
  /** Versions of the other referrals of the case that the case-status decision relied on. */
  siblingVersions: { seq: number; version: number }[];
}

export interface QueuePage {
  items: TrackedReferral[];
  /** Opaque; null on the last page. */
  cursor: string | null;
}

export interface DueReferral {
  kind: 'referral';
  caseId: string;
  seq: number;
  referralId: string;
}

/** A closed case whose retention has ended (its purge instant has passed). */
export interface DuePurge {
  kind: 'purge';
  caseId: string;
  /** The scheduled instant, as stored: the purge applies only while the case is still scheduled for it. */
  purgeAt: string;
}

/** What the due index holds: referrals to escalate or auto-close, and closed cases to purge. */
export type DueEntry = DueReferral | DuePurge;

/**
 * The result of purging a case: `purged` by this call (with how many items were handed to TTL), or
 * `skipped` because there was nothing (more) to do: reopened, rescheduled, already purged by a
 * concurrent run, or gone.
 */
export type PurgeOutcome = { outcome: 'purged'; items: number } | { outcome: 'skipped' };

export interface CaseView {
  case: CaseRecord;
  referrals: TrackedReferral[];
  events: CaseEvent[];
}

export interface ReferralStore {
  loadCase(caseId: string): Promise<LoadedCase | null>;
  /** Throws ConcurrentChangeError when the referral (or a sibling, or the case) changed since it was read. */
  commit(change: ReferralChange): Promise<void>;
  /** Records an event that changes nothing else (a read, a refused attempt). Without a caseId it goes to the day's audit partition. */
  recordEvent(event: ReferralEvent): Promise<void>;
  /** One page of a queue, urgency then deadline. Throws InvalidCursorError for a cursor it did not issue for this queue. */
  listQueue(queue: QueueRef, limit: number, cursor?: string): Promise<QueuePage>;
  /** Referrals whose next escalation or auto-close instant, and closed cases whose purge instant, is at or before `now` (from the sparse due index). */
  findDue(now: string, limit: number): Promise<DueEntry[]>;
  /**
   * Purges a closed case whose retention has ended, if it is still closed and still scheduled for
   * `due.purgeAt`: removes the personal fields from the case at once and sets the TTL attribute on
   * every item of the case (its partition, its idempotency and reference items), so that DynamoDB
   * deletes them. Idempotent; safe to run concurrently with itself and with a reopen (a reopened
   * case is not purged; a purged case cannot be reopened).
   */
  purgeClosedCase(due: DuePurge, now: Date): Promise<PurgeOutcome>;
  getCaseView(caseId: string): Promise<CaseView | null>;
}

export interface ReferralDependencies {
  store: ReferralStore;
  clock: LifecycleClock;
  divisions: DivisionIndex;
  ids: { eventId(): string };
  now: () => Date;
  /** Calendar days a closed case is kept before it is purged (default DEFAULT_CLOSED_CASE_RETENTION_DAYS). */
  closedCaseRetentionDays?: number;
}
