// The ports of the statistics use cases. The DynamoDB adapter is
// shared/adapters/dynamo/statistics-repository.ts; tests use test/support/in-memory-statistics.ts.
import type { Counts, EventCounts, MonthlyKey, OpenKey } from '../../domain/statistics/counters.js';
import type { TallyEntry } from '../../domain/statistics/tally.js';
import type { ReferralStatus } from '../../domain/case/case.js';
import type { Urgency } from '../../domain/model.js';

export interface MonthlyRow {
  key: MonthlyKey;
  counts: Counts;
}

export interface OpenRow {
  key: OpenKey;
  counts: Counts;
}

export interface StatisticsStore {
  /**
   * Adds one event's counts, once: a second call with the same event id adds nothing and returns
   * false (the stream redelivers; the rebuild may overlap it).
   */
  applyOnce(eventId: string, at: string, counts: EventCounts): Promise<boolean>;
  /** Every counter row of a month, province-wide (a few hundred small items: one or two pages). */
  monthRows(month: string): Promise<MonthlyRow[]>;
  /** Every open-work row, province-wide (one per division × department with open work). */
  openRows(): Promise<OpenRow[]>;
}

/** What the overview shows of an overdue referral: codes and deadlines, nothing personal. */
export interface DeadlineEntry {
  referralId: string;
  caseId: string;
  reference: string;
  need: string;
  department: string;
  divisionCode: string;
  urgency: Urgency;
  status: ReferralStatus;
  signForBy: string;
  completeBy: string | null;
  escalationLevel?: number;
}

export interface OverdueReader {
  /** Open referrals whose current deadline is before `now`, oldest deadline first, at most `max`. */
  overdueBefore(now: string, max: number): Promise<{ items: DeadlineEntry[]; more: boolean }>;
}

/** A rebuild's writes: the counters recomputed from the events replace the stored ones. */
export interface StatisticsRebuildStore {
  /** Every event that carries a tally, page by page. */
  talliedEvents(): AsyncIterable<{ eventId: string; at: string; tally: readonly TallyEntry[] }>;
  /** Replaces the counter rows of these months and the open-work rows; marks every event counted. */
  replace(months: Map<string, MonthlyRow[]>, open: OpenRow[], eventIds: readonly { eventId: string; at: string }[]): Promise<void>;
  /** Months that have counter rows now. */
  storedMonths(): Promise<string[]>;
}
