// Use case: the scheduled run. Finds the referrals whose next escalation or auto-close instant has
// passed (sparse `due` index, no scan) and, for each, raises the escalation of its current deadline
// one level per level due, or closes a resolved referral nobody followed up. Every step is the
// same conditional write on the referral's version as a caseworker's change, so two runs at the
// same time escalate each level once: the second run's write fails, it reads again, and finds the
// level already reached.
//
// The same run checks open cases that have been without activity for long (warns their
// supervisors, then purges her personal data: see shared/domain/lifecycle/retention.ts), and purges
// the closed cases whose retention has ended (their case items are in the same
// due index at their purge instant): the personal fields leave the case at once and every item of
// the case is handed to DynamoDB's TTL (see ReferralStore.purgeClosedCase).
//
// The run sends nothing itself: the notifier reads the table's stream and texts the people concerned
// when it sees `escalationLevel` rise on a referral (level 1 reminder to the on-duty caseworkers,
// 2 the supervisor, 3 the provincial coordinator: 督办).
import { applyAction, lastActivityOf, openCaseRetentionStep, SYSTEM_ACTOR, type EscalationKind } from '../../domain/lifecycle/index.js';
import { escalateReview, reviewDueAt } from '../../domain/triage/danger-review.js';
import { buildChange, eventOf } from './change.js';
import { ConcurrentChangeError } from './errors.js';
import type { DuePurge, DueReferral, DueRetention, DueReview, ReferralDependencies, ReferralEvent } from './ports.js';

export interface EscalationReport {
  now: string;
  /** Entries the due index returned: referrals, and closed cases whose retention has ended. */
  due: number;
  escalated: { referralId: string; level: number; kind: EscalationKind }[];
  /** Unanswered danger reviews raised one level (by case id). */
  reviewsEscalated: { caseId: string; level: number }[];
  autoClosed: string[];
  /** Closed cases purged by this run (ids only), with the number of items handed to TTL. */
  purged: { caseId: string; items: number }[];
  /** Open cases without activity: warned (the purge instant announced), and purged of her personal data. */
  retention: { warned: { caseId: string; purgeAt: string }[]; purged: string[]; rescheduled: number };
  /** Writes lost to a concurrent change (another run, a caseworker) and read again. */
  conflicts: number;
  /** Referrals (by referral id) and cases (by case id) that could not be processed this run (retried by the next). */
  failed: string[];
}

export interface EscalationOptions {
  /** At most this many due entries (referrals and purges) per run; the rest wait for the next run. */
  maxReferrals?: number;
  /** Entries processed in parallel. */
  concurrency?: number;
  /** Called with the referral id (or, for a purge, the case id) of an entry that failed. */
  onError?: (id: string, err: unknown) => void;
}

/** Each referral needs at most 3 escalation steps; a few more attempts absorb concurrent changes. */
const MAX_STEPS = 8;

async function processReferral(deps: ReferralDependencies, due: DueReferral, now: Date, report: EscalationReport): Promise<void> {
  for (let step = 0; step < MAX_STEPS; step++) {
    const loaded = await deps.store.loadCase(due.caseId);
    const referral = loaded?.referrals.find((r) => r.seq === due.seq);
    if (!loaded || !referral) return;
    const action = referral.status === 'resolved' ? ({ type: 'auto_close' } as const) : ({ type: 'escalate' } as const);
    const result = applyAction(referral, action, { now, actor: SYSTEM_ACTOR, clock: deps.clock });
    // Nothing (more) is due: the index entry was stale or the last level is done.
    if (!result.ok) return;
    try {
      await deps.store.commit(buildChange(deps, loaded, referral, result.referral, result.event, SYSTEM_ACTOR, now));
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      report.conflicts++;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      continue;
    }
    if (action.type === 'auto_close') {
      report.autoClosed.push(referral.referralId);
      return;
    }
    report.escalated.push({ referralId: referral.referralId, level: result.referral.escalationLevel ?? 0, kind: result.referral.escalationKind ?? 'sign_for' });
  }
}

/** An unanswered danger review: one level per level due, on the emergency escalation clock from its decision deadline. */
async function processReview(deps: ReferralDependencies, due: DueReview, now: Date, report: EscalationReport): Promise<void> {
  for (let step = 0; step < MAX_STEPS; step++) {
    const state = await deps.store.loadCaseState(due.caseId);
    const review = state?.review;
    if (!review) return;
    const next = escalateReview(review, now, deps.clock);
    if (!next) return;
    const event = eventOf(deps, {
      caseId: due.caseId,
      at: now.toISOString(),
      type: 'danger_review_escalated',
      actor: SYSTEM_ACTOR,
      details: { level: next.level, dueAt: next.dueAt, reviewDueAt: review.dueAt },
    });
    try {
      await deps.store.commitCaseChange({
        caseId: due.caseId,
        review: { before: review, after: next.review, nextDueAt: reviewDueAt(next.review, deps.clock) },
        referrals: [],
        added: [],
        events: [event],
      });
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      report.conflicts++;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      continue;
    }
    report.reviewsEscalated.push({ caseId: due.caseId, level: next.level });
  }
}

/** An open case's retention check: scheduled again after activity, a warning, or the purge of her personal data. */
async function processRetention(deps: ReferralDependencies, due: DueRetention, now: Date, report: EscalationReport): Promise<void> {
  const rule = deps.openCaseRetention;
  if (!rule) return;
  // A warning is refused when a referral changed meanwhile (this very run may be escalating it):
  // read again and decide again, a few times, as for a referral.
  for (let step = 0; step < MAX_STEPS; step++) {
    const state = await deps.store.getCaseView(due.caseId);
    if (!state || state.case.status !== 'open') return;
    const c = state.case as typeof state.case & { retentionWarnedAt?: string; retentionPurgeAt?: string };
    const lastActivity = lastActivityOf(c.createdAt, state.events as ReferralEvent[]);
    const warning = c.retentionWarnedAt && c.retentionPurgeAt ? { warnedAt: c.retentionWarnedAt, purgeAt: c.retentionPurgeAt } : undefined;
    const next = openCaseRetentionStep(lastActivity, warning, now, rule);
    const at = now.toISOString();
    if (next.kind === 'reschedule') {
      // False: another run moved it first; nothing left to do.
      if (await deps.store.rescheduleRetention(due, next.at)) report.retention.rescheduled++;
      return;
    }
    if (next.kind === 'warn') {
      const open = state.referrals.filter((r) => r.status !== 'closed' && r.status !== 'cancelled');
      const event = eventOf(deps, {
        caseId: due.caseId,
        at,
        type: 'retention_warning',
        actor: SYSTEM_ACTOR,
        details: { purgeAt: next.purgeAt, lastActivityAt: lastActivity, referralCount: open.length },
      });
      if (await deps.store.warnRetention({ caseId: due.caseId, dueSk: due.dueSk, warnedAt: at, purgeAt: next.purgeAt, referrals: open.map((r) => ({ seq: r.seq, version: r.version })), event })) {
        report.retention.warned.push({ caseId: due.caseId, purgeAt: next.purgeAt });
        return;
      }
    } else {
      const event = eventOf(deps, {
        caseId: due.caseId,
        at,
        type: 'personal_data_purged',
        actor: SYSTEM_ACTOR,
        details: { reason: 'open_case_retention', lastActivityAt: lastActivity, maxDaysSinceLastActivity: rule.maxDaysSinceLastActivity },
      });
      if (await deps.store.purgeOpenCase(due, now, event)) {
        report.retention.purged.push(due.caseId);
        return;
      }
    }
    report.conflicts++;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}

async function processPurge(deps: ReferralDependencies, due: DuePurge, now: Date, report: EscalationReport): Promise<void> {
  // The due index only returns instants at or before now; checked again so that the rule is here.
  if (Date.parse(due.purgeAt) > now.getTime()) return;
  const result = await deps.store.purgeClosedCase(due, now);
  if (result.outcome === 'purged') report.purged.push({ caseId: due.caseId, items: result.items });
}

export async function runEscalation(deps: ReferralDependencies, options: EscalationOptions = {}): Promise<EscalationReport> {
  const now = deps.now();
  const dueList = await deps.store.findDue(now.toISOString(), options.maxReferrals ?? 500);
  const report: EscalationReport = {
    now: now.toISOString(),
    due: dueList.length,
    escalated: [],
    reviewsEscalated: [],
    autoClosed: [],
    purged: [],
    retention: { warned: [], purged: [], rescheduled: 0 },
    conflicts: 0,
    failed: [],
  };
  const queue = [...dueList];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        if (next.kind === 'purge') await processPurge(deps, next, now, report);
        else if (next.kind === 'retention') await processRetention(deps, next, now, report);
        else if (next.kind === 'review') await processReview(deps, next, now, report);
        else await processReferral(deps, next, now, report);
      } catch (err) {
        const id = next.kind === 'referral' ? next.referralId : next.caseId;
        report.failed.push(id);
        options.onError?.(id, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return report;
}
