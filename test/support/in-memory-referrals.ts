// An in-memory adapter of the referral use cases' store, for use-case unit tests: the same contract
// as shared/adapters/dynamo/referral-repository.ts for what the lifecycle actions and case reads
// use (a change is stored whole or not at all, conditional on the versions read), no engine.
// Queues, the due index and retention are the DynamoDB adapter's and are tested against DynamoDB Local.
import type { CaseStatus, StoredCase } from '../../shared/domain/case/case.js';
import type { TrackedReferral } from '../../shared/domain/lifecycle/index.js';
import { ConcurrentChangeError } from '../../shared/usecases/referrals/errors.js';
import type { CaseView, LoadedCase, ReferralChange, ReferralEvent, ReferralStore } from '../../shared/usecases/referrals/ports.js';

interface StoredCaseEntry {
  case: StoredCase;
  referrals: Map<number, TrackedReferral>;
}

const notHere = (what: string) => () => Promise.reject(new Error(`${what} is not part of the in-memory store (tested against DynamoDB Local)`));

export class InMemoryReferralStore implements ReferralStore {
  readonly cases = new Map<string, StoredCaseEntry>();
  readonly events: ReferralEvent[] = [];
  /** Changes stored, in order. */
  readonly commits: ReferralChange[] = [];
  /** Runs once before the next commit is checked: a concurrent writer. */
  beforeNextCommit?: () => void;

  /** Puts a case and its referrals as the intake would have stored them. */
  seed(c: StoredCase, referrals: TrackedReferral[]): void {
    this.cases.set(c.caseId, { case: structuredClone(c), referrals: new Map(referrals.map((r) => [r.seq, structuredClone(r)])) });
  }

  referral(caseId: string, seq: number): TrackedReferral | undefined {
    return structuredClone(this.cases.get(caseId)?.referrals.get(seq));
  }

  caseStatus(caseId: string): CaseStatus | undefined {
    return this.cases.get(caseId)?.case.status;
  }

  eventsOf(caseId: string): ReferralEvent[] {
    return this.events.filter((e) => e.caseId === caseId);
  }

  async loadCase(caseId: string): Promise<LoadedCase | null> {
    const entry = this.cases.get(caseId);
    if (!entry) return null;
    return { caseId, caseStatus: entry.case.status, referrals: structuredClone([...entry.referrals.values()]) };
  }

  async commit(change: ReferralChange): Promise<void> {
    const hook = this.beforeNextCommit;
    this.beforeNextCommit = undefined;
    hook?.();
    const entry = this.cases.get(change.caseId);
    const current = entry?.referrals.get(change.before.seq);
    if (!entry || !current || current.version !== change.before.version) throw new ConcurrentChangeError('stale');
    for (const s of change.siblingVersions) if (entry.referrals.get(s.seq)?.version !== s.version) throw new ConcurrentChangeError('retry');
    if (change.caseStatus && entry.case.status !== change.caseStatus.from) throw new ConcurrentChangeError('retry');
    entry.referrals.set(change.after.seq, structuredClone(change.after));
    this.events.push(structuredClone(change.event));
    if (change.caseStatus) {
      entry.case = { ...entry.case, status: change.caseStatus.to, ...(change.caseStatus.purgeAt ? { purgeAt: change.caseStatus.purgeAt } : {}) };
      this.events.push(structuredClone(change.caseStatus.event));
    }
    this.commits.push(structuredClone(change));
  }

  async recordEvent(event: ReferralEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }

  async getCaseView(caseId: string): Promise<CaseView | null> {
    const entry = this.cases.get(caseId);
    if (!entry) return null;
    return { case: structuredClone(entry.case), referrals: structuredClone([...entry.referrals.values()]), events: structuredClone(this.eventsOf(caseId)) };
  }

  listQueue = notHere('listQueue');
  listOpenWork = notHere('listOpenWork');
  findDue = notHere('findDue');
  purgeClosedCase = notHere('purgeClosedCase');
  rescheduleRetention = notHere('rescheduleRetention');
  warnRetention = notHere('warnRetention');
  purgeOpenCase = notHere('purgeOpenCase');
  loadCaseState = notHere('loadCaseState');
  findContacts = notHere('findContacts');
  commitCaseChange = notHere('commitCaseChange');
  listPendingReviews = notHere('listPendingReviews');
  listCorrections = notHere('listCorrections');
}
