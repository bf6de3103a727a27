// The statistics audit (property-based): random referral histories, run through the real lifecycle,
// are written as the events the repository stores (with their tallies), delivered to the real
// statistics stream handler in random batches with redeliveries and failed writes, and the counters
// must equal a brute-force recount made from the actions themselves (not from the tallies).
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/adapters/logger.js';
import { createStatisticsHandler } from '../../../functions/statistics/handler.js';
import { actionsFrom, applyAction, OUTCOMES, SYSTEM_ACTOR, type LifecycleAction, type TrackedReferral } from '../../../shared/domain/lifecycle/index.js';
import { URGENCIES, type Urgency } from '../../../shared/domain/model.js';
import { bucketOf, COMPLETE_BUCKETS_H, completeBucketField, SIGN_FOR_BUCKETS_MIN, signForBucketField, type Counts } from '../../../shared/domain/statistics/counters.js';
import { tallyOf, type TallyEntry } from '../../../shared/domain/statistics/tally.js';
import { InMemoryStatistics } from '../../support/in-memory-statistics.js';
import { cst, policy, referral } from '../../support/lifecycle-fixtures.js';

const CASE = '01KB0000000000000000000000';
const DEPARTMENTS = ['justice', 'civil_affairs', 'health'] as const;
const DIVISIONS = ['222403', '222400', '220102'] as const;

const stepArb = fc.record({
  pick: fc.nat(),
  minutes: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 30 * 24 * 60 })),
  satisfaction: fc.integer({ min: 1, max: 5 }),
  reached: fc.boolean(),
  approve: fc.boolean(),
  days: fc.integer({ min: 1, max: 10 }),
  target: fc.nat(),
  outcome: fc.constantFrom(...OUTCOMES),
  escalateInstead: fc.boolean(),
});
const referralArb = fc.record({
  urgency: fc.constantFrom(...URGENCIES),
  department: fc.constantFrom(...DEPARTMENTS),
  divisionCode: fc.constantFrom(...DIVISIONS),
  need: fc.constantFrom('legal_aid', 'health_screening', 'social_assistance'),
  steps: fc.array(stepArb, { maxLength: 14 }),
});
const historyArb = fc.record({
  startDay: fc.integer({ min: 0, max: 60 }),
  referrals: fc.array(referralArb, { minLength: 1, maxLength: 4 }),
  /** How the event stream is cut into batches, which records come again, which writes fail. */
  batchSizes: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
  redeliver: fc.array(fc.nat(), { maxLength: 12 }),
  failures: fc.integer({ min: 0, max: 3 }),
});

type StepInput = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

interface LoggedStep {
  action: LifecycleAction;
  at: string;
  before: TrackedReferral;
  after: TrackedReferral;
}

function actionFor(r: TrackedReferral, s: StepInput): LifecycleAction | null {
  const allowed: LifecycleAction['type'][] = [...actionsFrom(r.status)];
  if (['referred', 'returned', 'accepted', 'reopened'].includes(r.status) && s.escalateInstead) return { type: 'escalate' };
  if (r.status === 'resolved' && s.escalateInstead) return { type: 'auto_close' };
  if (allowed.length === 0) return null;
  const type = allowed[s.pick % allowed.length]!;
  switch (type) {
    case 'accept':
      return { type };
    case 'note':
      return { type, text: '进展' };
    case 'return':
      return { type, reason: 'not_our_function', note: '不属本部门职责' };
    case 'reroute':
      return { type, to: { department: DEPARTMENTS[s.target % 3]!, divisionCode: DIVISIONS[(s.target >> 2) % 3]!, jurisdiction: 'county' } as never };
    case 'request_extension':
      return { type, workingDays: s.days, reason: '需要补充材料' };
    case 'decide_extension':
      return { type, approve: s.approve };
    case 'resolve':
      return { type, outcome: s.outcome, reason: '说明', summary: '已办结' };
    case 'follow_up':
      return s.reached ? { type, reached: true, satisfaction: s.satisfaction } : { type, reached: false };
    case 'reopen':
      return { type, note: '她又来电' };
    default:
      return null;
  }
}

/** The recount, from the actions and the lifecycle's own rules, independent of tallies and snapshots. */
function recount(initial: { r: TrackedReferral; at: string }[], steps: LoggedStep[], finals: TrackedReferral[]) {
  const monthly = new Map<string, Counts>();
  const month = (at: string) => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 7);
  const bump = (r: TrackedReferral, at: string, field: string, n = 1) => {
    const k = `${month(at)}|${r.divisionCode}|${r.department}|${r.need}|${r.urgency}`;
    const c = monthly.get(k) ?? monthly.set(k, {}).get(k)!;
    c[field] = (c[field] ?? 0) + n;
  };
  for (const { r, at } of initial) bump(r, at, 'referred');
  for (const { action, at, before, after } of steps) {
    const minutes = (from: string) => (Date.parse(at) - Date.parse(from)) / 60_000;
    switch (action.type) {
      case 'accept':
        bump(after, at, 'signedFor');
        if (Date.parse(at) <= Date.parse(before.signForBy)) bump(after, at, 'signedOnTime');
        bump(after, at, signForBucketField(bucketOf(minutes(before.reroutedAt ?? before.referredAt), SIGN_FOR_BUCKETS_MIN)));
        break;
      case 'return':
        bump(before, at, 'returned');
        break;
      case 'reroute':
        bump(before, at, 'rerouted');
        bump(after, at, 'referred');
        break;
      case 'request_extension':
        bump(after, at, 'extensionsAsked');
        break;
      case 'decide_extension':
        if (action.approve) bump(after, at, 'extensionsGranted');
        break;
      case 'resolve':
        bump(after, at, 'completed');
        if (!before.completeBy || Date.parse(at) <= Date.parse(before.completeBy)) bump(after, at, 'completedOnTime');
        bump(after, at, `outcome_${action.outcome}`);
        bump(after, at, completeBucketField(bucketOf(minutes(before.completionStartedAt!) / 60, COMPLETE_BUCKETS_H)));
        break;
      case 'follow_up':
        bump(after, at, 'followUps');
        bump(after, at, 'closed');
        if (action.reached) {
          bump(after, at, 'reached');
          bump(after, at, 'satisfactionSum', action.satisfaction!);
          bump(after, at, 'satisfactionCount');
          bump(after, at, `satisfaction${action.satisfaction}`);
        }
        break;
      case 'auto_close':
        bump(after, at, 'closed');
        break;
      case 'reopen':
        bump(after, at, 'reopened');
        break;
      case 'escalate':
        bump(after, at, `escalatedLevel${after.escalationLevel}`);
        break;
    }
  }
  const open = new Map<string, Counts>();
  for (const r of finals) {
    if (!['referred', 'accepted', 'reopened', 'returned', 'resolved'].includes(r.status)) continue;
    const k = `${r.divisionCode}|${r.department}`;
    const c = open.get(k) ?? open.set(k, {}).get(k)!;
    c[`${r.status}_${r.urgency}`] = (c[`${r.status}_${r.urgency}`] ?? 0) + 1;
  }
  return { monthly, open };
}

const streamRecord = (e: { eventId: string; at: string; tally: TallyEntry[] }, seq: number): DynamoDBRecord => ({
  eventID: `evt-${seq}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(seq).padStart(21, '0'),
    NewImage: marshall({ pk: `CASE#${CASE}`, sk: `EVT#${e.at}#${e.eventId}`, entity: 'event', caseId: CASE, type: 'x', ...e }, { removeUndefinedValues: true }) as never,
  },
});

describe('statistics counters: stream-fed counts equal a recount of the actions', () => {
  // The handler logs each failed write and malformed event; the assertions are on the counters.
  beforeAll(() => void vi.spyOn(logger, 'error').mockImplementation(() => undefined));

  it('for random referral histories, with redeliveries and failed writes', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const t0 = cst(`2025-10-01 09:00`).getTime() + h.startDay * 86_400_000;
        const created = new Date(t0).toISOString();
        const initial = h.referrals.map((g, i) =>
          referral({
            referralId: `${CASE}-${i + 1}`,
            seq: i + 1,
            urgency: g.urgency as Urgency,
            department: g.department as never,
            divisionCode: g.divisionCode,
            need: g.need as never,
            referredAt: created,
          }),
        );
        // The creation writes one event for the whole case, as saveNewCase does.
        const events: { eventId: string; at: string; tally: TallyEntry[] }[] = [{ eventId: 'E-created', at: created, tally: tallyOf(initial.map((r) => ({ after: r }))) }];
        const steps: LoggedStep[] = [];
        const finals: TrackedReferral[] = [];
        h.referrals.forEach((g, i) => {
          let r = initial[i]!;
          let t = t0;
          g.steps.forEach((s, n) => {
            t += s.minutes * 60_000;
            const action = actionFor(r, s);
            if (!action) return;
            const res = applyAction(r, action, {
              now: new Date(t),
              actor: action.type === 'escalate' || action.type === 'auto_close' ? SYSTEM_ACTOR : { id: 'cw', role: 'caseworker' },
              clock: policy,
            });
            if (!res.ok) return;
            const at = new Date(t).toISOString();
            steps.push({ action, at, before: r, after: res.referral });
            const tally = tallyOf([{ before: r, after: res.referral }]);
            if (tally.length > 0) events.push({ eventId: `E-${i}-${n}`, at, tally });
            r = res.referral;
          });
          finals.push(r);
        });

        // Deliver: batches of random sizes, some records again later, some writes failing (retried).
        const store = new InMemoryStatistics();
        const handler = createStatisticsHandler(() => store);
        const records = events.map(streamRecord);
        const queue = [...records];
        for (const i of h.redeliver) if (records.length > 0) queue.push(records[i % records.length]!);
        store.failNext = h.failures;
        let b = 0;
        while (queue.length > 0) {
          const batch = queue.splice(0, h.batchSizes[b++ % h.batchSizes.length]!);
          const failed = (await handler({ Records: batch })).batchItemFailures.map((f) => f.itemIdentifier);
          // As Lambda does: what failed comes again.
          queue.unshift(...batch.filter((r) => failed.includes(r.dynamodb!.SequenceNumber!)));
        }

        const expected = recount(
          initial.map((r) => ({ r, at: created })),
          steps,
          finals,
        );
        const nonZero = (c: Counts) => Object.fromEntries(Object.entries(c).filter(([, n]) => n !== 0));
        const got = new Map([...store.monthly].map(([k, v]) => [k, nonZero(v.counts)]));
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected.monthly));
        const gotOpen = Object.fromEntries([...store.open].map(([k, v]) => [k, nonZero(v.counts)]).filter(([, c]) => Object.keys(c as Counts).length > 0));
        expect(gotOpen).toEqual(Object.fromEntries(expected.open));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  });

  it('counts nothing twice: the same event delivered in two batches adds once', async () => {
    const store = new InMemoryStatistics();
    const handler = createStatisticsHandler(() => store);
    const r = referral({ referralId: `${CASE}-1` });
    const record = streamRecord({ eventId: 'E1', at: r.referredAt, tally: tallyOf([{ after: r }]) }, 1);
    await handler({ Records: [record] });
    await handler({ Records: [record, record] });
    expect([...store.monthly.values()].map((row) => row.counts)).toEqual([{ referred: 1 }]);
  });

  it('skips a malformed event (no retry would mend it) and counts those beside it', async () => {
    const store = new InMemoryStatistics();
    const handler = createStatisticsHandler(() => store);
    const r = referral({ referralId: `${CASE}-1` });
    const bad = streamRecord({ eventId: 'E0', at: r.referredAt, tally: [{ after: { ...tallyOf([{ after: r }])[0]!.after!, urgency: 'whenever' as never } }] }, 1);
    const good = streamRecord({ eventId: 'E1', at: r.referredAt, tally: tallyOf([{ after: r }]) }, 2);
    expect((await handler({ Records: [bad, good] })).batchItemFailures).toEqual([]);
    expect(store.seen).toEqual(new Set(['E1']));
  });
});
