// The statistics counters, and what one event adds to them. Pure.
//
// Monthly counters are kept per month (China time) × division × department × need × urgency; each
// field is a plain count, so any scope's figure is the sum of its rows. Open-work counters are kept
// per division × department, one field per status and urgency, and move by −1/+1 as referrals move.
// The definitions of every field and KPI are in docs/statistics.md.
import { cstMonthOf } from '../deadlines/cst.js';
import { OPEN_STATUSES } from '../case/case.js';

export { OPEN_STATUSES };
import type { Urgency } from '../model.js';
import type { ReferralSnapshot, TallyEntry } from './tally.js';

/** Upper edges of the time-to-sign-for buckets, in minutes (the last bucket is "more"). */
export const SIGN_FOR_BUCKETS_MIN = [30, 60, 120, 240, 480, 1440, 2880, 4320, 7200, 43200] as const;
/** Upper edges of the time-to-complete buckets, in hours (the last bucket is "more"). */
export const COMPLETE_BUCKETS_H = [24, 72, 120, 168, 240, 360, 504, 720, 2160] as const;

export const signForBucketField = (i: number) => `signForBucket${i}`;
export const completeBucketField = (i: number) => `completeBucket${i}`;

export const OUTCOME_FIELDS = ['service_provided', 'referred_elsewhere', 'client_declined', 'unreachable', 'not_eligible', 'other'].map((o) => `outcome_${o}`);

/** Every field of a monthly counter row, in a fixed order (reports and rebuilds list them all). */
export const MONTHLY_FIELDS = [
  'referred',
  'signedFor',
  'signedOnTime',
  'completed',
  'completedOnTime',
  ...OUTCOME_FIELDS,
  'returned',
  'rerouted',
  'extensionsAsked',
  'extensionsGranted',
  'escalatedLevel1',
  'escalatedLevel2',
  'escalatedLevel3',
  'followUps',
  'reached',
  'satisfactionSum',
  'satisfactionCount',
  'satisfaction1',
  'satisfaction2',
  'satisfaction3',
  'satisfaction4',
  'satisfaction5',
  'reopened',
  'cancelled',
  'closed',
  ...Array.from({ length: SIGN_FOR_BUCKETS_MIN.length + 1 }, (_, i) => signForBucketField(i)),
  ...Array.from({ length: COMPLETE_BUCKETS_H.length + 1 }, (_, i) => completeBucketField(i)),
] as const;

export type Counts = Record<string, number>;

export interface MonthlyKey {
  /** YYYY-MM in China time. */
  month: string;
  divisionCode: string;
  department: string;
  need: string;
  urgency: Urgency;
}

export interface OpenKey {
  divisionCode: string;
  department: string;
}

export type OpenStatus = (typeof OPEN_STATUSES)[number];
export const isOpenStatus = (s: string): s is OpenStatus => (OPEN_STATUSES as readonly string[]).includes(s);
/** Field of an open-work counter: `<status>_<urgency>`. */
export const openField = (status: OpenStatus, urgency: Urgency) => `${status}_${urgency}`;

export interface EventCounts {
  monthly: { key: MonthlyKey; counts: Counts }[];
  open: { key: OpenKey; counts: Counts }[];
}

/** The month of an instant in China (UTC+8), YYYY-MM. */
export const monthOf = (at: string): string => cstMonthOf(at);

export const monthlyKeyString = (k: MonthlyKey) => `${k.month}|${k.divisionCode}|${k.department}|${k.need}|${k.urgency}`;
export const openKeyString = (k: OpenKey) => `${k.divisionCode}|${k.department}`;

/** Index of the bucket whose upper edge first holds the value (edges.length = "more"). */
export function bucketOf(value: number, edges: readonly number[]): number {
  const i = edges.findIndex((e) => value <= e);
  return i === -1 ? edges.length : i;
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

function add(counts: Counts, field: string, n = 1) {
  counts[field] = (counts[field] ?? 0) + n;
}

/** What one referral's change adds to the monthly counters, keyed by where it happened. */
function monthlyOf(month: string, before: ReferralSnapshot | undefined, after: ReferralSnapshot | undefined): { key: MonthlyKey; counts: Counts }[] {
  const rows = new Map<string, { key: MonthlyKey; counts: Counts }>();
  const at = (s: ReferralSnapshot) => {
    const key: MonthlyKey = { month, divisionCode: s.divisionCode, department: s.department, need: s.need, urgency: s.urgency };
    const k = monthlyKeyString(key);
    let row = rows.get(k);
    if (!row) rows.set(k, (row = { key, counts: {} }));
    return row.counts;
  };
  const b = before;
  const a = after;
  if (a) {
    // Referred to a department: created, or re-routed (the re-route restarts the sign-for clock).
    if (a.status === 'referred' && (!b || a.enteredAt !== b.enteredAt)) add(at(a), 'referred');
    if (b && a.enteredAt !== b.enteredAt) add(at(b), 'rerouted');
  }
  if (b && a) {
    if (a.status === 'returned' && b.status !== 'returned') add(at(b), 'returned');
    if (b.status === 'referred' && a.status === 'accepted') {
      const c = at(a);
      add(c, 'signedFor');
      if (a.signedForOnTime) add(c, 'signedOnTime');
      if (a.acceptedAt) add(c, signForBucketField(bucketOf(minutesBetween(b.enteredAt, a.acceptedAt), SIGN_FOR_BUCKETS_MIN)));
    }
    if (!b.pendingExtension && a.pendingExtension) add(at(a), 'extensionsAsked');
    if (b.pendingExtension && !a.pendingExtension && a.approvedExtensionDays > b.approvedExtensionDays && a.status === b.status) add(at(a), 'extensionsGranted');
    if (a.escalationLevel > b.escalationLevel) add(at(a), `escalatedLevel${a.escalationLevel}`);
    if (b.status === 'closed' && a.status === 'reopened') add(at(a), 'reopened');
    if (a.status === 'cancelled' && b.status !== 'cancelled') add(at(b), 'cancelled');
    if (a.status === 'closed' && b.status !== 'closed') add(at(a), 'closed');
  }
  if (a && a.status === 'resolved' && b?.status !== 'resolved') {
    const c = at(a);
    add(c, 'completed');
    if (a.resolvedOnTime) add(c, 'completedOnTime');
    if (a.outcome) add(c, `outcome_${a.outcome}`);
    const start = a.completionStartedAt ?? a.acceptedAt ?? a.enteredAt;
    if (a.resolvedAt) add(c, completeBucketField(bucketOf(minutesBetween(start, a.resolvedAt) / 60, COMPLETE_BUCKETS_H)));
  }
  if (a?.followUp && !b?.followUp) {
    const c = at(a);
    add(c, 'followUps');
    if (a.followUp.reached) add(c, 'reached');
    const s = a.followUp.satisfaction;
    if (s !== undefined) {
      add(c, 'satisfactionSum', s);
      add(c, 'satisfactionCount');
      add(c, `satisfaction${s}`);
    }
  }
  return [...rows.values()].filter((r) => Object.keys(r.counts).length > 0);
}

/** What an event adds to the counters: nothing for an event without a tally (a note, a read). */
export function countEvent(event: { at: string; tally?: readonly TallyEntry[] }): EventCounts {
  const month = monthOf(event.at);
  const monthly = new Map<string, { key: MonthlyKey; counts: Counts }>();
  const open = new Map<string, { key: OpenKey; counts: Counts }>();
  const openAt = (s: ReferralSnapshot) => {
    const key = { divisionCode: s.divisionCode, department: s.department };
    const k = openKeyString(key);
    let row = open.get(k);
    if (!row) open.set(k, (row = { key, counts: {} }));
    return row.counts;
  };
  for (const { before, after } of event.tally ?? []) {
    if (before?.test || after?.test) continue;
    for (const row of monthlyOf(month, before, after)) {
      const k = monthlyKeyString(row.key);
      const into = monthly.get(k);
      if (!into) monthly.set(k, row);
      else for (const [f, n] of Object.entries(row.counts)) add(into.counts, f, n);
    }
    if (before && isOpenStatus(before.status)) add(openAt(before), openField(before.status, before.urgency), -1);
    if (after && isOpenStatus(after.status)) add(openAt(after), openField(after.status, after.urgency), 1);
  }
  const nonZero = (c: Counts) => Object.fromEntries(Object.entries(c).filter(([, n]) => n !== 0));
  return {
    monthly: [...monthly.values()],
    open: [...open.values()].map((r) => ({ key: r.key, counts: nonZero(r.counts) })).filter((r) => Object.keys(r.counts).length > 0),
  };
}

/** Adds counts into a total (sums field by field). */
export function addCounts(into: Counts, from: Counts): Counts {
  for (const [f, n] of Object.entries(from)) if (typeof n === 'number') add(into, f, n);
  return into;
}
