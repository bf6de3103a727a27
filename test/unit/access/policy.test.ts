// The role × action matrix of the access policy, cell by cell, written out by hand.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { authorize, canViewCase, caseViewScope, divisionWithin, REFERRAL_ACTIONS, resolveQueue, type Actor, type ReferralAction } from '../../../shared/domain/access/policy.js';

// The referral: justice in 敦化市 (222403, in 延边州 222400).
const referral = { department: 'justice', divisionCode: '222403' };

const actors: Record<string, Actor> = {
  'caseworker, own department and division': { role: 'caseworker', department: 'justice', divisionCode: '222403' },
  'caseworker, other department': { role: 'caseworker', department: 'health', divisionCode: '222403' },
  'caseworker, other division': { role: 'caseworker', department: 'justice', divisionCode: '222401' },
  'caseworker, own department at the prefecture': { role: 'caseworker', department: 'justice', divisionCode: '222400' },
  'caseworker without department': { role: 'caseworker', department: null, divisionCode: '222403' },
  'supervisor, own department and division': { role: 'supervisor', department: 'justice', divisionCode: '222403' },
  'supervisor, other department': { role: 'supervisor', department: 'civil_affairs', divisionCode: '222403' },
  'supervisor, other division': { role: 'supervisor', department: 'justice', divisionCode: '220122' },
  'coordinator of the county': { role: 'coordinator', department: null, divisionCode: '222403' },
  'coordinator of the prefecture': { role: 'coordinator', department: null, divisionCode: '222400' },
  'coordinator of another county': { role: 'coordinator', department: null, divisionCode: '222401' },
  'coordinator of another prefecture': { role: 'coordinator', department: null, divisionCode: '220100' },
  'provincial coordinator': { role: 'coordinator', department: null, divisionCode: '220000' },
  admin: { role: 'admin', department: null, divisionCode: null },
};

// Columns: view accept note return reroute request_extension decide_extension resolve follow_up reopen
const Y = true;
const _ = false;
const MATRIX: Record<string, boolean[]> = {
  'caseworker, own department and division': [Y, Y, Y, Y, _, Y, _, Y, Y, Y],
  'caseworker, other department': [_, _, _, _, _, _, _, _, _, _],
  'caseworker, other division': [_, _, _, _, _, _, _, _, _, _],
  'caseworker, own department at the prefecture': [_, _, _, _, _, _, _, _, _, _],
  'caseworker without department': [_, _, _, _, _, _, _, _, _, _],
  'supervisor, own department and division': [Y, Y, Y, Y, _, Y, Y, Y, Y, Y],
  'supervisor, other department': [_, _, _, _, _, _, _, _, _, _],
  'supervisor, other division': [_, _, _, _, _, _, _, _, _, _],
  'coordinator of the county': [Y, _, Y, _, Y, _, _, _, _, Y],
  'coordinator of the prefecture': [Y, _, Y, _, Y, _, _, _, _, Y],
  'coordinator of another county': [_, _, _, _, _, _, _, _, _, _],
  'coordinator of another prefecture': [_, _, _, _, _, _, _, _, _, _],
  'provincial coordinator': [Y, _, Y, _, Y, _, _, _, _, Y],
  admin: [Y, _, _, _, _, _, _, _, _, _],
};

const ACTION_COLUMNS: ReferralAction[] = ['view', 'accept', 'note', 'return', 'reroute', 'request_extension', 'decide_extension', 'resolve', 'follow_up', 'reopen'];

describe('role × action matrix', () => {
  it('covers every action and every actor', () => {
    expect([...ACTION_COLUMNS].sort()).toEqual([...REFERRAL_ACTIONS].sort());
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(actors).sort());
  });

  const cells = Object.entries(MATRIX).flatMap(([who, row]) => ACTION_COLUMNS.map((action, i) => [who, action, row[i]!] as const));
  it.each(cells)('%s → %s: %s', (who, action, allowed) => {
    const decision = authorize(actors[who]!, action, referral);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(/^[a-z_]+$/);
  });
});

describe('re-routing', () => {
  const county = actors['coordinator of the county']!;
  const province = actors['provincial coordinator']!;
  it('after two returns only the provincial coordinator decides (终审)', () => {
    const twice = { ...referral, returnCount: 2 };
    expect(authorize(county, 'reroute', twice)).toEqual({ allowed: false, reason: 'final_decision_is_provincial' });
    expect(authorize(actors['coordinator of the prefecture']!, 'reroute', twice)).toEqual({ allowed: false, reason: 'final_decision_is_provincial' });
    expect(authorize(province, 'reroute', twice)).toEqual({ allowed: true });
    expect(authorize(county, 'reroute', { ...referral, returnCount: 1 })).toEqual({ allowed: true });
  });
  it('a division coordinator routes only within her division; the provincial coordinator anywhere', () => {
    expect(authorize(county, 'reroute', referral, { divisionCode: '222403' }).allowed).toBe(true);
    expect(authorize(county, 'reroute', referral, { divisionCode: '222401' })).toEqual({ allowed: false, reason: 'target_outside_division' });
    expect(authorize(actors['coordinator of the prefecture']!, 'reroute', referral, { divisionCode: '222401' }).allowed).toBe(true);
    expect(authorize(actors['coordinator of the prefecture']!, 'reroute', referral, { divisionCode: '220122' }).allowed).toBe(false);
    expect(authorize(province, 'reroute', referral, { divisionCode: '220122' }).allowed).toBe(true);
  });
});

describe('divisions and cases', () => {
  it('divisionWithin follows the GB/T 2260 hierarchy', () => {
    expect(divisionWithin('222403', '222403')).toBe(true);
    expect(divisionWithin('222403', '222400')).toBe(true);
    expect(divisionWithin('222403', '220000')).toBe(true);
    expect(divisionWithin('222400', '222403')).toBe(false);
    expect(divisionWithin('220122', '222400')).toBe(false);
    expect(divisionWithin('230100', '220000')).toBe(false);
    expect(divisionWithin('abc', '220000')).toBe(false);
  });
  it('a case is visible through any of its referrals; a case without referrals only to provincial staff', () => {
    const health = actors['caseworker, other department']!;
    expect(canViewCase(health, [referral])).toBe(false);
    expect(canViewCase(health, [referral, { department: 'health', divisionCode: '222403' }])).toBe(true);
    expect(canViewCase(actors['coordinator of the county']!, [])).toBe(false);
    expect(canViewCase(actors.admin!, [])).toBe(true);
    expect(canViewCase(actors['provincial coordinator']!, [])).toBe(true);
  });
});

describe('queues', () => {
  const own = actors['caseworker, own department and division']!;
  it('a caseworker sees her own queue and no other', () => {
    expect(resolveQueue(own, { status: 'open' })).toEqual({ allowed: true, queue: { kind: 'department', department: 'justice', divisionCode: '222403' } });
    expect(resolveQueue(own, { status: 'followup' })).toEqual({ allowed: true, queue: { kind: 'followup', department: 'justice', divisionCode: '222403' } });
    expect(resolveQueue(own, { status: 'open', department: 'health' }).allowed).toBe(false);
    expect(resolveQueue(own, { status: 'open', divisionCode: '222401' }).allowed).toBe(false);
    expect(resolveQueue(actors['caseworker without department']!, { status: 'open' }).allowed).toBe(false);
  });
  it('a coordinator sees her coordinator queue and the department queues inside her division', () => {
    const pref = actors['coordinator of the prefecture']!;
    expect(resolveQueue(pref, { status: 'open' })).toEqual({ allowed: true, queue: { kind: 'coordinator', divisionCode: '222400' } });
    expect(resolveQueue(pref, { status: 'open', divisionCode: '222403' })).toEqual({ allowed: true, queue: { kind: 'coordinator', divisionCode: '222403' } });
    expect(resolveQueue(pref, { status: 'open', department: 'justice', divisionCode: '222403' })).toEqual({
      allowed: true,
      queue: { kind: 'department', department: 'justice', divisionCode: '222403' },
    });
    expect(resolveQueue(pref, { status: 'open', divisionCode: '220100' })).toEqual({ allowed: false, reason: 'outside_division' });
    expect(resolveQueue(pref, { status: 'followup' })).toEqual({ allowed: false, reason: 'department_required' });
    // All open work of her prefecture, or of a county inside it; not of another prefecture.
    expect(resolveQueue(pref, { status: 'open', scope: 'all' })).toEqual({ allowed: true, queue: { kind: 'all_open', divisionCode: '222400' } });
    expect(resolveQueue(pref, { status: 'open', scope: 'all', divisionCode: '222403' })).toEqual({ allowed: true, queue: { kind: 'all_open', divisionCode: '222403' } });
    expect(resolveQueue(pref, { status: 'open', scope: 'all', divisionCode: '220100' })).toEqual({ allowed: false, reason: 'outside_division' });
  });
  it('the provincial coordinator and admin see any queue, by default all open work of the province', () => {
    for (const who of ['provincial coordinator', 'admin']) {
      expect(resolveQueue(actors[who]!, { status: 'open' })).toEqual({ allowed: true, queue: { kind: 'all_open', divisionCode: '220000' } });
      expect(resolveQueue(actors[who]!, { status: 'open', divisionCode: '222400' })).toEqual({ allowed: true, queue: { kind: 'all_open', divisionCode: '222400' } });
      expect(resolveQueue(actors[who]!, { status: 'open', scope: 'returned' })).toEqual({ allowed: true, queue: { kind: 'coordinator', divisionCode: '220000' } });
    }
    expect(resolveQueue(actors.admin!, { status: 'open', department: 'health', divisionCode: '220122' })).toEqual({
      allowed: true,
      queue: { kind: 'department', department: 'health', divisionCode: '220122' },
    });
  });
});

describe('need to know: how much of a case each actor sees', () => {
  // A case referred to justice (seq 1) and civil affairs (seq 2) in 敦化市, with a danger review there.
  const referrals = [
    { seq: 1, department: 'justice', divisionCode: '222403' },
    { seq: 2, department: 'civil_affairs', divisionCode: '222403' },
  ];
  const review = { divisionCode: '222403' };
  const EXPECTED: Record<string, ReturnType<typeof caseViewScope>> = {
    'caseworker, own department and division': { kind: 'department', own: [1] },
    'caseworker, other department': { kind: 'none' },
    'caseworker, other division': { kind: 'none' },
    'caseworker, own department at the prefecture': { kind: 'none' },
    'caseworker without department': { kind: 'none' },
    'supervisor, own department and division': { kind: 'department', own: [1] },
    // She may decide the danger review of her county: the intake and the referrals' status, none whole.
    'supervisor, other department': { kind: 'department', own: [2] },
    'supervisor, other division': { kind: 'none' },
    'coordinator of the county': { kind: 'whole' },
    'coordinator of the prefecture': { kind: 'whole' },
    'coordinator of another county': { kind: 'none' },
    'coordinator of another prefecture': { kind: 'none' },
    'provincial coordinator': { kind: 'whole' },
    admin: { kind: 'whole' },
  };

  it.each(Object.keys(actors))('%s', (who) => {
    expect(caseViewScope(actors[who]!, referrals, review)).toEqual(EXPECTED[who]);
  });

  it('a supervisor of a department the case is not referred to sees it only through the review she may decide', () => {
    const health: Actor = { role: 'supervisor', department: 'health', divisionCode: '222403' };
    expect(caseViewScope(health, referrals, review)).toEqual({ kind: 'department', own: [] });
    expect(caseViewScope(health, referrals)).toEqual({ kind: 'none' });
  });

  it("whole only for coordinators in division and provincial staff; a department's own referrals exactly those it may act on as its own (any actor, any case)", () => {
    const division = fc.constantFrom('222403', '222401', '222400', '220100', '220000', '220182');
    const department = fc.constantFrom('justice', 'health', 'civil_affairs', 'public_security');
    const actor = fc.record({
      role: fc.constantFrom('caseworker', 'supervisor', 'coordinator', 'admin'),
      department: fc.option(department, { nil: null }),
      divisionCode: fc.option(division, { nil: null }),
    });
    const refs = fc.array(fc.record({ department, divisionCode: division }), { maxLength: 4 }).map((rs) => rs.map((r, i) => ({ ...r, seq: i + 1 })));
    fc.assert(
      fc.property(actor, refs, fc.option(fc.record({ divisionCode: division }), { nil: undefined }), (a, rs, rv) => {
        const scope = caseViewScope(a as Actor, rs, rv);
        if (scope.kind === 'whole') expect(a.role === 'admin' || a.role === 'coordinator').toBe(true);
        if (scope.kind === 'department') {
          expect(['caseworker', 'supervisor']).toContain(a.role);
          expect([...scope.own].sort()).toEqual(rs.filter((r) => r.department === a.department && r.divisionCode === a.divisionCode).map((r) => r.seq));
        }
        if (scope.kind === 'none') expect(rs.some((r) => authorize(a as Actor, 'accept', r).allowed)).toBe(false);
        expect(canViewCase(a as Actor, rs, rv)).toBe(scope.kind !== 'none');
      }),
      { numRuns: 2000 },
    );
  });
});
