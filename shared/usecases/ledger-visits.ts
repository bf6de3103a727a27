// Visits that refer (走访): a ledger officer records a visit to a woman on the ledger; the note is
// classified like any intake and, when it (or the officer) finds a need or a possible danger, becomes
// a case on channel `visit`, routed and notified like the others and linked to her. Her next visit
// date moves one cycle on. The queue of visits due is per county (and township). Access is the
// ledger policy's: officers of her division record visits; readers of the ledger see them.
import type { Actor } from '../domain/access/policy.js';
import type { CanonicalIntake } from '../domain/intake/schemas.js';
import type { LedgerEntry } from '../domain/ledger/entry.js';
import { nextVisitDue, visitIntake, visitProblems, type VisitBody, type VisitRecord } from '../domain/ledger/visits.js';
import { actorOf, countyToList, loadToChange, loadToRead, type LedgerDependencies, type LedgerListItem, type LedgerResult } from './ledger.js';
import type { IntakeReceipt, SubmitResult } from './submit-intake.js';

/** The intake path, as a visit uses it. */
export interface VisitReferrals {
  /** Whether the note, with what the officer observed, would open a case: a need found or observed, or a possible danger. */
  wouldRefer(intake: CanonicalIntake): boolean;
  submit(intake: CanonicalIntake): Promise<SubmitResult>;
}

export interface VisitDependencies extends LedgerDependencies {
  referrals: VisitReferrals;
}

/** The case a visit opened, as the officer is told of it (no other case of hers). */
export type VisitCase = Pick<IntakeReceipt, 'caseId' | 'reference' | 'needs' | 'urgency' | 'referrals' | 'operatorActions'>;

const caseOf = (r: IntakeReceipt): VisitCase => ({ caseId: r.caseId, reference: r.reference, needs: r.needs, urgency: r.urgency, referrals: r.referrals, operatorActions: r.operatorActions });

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);

/**
 * Records a visit, and refers what it found. The same visit sent again (same time, same note) is one
 * visit and one case; another note at the same time is a conflict.
 */
export async function recordVisit(
  subject: string,
  actor: Actor,
  personId: string,
  body: VisitBody,
  deps: VisitDependencies,
): Promise<LedgerResult<{ visit: VisitRecord; case?: VisitCase; woman: LedgerEntry }>> {
  const found = await loadToChange(subject, actor, personId, 'visit', deps);
  if (found.kind !== 'ok') return found;
  let { entry, keys } = found.value;
  if (entry.status !== 'active') return { kind: 'conflict', message: '她已退出台账，不能再记录走访 (she has left the ledger)' };
  const now = deps.now();
  const problems = visitProblems(body, now);
  if (problems.length > 0) return { kind: 'invalid', problems };
  const officer = actorOf(subject, actor);
  const intake = visitIntake(entry, body, officer);

  // The case first: it is idempotent on the visit's time, so a retry after a failure below finds it again.
  let opened: VisitCase | undefined;
  if (deps.referrals.wouldRefer(intake)) {
    const result = await deps.referrals.submit(intake);
    if (result.kind === 'conflict') return { kind: 'conflict', message: '这个时间已记录了另一次走访 (another visit was recorded at this time)' };
    opened = caseOf(result.receipt);
  }
  const visit: VisitRecord = {
    visitedAt: intake.receivedAt,
    recordedAt: now.toISOString(),
    by: officer,
    text: body.text,
    observedNeeds: intake.signals.observedNeeds ?? [],
    needs: (opened?.needs ?? []) as VisitRecord['needs'],
    ...(opened ? { caseId: opened.caseId, reference: opened.reference } : {}),
  };
  for (let attempt = 1; attempt <= 3; attempt++) {
    const moved: LedgerEntry = { ...entry, lastVisitedAt: later(entry.lastVisitedAt, visit.visitedAt), version: entry.version + 1 };
    const after: LedgerEntry = { ...moved, nextVisitDue: nextVisitDue(moved, deps.visitCycles) };
    const saved = await deps.store.recordVisit({
      before: entry,
      after,
      keys,
      visit,
      event: { eventId: deps.ids.eventId(), type: 'ledger_visited', at: visit.recordedAt, actor: officer, personId, action: 'visit', ...(opened ? { caseId: opened.caseId } : {}) },
    });
    if (saved.kind === 'saved') return { kind: 'ok', value: { visit, ...(opened ? { case: opened } : {}), woman: after } };
    if (saved.kind === 'visit_exists') {
      const earlier = (await deps.store.visits(personId, 200)).find((v) => v.visitedAt === visit.visitedAt);
      if (earlier && earlier.text === visit.text) return { kind: 'ok', value: { visit: earlier, ...(opened ? { case: opened } : {}), woman: entry } };
      return { kind: 'conflict', message: '这个时间已记录了另一次走访 (another visit was recorded at this time)' };
    }
    // Someone changed her record meanwhile: read it again and move her visit date from there.
    const again = await deps.store.load(personId);
    if (!again || again.entry.status !== 'active') return { kind: 'conflict', message: '记录已被他人修改，请刷新后再试 (changed meanwhile)' };
    ({ entry, keys } = again);
  }
  return { kind: 'conflict', message: '记录已被他人修改，请刷新后再试 (changed meanwhile)' };
}

/** A case of hers as her ledger page lists it: when and where from, never what was said (opening it is the case's own access check). */
export interface HerCase {
  caseId: string;
  reference: string;
  channel: string;
  createdAt: string;
}

export interface HerCasesPort {
  /** The cases under a keyed hash of her phone number, newest first. */
  casesUnder(phoneKey: string, limit: number): Promise<HerCase[]>;
}

/** The cases linked to her by her phone number (her calls, posts and visits), for whoever may read her record; the read is recorded. */
export async function casesOf(subject: string, actor: Actor, personId: string, deps: LedgerDependencies & { cases: HerCasesPort }): Promise<LedgerResult<HerCase[]>> {
  const found = await loadToRead(subject, actor, personId, deps, 'cases');
  if (found.kind !== 'ok') return found;
  // An exited record has no keys any more: nothing is linked to her.
  const { phoneKey } = found.value.keys;
  return { kind: 'ok', value: phoneKey ? await deps.cases.casesUnder(phoneKey, 50) : [] };
}

/** Her visits, newest first, for whoever may read her record; the read is recorded. */
export async function visitsOf(subject: string, actor: Actor, personId: string, deps: LedgerDependencies): Promise<LedgerResult<VisitRecord[]>> {
  const found = await loadToRead(subject, actor, personId, deps, 'visits');
  return found.kind === 'ok' ? { kind: 'ok', value: await deps.store.visits(personId, 50) } : found;
}

/** The overdue-visit queue of a county (hers by default), optionally one township: who was due a visit before now, longest overdue first. */
export async function visitsDue(
  subject: string,
  actor: Actor,
  query: { divisionCode?: string; township?: string; cursor?: string; limit?: number },
  deps: LedgerDependencies,
): Promise<LedgerResult<{ items: LedgerListItem[]; cursor?: string }>> {
  const county = await countyToList(subject, actor, query.divisionCode, deps);
  if (county.kind !== 'ok') return county;
  const divisionCode = county.value;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const dueBefore = deps.now().toISOString();
  // A township filters what the store returns: read on until the page is full or the queue ends.
  const items: LedgerListItem[] = [];
  let cursor = query.cursor;
  do {
    const page = await deps.store.visitsDue({ divisionCode, dueBefore, township: query.township, limit, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < limit);
  return { kind: 'ok', value: { items: items.slice(0, limit), ...(cursor ? { cursor } : {}) } };
}
