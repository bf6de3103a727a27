// The ports the referral use cases depend on. The DynamoDB adapter
// (shared/adapters/dynamo/referral-repository.ts) implements ReferralStore.
import type { ContactMatch } from '../../domain/case/contact-links.js';
import type { CaseEvent, CaseRecord, CaseStatus, StoredCase } from '../../domain/case/case.js';
import type { DivisionIndex } from '../../domain/divisions/divisions.js';
import type { Classification } from '../../domain/classification/types.js';
import type { DuePlacement, EventActor, LifecycleClock, OpenCaseRetention, QueuePlacement, QueueRef, TrackedReferral } from '../../domain/lifecycle/index.js';
import type { RoutingTable } from '../../domain/routing/routing.js';
import type { DangerReview } from '../../domain/triage/danger-review.js';

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

/** A case as a change of its classification or review needs it: no events. */
export interface CaseState {
  case: CaseRecord;
  referrals: TrackedReferral[];
  review?: DangerReview;
}

/** Where a referral sits after a change: its work queue and its next due instant. */
export interface Placement {
  queue: QueuePlacement | null;
  due: DuePlacement | null;
}

/**
 * A change of a case as a whole (a reclassification, a danger review decision or escalation),
 * stored atomically or not at all. Every part is conditional on what was read: the case on its
 * revision, the review and each referral on their version.
 */
export interface CaseChange {
  caseId: string;
  caseUpdate?: {
    /** The case's revision as read (0 when it never had one). */
    expectedRevision: number;
    classification: Classification;
    /** The case becomes open again (new referrals on a case recorded without referral or closed). */
    reopen?: boolean;
    /** Every referral is over now: the case closes and is scheduled for purging. */
    close?: { purgeAt: string };
    referralCount?: number;
  };
  review?: { before: DangerReview; after: DangerReview; nextDueAt: string | null };
  referrals: { before: TrackedReferral; after: TrackedReferral; placement: Placement }[];
  added: { referral: TrackedReferral; placement: Placement }[];
  events: ReferralEvent[];
  /** A labelled example for the classifier's regression sets (codes only; the text stays on the case). */
  correction?: CorrectionRecord;
}

/** What a person decided about a case's labels, indexed by month for the export. Codes only, never text. */
export interface CorrectionRecord {
  caseId: string;
  eventId: string;
  at: string;
  kind: 'reclassification' | 'review_confirmed' | 'review_dismissed';
  /** What the machine said (classifier, with human signals) before the person. */
  before: { needs: string[]; urgency: string; divisionCode: string | null };
  /** The labels a person stands behind. */
  after: { needs: string[]; urgency: string; divisionCode: string | null };
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

/** An open case whose retention check has come (see shared/domain/lifecycle/retention.ts). */
export interface DueRetention {
  kind: 'retention';
  caseId: string;
  /** The due-index sort key as read: every write of the step is conditional on it (one run acts, a concurrent one skips). */
  dueSk: string;
}

/** A pending danger review whose next escalation instant has passed. */
export interface DueReview {
  kind: 'review';
  caseId: string;
}

/** What the due index holds: referrals to escalate or auto-close, unanswered danger reviews, closed cases to purge, open cases to check for retention. */
export type DueEntry = DueReferral | DuePurge | DueReview | DueRetention;

/** The warning of an open case's purge: on the case, on each of its open referrals (which the notifier texts to their supervisors), and an event. */
export interface RetentionWarning {
  caseId: string;
  dueSk: string;
  warnedAt: string;
  purgeAt: string;
  /** Open referrals as read: each is marked only while its version is still this. */
  referrals: { seq: number; version: number }[];
  event: ReferralEvent;
}

/**
 * The result of purging a case: `purged` by this call (with how many items were handed to TTL), or
 * `skipped` because there was nothing (more) to do: reopened, rescheduled, already purged by a
 * concurrent run, or gone.
 */
export type PurgeOutcome = { outcome: 'purged'; items: number } | { outcome: 'skipped' };

export interface CaseView {
  /** Without her words and details once the retention purged them. */
  case: StoredCase;
  referrals: TrackedReferral[];
  events: ReferralEvent[];
  review?: DangerReview;
}

export interface ReferralStore {
  loadCase(caseId: string): Promise<LoadedCase | null>;
  /** Throws ConcurrentChangeError when the referral (or a sibling, or the case) changed since it was read. */
  commit(change: ReferralChange): Promise<void>;
  /** Records an event that changes nothing else (a read, a refused attempt). Without a caseId it goes to the day's audit partition. */
  recordEvent(event: ReferralEvent): Promise<void>;
  /** One page of a queue, urgency then deadline. Throws InvalidCursorError for a cursor it did not issue for this queue. */
  listQueue(queue: QueueRef, limit: number, cursor?: string): Promise<QueuePage>;
  /** Every open referral whose division code starts with the prefix, by next deadline (the due index). Throws InvalidCursorError for a cursor it did not issue. */
  listOpenWork(divisionPrefix: string, limit: number, cursor?: string): Promise<QueuePage>;
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
  /** Moves an open case's retention check to `at`, if its entry is still `due.dueSk`; false when it changed meanwhile. */
  rescheduleRetention(due: DueRetention, at: string): Promise<boolean>;
  /** Records the warning atomically; false when the case or a referral changed meanwhile (the next run decides again). */
  warnRetention(warning: RetentionWarning): Promise<boolean>;
  /**
   * Purges the personal data of an open case whose entry is still `due.dueSk`: the case keeps its
   * codes and stays open, its events and review lose their free text, the event is added and the
   * case leaves the due index. Idempotent; false when the case changed meanwhile.
   */
  purgeOpenCase(due: DueRetention, now: Date, event: ReferralEvent): Promise<boolean>;
  getCaseView(caseId: string): Promise<CaseView | null>;
  /** Her ledger entry and her `limit` most recent cases under a keyed hash of her phone number (a case's contactKeys). */
  findContacts(key: string, limit: number): Promise<ContactMatch>;
  /** The case, its referrals and its review, read consistently; null when missing or purged. */
  loadCaseState(caseId: string): Promise<CaseState | null>;
  /** Throws ConcurrentChangeError when anything changed since it was read. */
  commitCaseChange(change: CaseChange): Promise<void>;
  /** Pending danger reviews whose division code starts with the prefix, by decision deadline. */
  listPendingReviews(divisionPrefix: string): Promise<DangerReview[]>;
  /** Corrections recorded in a month (YYYY-MM), oldest first. */
  listCorrections(month: string): Promise<CorrectionRecord[]>;
}

export interface ReferralDependencies {
  store: ReferralStore;
  clock: LifecycleClock;
  divisions: DivisionIndex;
  ids: { eventId(): string };
  now: () => Date;
  /** Calendar days a closed case is kept before it is purged (default DEFAULT_CLOSED_CASE_RETENTION_DAYS). */
  closedCaseRetentionDays?: number;
  /** Routing of new referrals when a person changes a case's classification. */
  routing?: RoutingTable;
  /** How long an open case without activity keeps her personal data (data/retention.json); no checks without it. */
  openCaseRetention?: OpenCaseRetention;
}
