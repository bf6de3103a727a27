// The lifecycle state machine, example by example, on the real working-day calendar.
import { describe, expect, it } from 'vitest';
import { actionsFrom, applyAction, caseStatusAfter, dueOf, queueOf, type LifecycleAction, type TrackedReferral } from '../../../shared/domain/lifecycle/index.js';
import { caseworker, cst, policy, referral } from '../../support/lifecycle-fixtures.js';

const ctx = (wallClock: string) => ({ now: cst(wallClock), actor: caseworker, clock: policy });

function step(r: TrackedReferral, action: LifecycleAction, at: string): TrackedReferral {
  const result = applyAction(r, action, ctx(at));
  if (!result.ok) throw new Error(`${action.type} failed: ${result.code} ${result.message}`);
  return result.referral;
}

const iso = (wallClock: string) => cst(wallClock).toISOString();

describe('the main path: referred → accepted → resolved → closed', () => {
  it('accepting starts the completion clock (15 working days for routine, across the National Day break)', () => {
    const r = referral();
    // Referred the evening before National Day 2025: sign-for by the end of Thu 9 Oct.
    expect(r.signForBy).toBe(iso('2025-10-09 23:59:59.999'));
    const result = applyAction(r, { type: 'accept' }, ctx('2025-10-09 10:00'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const a = result.referral;
    expect(a).toMatchObject({ status: 'accepted', acceptedAt: iso('2025-10-09 10:00'), acceptedBy: 'cw-1', signedForOnTime: true, version: 2, escalationLevel: 0 });
    expect(a.completeBy).toBe(policy.completeBy(cst('2025-10-09 10:00'), 'routine').toISOString());
    expect(result.event).toEqual({ type: 'accepted', details: { completeBy: a.completeBy, signedForOnTime: true } });
  });

  it('a late acceptance is recorded as not on time', () => {
    const a = step(referral(), { type: 'accept' }, '2025-10-10 09:00');
    expect(a.signedForOnTime).toBe(false);
  });

  it('resolve needs a reason unless the service was provided; a follow-up closes it', () => {
    const a = step(referral(), { type: 'accept' }, '2025-10-09 10:00');
    const noReason = applyAction(a, { type: 'resolve', outcome: 'unreachable', summary: '三次电话未接通' }, ctx('2025-10-10 10:00'));
    expect(noReason).toMatchObject({ ok: false, code: 'invalid_input', field: 'reason' });
    const blankReason = applyAction(a, { type: 'resolve', outcome: 'other', reason: '   ', summary: 'x' }, ctx('2025-10-10 10:00'));
    expect(blankReason).toMatchObject({ ok: false, code: 'invalid_input', field: 'reason' });
    const noSummary = applyAction(a, { type: 'resolve', outcome: 'service_provided', summary: '' }, ctx('2025-10-10 10:00'));
    expect(noSummary).toMatchObject({ ok: false, code: 'invalid_input', field: 'summary' });

    const resolved = step(a, { type: 'resolve', outcome: 'service_provided', summary: '已提供法律咨询' }, '2025-10-10 10:00');
    expect(resolved).toMatchObject({ status: 'resolved', outcome: 'service_provided', resolvedOnTime: true, autoCloseAt: iso('2025-10-25 10:00') });

    expect(applyAction(resolved, { type: 'follow_up', reached: true }, ctx('2025-10-11 10:00'))).toMatchObject({ ok: false, field: 'satisfaction' });
    expect(applyAction(resolved, { type: 'follow_up', reached: false, satisfaction: 3 }, ctx('2025-10-11 10:00'))).toMatchObject({ ok: false, field: 'satisfaction' });
    expect(applyAction(resolved, { type: 'follow_up', reached: true, satisfaction: 6 }, ctx('2025-10-11 10:00'))).toMatchObject({ ok: false, field: 'satisfaction' });
    const closed = step(resolved, { type: 'follow_up', reached: true, satisfaction: 5 }, '2025-10-11 10:00');
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'follow_up', followUp: { reached: true, satisfaction: 5 }, version: 4 });
    expect(queueOf(closed)).toBeNull();
    expect(dueOf(closed, policy)).toBeNull();
  });

  it('a follow-up that did not reach her closes it without satisfaction', () => {
    const resolved = step(
      step(referral(), { type: 'accept' }, '2025-10-09 10:00'),
      { type: 'resolve', outcome: 'client_declined', reason: '本人表示暂不需要', summary: '已说明可随时再联系' },
      '2025-10-10 10:00',
    );
    const closed = step(resolved, { type: 'follow_up', reached: false }, '2025-10-12 10:00');
    expect(closed.followUp).toEqual({ reached: false, at: iso('2025-10-12 10:00') });
  });

  it('wrong-state actions are refused and change nothing', () => {
    const r = referral();
    for (const action of [
      { type: 'resolve', outcome: 'service_provided', summary: 's' },
      { type: 'follow_up', reached: false },
      { type: 'reopen', note: 'n' },
      { type: 'request_extension', workingDays: 2, reason: 'r' },
      { type: 'decide_extension', approve: true },
    ] as LifecycleAction[]) {
      const result = applyAction(r, action, ctx('2025-10-09 10:00'));
      expect(result, action.type).toMatchObject({ ok: false, code: 'invalid_state' });
    }
    const a = step(r, { type: 'accept' }, '2025-10-09 10:00');
    expect(applyAction(a, { type: 'accept' }, ctx('2025-10-09 10:01'))).toMatchObject({ ok: false, code: 'invalid_state' });
  });
});

describe('auto-close', () => {
  it('closes a resolved referral only after autoCloseDays', () => {
    const resolved = step(step(referral(), { type: 'accept' }, '2025-10-09 10:00'), { type: 'resolve', outcome: 'service_provided', summary: 's' }, '2025-10-10 10:00');
    expect(dueOf(resolved, policy)).toEqual({ at: iso('2025-10-25 10:00'), what: 'auto_close' });
    expect(applyAction(resolved, { type: 'auto_close' }, ctx('2025-10-25 10:00'))).toMatchObject({ ok: false, code: 'not_due' });
    const closed = step(resolved, { type: 'auto_close' }, '2025-10-25 10:00:01');
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'auto' });
  });
});

describe('return, re-route and the final decision', () => {
  it('a return goes to the division coordinator; a second return to the provincial coordinator', () => {
    const r = referral();
    const returned = step(r, { type: 'return', reason: 'not_our_function', note: '不属于本部门职能' }, '2025-10-09 09:00');
    expect(returned).toMatchObject({ status: 'returned', returnCount: 1, returnedBy: { department: 'justice', divisionCode: '222403' }, completeBy: null });
    expect(queueOf(returned)?.queue).toEqual({ kind: 'coordinator', divisionCode: '222403' });
    // The coordinator has the sign-for window to re-route it: one working day for routine.
    expect(returned.signForBy).toBe(iso('2025-10-10 23:59:59.999'));

    const rerouted = step(returned, { type: 'reroute', to: { department: 'civil_affairs', divisionCode: '222403', jurisdiction: 'county' } }, '2025-10-09 11:00');
    expect(rerouted).toMatchObject({ status: 'referred', department: 'civil_affairs', reroutedAt: iso('2025-10-09 11:00'), signForBy: iso('2025-10-10 23:59:59.999') });
    expect(rerouted.coDepartments).toEqual(['womens_federation']);
    expect(queueOf(rerouted)?.queue).toEqual({ kind: 'department', department: 'civil_affairs', divisionCode: '222403' });

    const again = step(rerouted, { type: 'return', reason: 'not_our_jurisdiction', note: '不在本辖区' }, '2025-10-09 15:00');
    expect(again.returnCount).toBe(2);
    expect(queueOf(again)?.queue).toEqual({ kind: 'coordinator', divisionCode: '220000' });

    const upheld = step(again, { type: 'reroute', to: { department: 'civil_affairs', divisionCode: '222403', jurisdiction: 'county' } }, '2025-10-10 09:00');
    expect(upheld.finalDecision).toBe('upheld');
    expect(applyAction(upheld, { type: 'return', reason: 'not_our_function', note: 'x' }, ctx('2025-10-10 10:00'))).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('the final decision can send it elsewhere', () => {
    let r = step(referral(), { type: 'return', reason: 'not_our_function', note: 'a' }, '2025-10-09 09:00');
    r = step(r, { type: 'reroute', to: { department: 'justice', divisionCode: '222403', jurisdiction: 'county' } }, '2025-10-09 10:00');
    r = step(r, { type: 'return', reason: 'not_our_function', note: 'b' }, '2025-10-09 11:00');
    const decided = applyAction(r, { type: 'reroute', to: { department: 'womens_federation', divisionCode: '222400', jurisdiction: 'prefecture' } }, ctx('2025-10-09 12:00'));
    expect(decided).toMatchObject({ ok: true, event: { type: 'rerouted', details: { finalDecision: 'rerouted' } } });
  });

  it('an accepted referral can be returned, which stops its completion clock', () => {
    const a = step(referral(), { type: 'accept' }, '2025-10-09 10:00');
    const returned = step(a, { type: 'return', reason: 'not_our_jurisdiction', note: '户籍不在本县' }, '2025-10-09 11:00');
    expect(returned.completeBy).toBeNull();
    expect(returned.acceptedAt).toBeUndefined();
  });

  it('re-routing a referred referral to where it already is is refused', () => {
    expect(applyAction(referral(), { type: 'reroute', to: { department: 'justice', divisionCode: '222403', jurisdiction: 'county' } }, ctx('2025-10-09 10:00'))).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });
});

describe('extensions', () => {
  it('an approved extension moves the completion deadline by working days; a refused one does not', () => {
    const a = step(referral(), { type: 'accept' }, '2025-10-09 10:00');
    const asked = step(a, { type: 'request_extension', workingDays: 5, reason: '需等待调解' }, '2025-10-20 10:00');
    expect(asked.pendingExtension).toEqual({ workingDays: 5, requestedAt: iso('2025-10-20 10:00'), requestedBy: 'cw-1' });
    expect(applyAction(asked, { type: 'request_extension', workingDays: 1, reason: 'x' }, ctx('2025-10-20 11:00'))).toMatchObject({ ok: false, code: 'invalid_state' });

    const approved = step(asked, { type: 'decide_extension', approve: true }, '2025-10-20 12:00');
    expect(approved.completeBy).toBe(policy.completeBy(cst('2025-10-09 10:00'), 'routine', 5).toISOString());
    expect(approved.approvedExtensionDays).toBe(5);
    expect(approved.pendingExtension).toBeUndefined();

    const refused = step(step(approved, { type: 'request_extension', workingDays: 3, reason: 'y' }, '2025-10-21 10:00'), { type: 'decide_extension', approve: false }, '2025-10-21 11:00');
    expect(refused.completeBy).toBe(approved.completeBy);
    expect(refused.approvedExtensionDays).toBe(5);
  });

  it('refuses 0, fractional and over-long extensions', () => {
    const a = step(referral(), { type: 'accept' }, '2025-10-09 10:00');
    for (const workingDays of [0, 1.5, 31]) {
      expect(applyAction(a, { type: 'request_extension', workingDays, reason: 'r' }, ctx('2025-10-10 10:00'))).toMatchObject({ ok: false, field: 'workingDays' });
    }
  });
});

describe('reopen', () => {
  it('brings a closed referral back, behaving like accepted with a new completion clock', () => {
    let r = step(referral(), { type: 'accept' }, '2025-10-09 10:00');
    r = step(r, { type: 'resolve', outcome: 'service_provided', summary: 's' }, '2025-10-10 10:00');
    r = step(r, { type: 'follow_up', reached: true, satisfaction: 2 }, '2025-10-13 10:00');
    expect(applyAction(r, { type: 'reopen', note: '' }, ctx('2025-10-20 10:00'))).toMatchObject({ ok: false, field: 'note' });
    const reopened = step(r, { type: 'reopen', note: '本人再次来电，问题未解决' }, '2025-10-20 10:00');
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, completionStartedAt: iso('2025-10-20 10:00') });
    expect(reopened.completeBy).toBe(policy.completeBy(cst('2025-10-20 10:00'), 'routine').toISOString());
    expect(reopened.closedAt).toBeUndefined();
    expect(reopened.followUp).toBeUndefined();
    expect(queueOf(reopened)?.queue).toEqual({ kind: 'department', department: 'justice', divisionCode: '222403' });
    expect(actionsFrom('reopened')).toEqual(actionsFrom('accepted'));
  });
});

describe('escalation of an unsigned routine referral (referred the evening before National Day)', () => {
  // Deadline end of Thu 9 Oct; level 2 one working day later (Fri 10 Oct); level 3 two working
  // days after that: Sat 11 Oct is a 调休 working day, so end of Mon 13 Oct.
  const r = referral();
  it('is not due at the deadline itself', () => {
    expect(applyAction(r, { type: 'escalate' }, ctx('2025-10-09 23:59:59.999'))).toMatchObject({ ok: false, code: 'not_due' });
  });
  it('climbs one level per step, at the working-day moments', () => {
    const l1 = step(r, { type: 'escalate' }, '2025-10-10 00:00');
    expect(l1).toMatchObject({ escalationLevel: 1, escalationKind: 'sign_for', escalatedAt: iso('2025-10-10 00:00') });
    expect(dueOf(l1, policy)).toEqual({ at: iso('2025-10-10 23:59:59.999'), what: 'escalation' });
    expect(applyAction(l1, { type: 'escalate' }, ctx('2025-10-10 23:00'))).toMatchObject({ ok: false, code: 'not_due' });
    const l2 = step(l1, { type: 'escalate' }, '2025-10-11 08:00');
    expect(dueOf(l2, policy)?.at).toBe(iso('2025-10-13 23:59:59.999'));
    const l3 = step(l2, { type: 'escalate' }, '2025-10-14 00:00');
    expect(l3.escalationLevel).toBe(3);
    expect(dueOf(l3, policy)).toBeNull();
    expect(applyAction(l3, { type: 'escalate' }, ctx('2026-01-01 00:00'))).toMatchObject({ ok: false, code: 'not_due' });
  });
  it('a late run escalates one level per step even when several are due', () => {
    const result = applyAction(r, { type: 'escalate' }, ctx('2025-10-20 00:00'));
    expect(result).toMatchObject({ ok: true, referral: { escalationLevel: 1 }, event: { type: 'escalated', details: { level: 1, kind: 'sign_for', notify: 'on_duty_caseworkers' } } });
  });
  it('accepting resets the escalation and watches the completion deadline', () => {
    const l1 = step(r, { type: 'escalate' }, '2025-10-10 00:00');
    const a = step(l1, { type: 'accept' }, '2025-10-10 08:00');
    expect(a.escalationLevel).toBe(0);
    expect(a.escalationKind).toBeUndefined();
    expect(dueOf(a, policy)).toEqual({ at: a.completeBy, what: 'escalation' });
  });
});

describe('case status', () => {
  it('closes when every referral is closed and reopens when one reopens', () => {
    expect(caseStatusAfter('open', [{ status: 'closed' }, { status: 'resolved' }])).toBe('open');
    expect(caseStatusAfter('open', [{ status: 'closed' }, { status: 'closed' }])).toBe('closed');
    expect(caseStatusAfter('closed', [{ status: 'closed' }, { status: 'reopened' }])).toBe('open');
    expect(caseStatusAfter('not_referred', [])).toBe('not_referred');
  });
});
