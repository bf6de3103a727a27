// The monthly KPIs (考核指标) computed from summed counters. Pure. Every figure is defined in
// docs/statistics.md so that a supervisor can check it by hand from the counts beside it.
import { COMPLETE_BUCKETS_H, completeBucketField, OUTCOME_FIELDS, SIGN_FOR_BUCKETS_MIN, signForBucketField, type Counts } from './counters.js';

export interface KpiFigures {
  referred: number;
  signedFor: number;
  signedOnTime: number;
  completed: number;
  completedOnTime: number;
  returned: number;
  rerouted: number;
  extensionsAsked: number;
  /** Extensions granted (延期). */
  extended: number;
  /** Deadlines missed: level-1 escalations (超时). */
  overdue: number;
  /** 督办: escalations to the supervisor (level 2) and to the provincial coordinator (level 3). */
  escalated: number;
  /** Escalations by level: 1 reminder (the deadline passed), 2 supervisor, 3 provincial coordinator. */
  escalationsByLevel: [number, number, number];
  followUps: number;
  reached: number;
  satisfactionCount: number;
  satisfactionAvg: number | null;
  /** 按时签收率 = signedOnTime / signedFor. */
  onTimeSignRate: number | null;
  /** 按时办结率 = completedOnTime / completed. */
  onTimeCompletionRate: number | null;
  /** 回访率 = followUps / completed. */
  followUpRate: number | null;
  /** 满意率 = satisfaction 4 or 5 / satisfaction given. */
  satisfactionRate: number | null;
  /** 1–5 distribution of satisfaction. */
  satisfaction: [number, number, number, number, number];
  outcomes: Record<string, number>;
  /** Bucket upper edges (minutes / hours) holding the median and the 90th percentile; null without data. */
  signForMedianMinutes: number | null;
  signForP90Minutes: number | null;
  completeMedianHours: number | null;
  completeP90Hours: number | null;
}

const n = (c: Counts, f: string) => c[f] ?? 0;
const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);

/** The upper edge of the bucket holding the q-quantile; null when there is nothing, or beyond the last edge. */
export function bucketQuantile(counts: readonly number[], edges: readonly number[], q: number): number | null {
  const total = counts.reduce((s, x) => s + x, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return i < edges.length ? edges[i]! : null;
  }
  return null;
}

export function kpisOf(c: Counts): KpiFigures {
  const sign = Array.from({ length: SIGN_FOR_BUCKETS_MIN.length + 1 }, (_, i) => n(c, signForBucketField(i)));
  const complete = Array.from({ length: COMPLETE_BUCKETS_H.length + 1 }, (_, i) => n(c, completeBucketField(i)));
  const satisfactionCount = n(c, 'satisfactionCount');
  return {
    referred: n(c, 'referred'),
    signedFor: n(c, 'signedFor'),
    signedOnTime: n(c, 'signedOnTime'),
    completed: n(c, 'completed'),
    completedOnTime: n(c, 'completedOnTime'),
    returned: n(c, 'returned'),
    rerouted: n(c, 'rerouted'),
    extensionsAsked: n(c, 'extensionsAsked'),
    extended: n(c, 'extensionsGranted'),
    overdue: n(c, 'escalatedLevel1'),
    escalated: n(c, 'escalatedLevel2') + n(c, 'escalatedLevel3'),
    escalationsByLevel: [n(c, 'escalatedLevel1'), n(c, 'escalatedLevel2'), n(c, 'escalatedLevel3')],
    followUps: n(c, 'followUps'),
    reached: n(c, 'reached'),
    satisfactionCount,
    satisfactionAvg: satisfactionCount > 0 ? Math.round((n(c, 'satisfactionSum') / satisfactionCount) * 100) / 100 : null,
    onTimeSignRate: ratio(n(c, 'signedOnTime'), n(c, 'signedFor')),
    onTimeCompletionRate: ratio(n(c, 'completedOnTime'), n(c, 'completed')),
    followUpRate: ratio(n(c, 'followUps'), n(c, 'completed')),
    satisfactionRate: ratio(n(c, 'satisfaction4') + n(c, 'satisfaction5'), satisfactionCount),
    satisfaction: [1, 2, 3, 4, 5].map((s) => n(c, `satisfaction${s}`)) as KpiFigures['satisfaction'],
    outcomes: Object.fromEntries(OUTCOME_FIELDS.map((f) => [f.slice('outcome_'.length), n(c, f)])),
    signForMedianMinutes: bucketQuantile(sign, SIGN_FOR_BUCKETS_MIN, 0.5),
    signForP90Minutes: bucketQuantile(sign, SIGN_FOR_BUCKETS_MIN, 0.9),
    completeMedianHours: bucketQuantile(complete, COMPLETE_BUCKETS_H, 0.5),
    completeP90Hours: bucketQuantile(complete, COMPLETE_BUCKETS_H, 0.9),
  };
}
