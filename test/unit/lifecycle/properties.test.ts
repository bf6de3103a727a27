// Property-based tests of the lifecycle: random sequences of actions (valid or not, at random later
// times) never reach an invalid state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_FROM,
  applyAction,
  dueOf,
  EVENT_TYPES,
  OUTCOMES,
  queueOf,
  REFERRAL_STATUSES,
  RETURN_REASONS,
  SYSTEM_ACTOR,
  type LifecycleAction,
  type TrackedReferral,
} from '../../../shared/domain/lifecycle/index.js';
import { URGENCIES } from '../../../shared/domain/model.js';
import { caseworker, policy, referral } from '../../support/lifecycle-fixtures.js';

// Free text: mostly usable, sometimes empty or blank (which the lifecycle must refuse).
const text = fc.oneof({ weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map((t) => `说明${t}`) }, { weight: 1, arbitrary: fc.constantFrom('', '   ') });
const target = fc.record({
  department: fc.constantFrom('justice', 'civil_affairs', 'public_security', 'manual_triage' as const),
  divisionCode: fc.constantFrom('222403', '222400', '220000'),
  jurisdiction: fc.constantFrom('county', 'prefecture', 'province' as const),
}) as fc.Arbitrary<{ department: 'justice'; divisionCode: string; jurisdiction: 'county' }>;

/** One of each action, with random and sometimes invalid parameters. */
const actionsOfEveryKind = fc.record({
  accept: fc.constant({ type: 'accept' as const }),
  note: text.map((t) => ({ type: 'note' as const, text: t })),
  return: fc.record({ type: fc.constant('return' as const), reason: fc.constantFrom(...RETURN_REASONS), note: text }),
  reroute: target.map((to) => ({ type: 'reroute' as const, to })),
  request_extension: fc.record({
    type: fc.constant('request_extension' as const),
    workingDays: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0, 2.5, 31) }),
    reason: text,
  }),
  decide_extension: fc.record({ type: fc.constant('decide_extension' as const), approve: fc.boolean() }),
  resolve: fc.record({ type: fc.constant('resolve' as const), outcome: fc.constantFrom(...OUTCOMES), reason: fc.option(text, { nil: undefined, freq: 4 }), summary: text }),
  follow_up: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }).map((s) => ({ type: 'follow_up' as const, reached: true, satisfaction: s })) },
    { weight: 2, arbitrary: fc.constant({ type: 'follow_up' as const, reached: false }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('follow_up' as const), reached: fc.boolean(), satisfaction: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) }) },
  ),
  reopen: text.map((t) => ({ type: 'reopen' as const, note: t })),
  escalate: fc.constant({ type: 'escalate' as const }),
  auto_close: fc.constant({ type: 'auto_close' as const }),
}) as fc.Arbitrary<Record<LifecycleAction['type'], LifecycleAction>>;

/**
 * A step: usually one of the actions that apply in the current status (so that runs get deep into
 * the lifecycle), sometimes any action at all (which must then be refused cleanly).
 */
const stepArb = fc.record({
  choices: actionsOfEveryKind,
  pick: fc.nat(),
  wild: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), // one step in five
  wildType: fc.constantFrom(...(Object.keys(ALLOWED_FROM) as LifecycleAction['type'][])),
  sendBack: fc.boolean(),
});
type Step = { choices: Record<LifecycleAction['type'], LifecycleAction>; pick: number; wild: boolean; wildType: LifecycleAction['type']; sendBack: boolean };

function actionFor(r: TrackedReferral, s: Step): LifecycleAction {
  if (s.wild) return s.choices[s.wildType];
  const applicable = (Object.keys(ALLOWED_FROM) as LifecycleAction['type'][]).filter((t) => ALLOWED_FROM[t].includes(r.status));
  const type = applicable[s.pick % applicable.length]!;
  // A coordinator often sends a returned referral back to the department that returned it.
  if (type === 'reroute' && s.sendBack && r.returnedBy)
    return { type: 'reroute', to: { department: r.returnedBy.department as 'justice', divisionCode: r.returnedBy.divisionCode, jurisdiction: 'county' } };
  return s.choices[type];
}

/** Minutes between steps: mostly a minute to two days, sometimes up to 20 days (for auto-close). */
const gap = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 2 * 24 * 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 * 24 * 60 }) });
const start = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-01-31T00:00:00Z'), noInvalidDate: true });
const scenario = fc.record({ start, urgency: fc.constantFrom(...URGENCIES), steps: fc.array(fc.tuple(stepArb, gap), { maxLength: 40 }) });

function checkInvariants(r: TrackedReferral) {
  expect(REFERRAL_STATUSES).toContain(r.status);
  const level = r.escalationLevel ?? 0;
  expect([0, 1, 2, 3]).toContain(level);
  expect(r.escalationKind === undefined).toBe(level === 0);
  // The completion clock runs from acceptance (or reopening) until closure.
  if (r.status === 'referred' || r.status === 'returned') expect(r.completeBy).toBeNull();
  else expect(r.completeBy).toEqual(expect.any(String));
  if (r.status === 'accepted') expect(r.acceptedAt).toEqual(expect.any(String));
  if (r.status === 'resolved' || r.status === 'closed') {
    expect(OUTCOMES).toContain(r.outcome);
    expect(r.autoCloseAt).toEqual(expect.any(String));
  }
  if (r.status === 'closed') expect(r.closedAt).toEqual(expect.any(String));
  if (r.pendingExtension) expect(['accepted', 'reopened']).toContain(r.status);
  if (r.followUp?.reached) expect(r.followUp.satisfaction).toBeGreaterThanOrEqual(1);
  if (r.followUp && !r.followUp.reached) expect(r.followUp.satisfaction).toBeUndefined();
  expect(r.returnCount ?? 0).toBeLessThanOrEqual(2);
  // Placement: a closed referral is in no queue and no due index.
  expect(queueOf(r) === null).toBe(r.status === 'closed');
  const due = dueOf(r, policy);
  if (r.status === 'closed') expect(due).toBeNull();
  else if (level < 3 || r.status === 'resolved') expect(due).not.toBeNull();
}

describe('lifecycle properties', () => {
  it('random action sequences keep every invariant; version rises by one on each success and not otherwise', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(scenario, ({ start, urgency, steps }) => {
        let r = referral({ urgency, referredAt: start.toISOString() });
        let now = start.getTime();
        checkInvariants(r);
        for (const [st, minutes] of steps) {
          now += minutes * 60_000;
          const a = actionFor(r, st);
          const before = structuredClone(r);
          const result = applyAction(r, a, { now: new Date(now), actor: caseworker, clock: policy });
          expect(r).toEqual(before); // pure: the input is never changed
          if (!result.ok) continue;
          const next = result.referral;
          expect(next.version).toBe(r.version + 1);
          expect(result.event.type).toBe(EVENT_TYPES[a.type]);
          // Closed only from resolved (by follow-up or auto-close); reopened only from closed.
          if (next.status === 'closed' && r.status !== 'closed') expect(r.status).toBe('resolved');
          if (next.status === 'reopened' && r.status !== 'reopened') expect(r.status).toBe('closed');
          if (r.status === 'closed') expect(['closed', 'reopened']).toContain(next.status);
          // Escalation climbs one level at a time, only when the level is due.
          if (a.type === 'escalate') {
            expect(next.escalationLevel).toBe((r.escalationLevel ?? 0) + 1);
            const track = next.escalationKind === 'sign_for' ? r.signForBy : r.completeBy!;
            expect(policy.escalationLevelAt(track, r.urgency, new Date(now))).toBeGreaterThanOrEqual(next.escalationLevel!);
          }
          // After the provincial coordinator's final decision no return is possible.
          if (r.finalDecision) expect(a.type === 'return').toBe(false);
          checkInvariants(next);
          reached.add(next.status).add(`${a.type}:${next.status}`);
          if (next.finalDecision) reached.add(`final:${next.finalDecision}`);
          if (a.type === 'escalate') reached.add(`level${next.escalationLevel}:${next.escalationKind}`);
          r = next;
        }
      }),
      // A fixed seed by default, so that the coverage check below cannot fail by the luck of a run
      // (a random run missed level-2 completion escalation once in many); FC_SEED=<n> explores others.
      { numRuns: 400, seed: Number(process.env.FC_SEED ?? 20261204) },
    );
    // The runs really explored the lifecycle, side paths included.
    for (const state of ['follow_up:closed', 'reopen:reopened', 'final:upheld', 'final:rerouted', 'level3:sign_for', 'level2:completion', 'decide_extension:accepted']) {
      expect(reached, state).toContain(state);
    }
  });

  it('auto-close closes a resolved referral exactly when its auto-close time has passed', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 40 * 24 * 60 }), fc.constantFrom(...URGENCIES), (at, minutes, urgency) => {
        const accepted = applyAction(referral({ urgency, referredAt: at.toISOString() }), { type: 'accept' }, { now: at, actor: caseworker, clock: policy });
        if (!accepted.ok) throw new Error('accept failed');
        const resolved = applyAction(accepted.referral, { type: 'resolve', outcome: 'service_provided', summary: '已办结' }, { now: at, actor: caseworker, clock: policy });
        if (!resolved.ok) throw new Error('resolve failed');
        const later = new Date(at.getTime() + minutes * 60_000);
        const result = applyAction(resolved.referral, { type: 'auto_close' }, { now: later, actor: SYSTEM_ACTOR, clock: policy });
        expect(result.ok).toBe(later.getTime() > Date.parse(resolved.referral.autoCloseAt!));
        if (result.ok) {
          expect(result.referral).toMatchObject({ status: 'closed', closedBy: 'auto', version: resolved.referral.version + 1 });
          checkInvariants(result.referral);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the due instant of an open referral is never earlier than the deadline it watches', () => {
    fc.assert(
      fc.property(scenario, ({ start, urgency, steps }) => {
        let r = referral({ urgency, referredAt: start.toISOString() });
        let now = start.getTime();
        for (const [st, minutes] of steps) {
          now += minutes * 60_000;
          const a = actionFor(r, st);
          const result = applyAction(r, a, { now: new Date(now), actor: caseworker, clock: policy });
          if (!result.ok) continue;
          r = result.referral;
          const due = dueOf(r, policy);
          if (!due || due.what !== 'escalation') continue;
          const deadline = r.status === 'referred' || r.status === 'returned' ? r.signForBy : r.completeBy!;
          expect(Date.parse(due.at)).toBeGreaterThanOrEqual(Date.parse(deadline));
        }
      }),
      { numRuns: 200 },
    );
  });
});
