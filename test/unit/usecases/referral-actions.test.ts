// The referral action use case through its ports (an in-memory store, the real deadline policy and
// divisions): who may take each action (the role × action matrix, written out here independently of
// the catalogue), what a refusal records, the validations, the state rules and concurrent changes.
// The same paths over HTTP and DynamoDB Local: test/integration/referrals.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../shared/domain/access/policy.js';
import type { StoredCase } from '../../../shared/domain/case/case.js';
import { applyAction, EVENT_TYPES, SYSTEM_ACTOR, type LifecycleAction, type StaffActionType, type TrackedReferral } from '../../../shared/domain/lifecycle/index.js';
import { loadDivisions } from '../../../shared/config/data-files.js';
import {
  AccessDeniedError,
  ConcurrentChangeError,
  InvalidInputError,
  InvalidTransitionError,
  performReferralAction,
  type ReferralCommand,
  type ReferralDependencies,
  type StaffMember,
} from '../../../shared/usecases/referrals/index.js';
import { InMemoryReferralStore } from '../../support/in-memory-referrals.js';
import { CASE_ID, cst, policy, referral } from '../../support/lifecycle-fixtures.js';

const NOW = cst('2025-10-01 10:00');

/** A valid command of each action. */
const COMMAND: Record<StaffActionType, ReferralCommand> = {
  accept: { type: 'accept' },
  note: { type: 'note', text: '已电话联系' },
  return: { type: 'return', reason: 'not_our_function', note: '不属于本部门职责' },
  reroute: { type: 'reroute', department: 'civil_affairs' },
  request_extension: { type: 'request_extension', workingDays: 3, reason: '等待材料' },
  decide_extension: { type: 'decide_extension', approve: true },
  resolve: { type: 'resolve', outcome: 'service_provided', summary: '已提供法律咨询' },
  follow_up: { type: 'follow_up', reached: true, satisfaction: 5 },
  reopen: { type: 'reopen', note: '她再次来电' },
};

const ACCEPT: LifecycleAction = { type: 'accept' };
const ASK: LifecycleAction = { type: 'request_extension', workingDays: 3, reason: '等待材料' };
const RESOLVE: LifecycleAction = { type: 'resolve', outcome: 'service_provided', summary: '已提供法律咨询' };
const FOLLOW_UP: LifecycleAction = { type: 'follow_up', reached: true, satisfaction: 4 };

/** How the referral got to the state where each action applies. */
const HISTORY: Record<StaffActionType, LifecycleAction[]> = {
  accept: [],
  note: [],
  return: [],
  reroute: [],
  request_extension: [ACCEPT],
  decide_extension: [ACCEPT, ASK],
  resolve: [ACCEPT],
  follow_up: [ACCEPT, RESOLVE],
  reopen: [ACCEPT, RESOLVE, FOLLOW_UP],
};

function after(history: LifecycleAction[], start: TrackedReferral = referral()): TrackedReferral {
  let r = start;
  for (const a of history) {
    const result = applyAction(r, a, { now: cst('2025-09-30 20:00'), actor: SYSTEM_ACTOR, clock: policy });
    if (!result.ok) throw new Error(`fixture: ${a.type} failed: ${result.message}`);
    r = result.referral;
  }
  return r;
}

const aCase = (status: StoredCase['status']): StoredCase =>
  ({
    caseId: CASE_ID,
    reference: '250930-ABCDEF',
    channel: '12338',
    externalId: 'x-1',
    receivedAt: '2025-09-30T11:00:00.000Z',
    createdAt: '2025-09-30T11:00:00.000Z',
    location: { divisionCode: '222403' },
    contact: {},
    consent: { shareWithDepartments: true },
    classification: { needs: ['legal_aid'], urgency: 'routine', divisionCode: '222403' },
    consentOverride: false,
    status,
    operatorActions: [],
    referralCount: 1,
  }) as unknown as StoredCase;

let store: InMemoryReferralStore;
let deps: ReferralDependencies;
let ids = 0;

function seed(r: TrackedReferral): TrackedReferral {
  store.seed(aCase(r.status === 'closed' ? 'closed' : 'open'), [r]);
  return r;
}

beforeEach(() => {
  store = new InMemoryReferralStore();
  deps = { store, clock: policy, divisions: loadDivisions(), ids: { eventId: () => `ev-${++ids}` }, now: () => NOW };
});

const staff = (role: Actor['role'], department: string | null, divisionCode: string | null): StaffMember => ({
  subject: `${role}-${department ?? 'x'}-${divisionCode ?? 'x'}`,
  role,
  department,
  divisionCode,
});

// The referral is the justice department's in 敦化市 (222403), 延边州 (2224).
const OWN = ['accept', 'note', 'return', 'request_extension', 'resolve', 'follow_up', 'reopen'] as const;
const COORDINATING = ['note', 'reroute', 'reopen'] as const;
const PERSONAS: [string, StaffMember, readonly StaffActionType[], boolean][] = [
  ['a caseworker of the department in the division', staff('caseworker', 'justice', '222403'), OWN, true],
  ['a supervisor of the department in the division', staff('supervisor', 'justice', '222403'), [...OWN, 'decide_extension'], true],
  ['a caseworker of another department in the division', staff('caseworker', 'health', '222403'), [], false],
  ['a caseworker of the department in another county', staff('caseworker', 'justice', '222402'), [], false],
  ['a supervisor of the department in another county', staff('supervisor', 'justice', '222401'), [], false],
  ['the county coordinator', staff('coordinator', null, '222403'), COORDINATING, true],
  ['the prefecture coordinator', staff('coordinator', null, '222400'), COORDINATING, true],
  ['a coordinator of another county', staff('coordinator', null, '222402'), [], false],
  ['the provincial coordinator', staff('coordinator', null, '220000'), COORDINATING, true],
  ['an admin', staff('admin', null, null), [], true],
];
const ACTIONS = Object.keys(COMMAND) as StaffActionType[];
const MATRIX = PERSONAS.flatMap(([who, member, allowed, seesCase]) => ACTIONS.map((action) => ({ who, member, action, allowed: allowed.includes(action), seesCase })));

describe('who may take each action (role × action)', () => {
  it.each(MATRIX)('$who → $action: allowed $allowed', async ({ member, action, allowed, seesCase }) => {
    const before = seed(after(HISTORY[action]));
    const attempt = performReferralAction(deps, member, before.referralId, COMMAND[action]);
    if (allowed) {
      const result = await attempt;
      expect(result.version).toBe(before.version + 1);
      expect(store.referral(CASE_ID, 1)).toEqual(result);
      expect(store.eventsOf(CASE_ID).find((e) => e.type === EVENT_TYPES[action])).toMatchObject({ actor: { id: member.subject, role: member.role }, referralId: before.referralId });
      return;
    }
    const err = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AccessDeniedError);
    // Someone who may not see the case is answered as if it did not exist.
    expect((err as AccessDeniedError).hidden).toBe(seesCase ? undefined : 'referral');
    expect(store.referral(CASE_ID, 1)).toEqual(before);
    expect(store.commits).toHaveLength(0);
    expect(store.eventsOf(CASE_ID)).toEqual([
      expect.objectContaining({
        type: 'access_denied',
        referralId: before.referralId,
        actor: expect.objectContaining({ id: member.subject }),
        details: { action, reason: (err as AccessDeniedError).reason },
      }),
    ]);
  });

  it('reads the body only once she is authorised: a refused request never parses it', async () => {
    seed(referral());
    const read = () => {
      throw new Error('the body was read');
    };
    await expect(performReferralAction(deps, staff('caseworker', 'health', '222403'), `${CASE_ID}-1`, { type: 'note', read })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('a county coordinator re-routes only inside her county; after two returns the decision is the province’s (终审)', async () => {
    const county = staff('coordinator', null, '222403');
    seed(referral());
    await expect(performReferralAction(deps, county, `${CASE_ID}-1`, { type: 'reroute', divisionCode: '222401' })).rejects.toMatchObject({ reason: 'target_outside_division' });

    const twiceReturned = after([{ type: 'return', reason: 'not_our_function', note: 'x' }], referral({ returnCount: 1 }));
    seed(twiceReturned);
    await expect(performReferralAction(deps, county, `${CASE_ID}-1`, { type: 'reroute', department: 'civil_affairs' })).rejects.toMatchObject({ reason: 'final_decision_is_provincial' });
    const decided = await performReferralAction(deps, staff('coordinator', null, '220000'), `${CASE_ID}-1`, { type: 'reroute', department: 'justice' });
    expect(decided).toMatchObject({ status: 'referred', department: 'justice', finalDecision: 'upheld' });
    await expect(performReferralAction(deps, staff('caseworker', 'justice', '222403'), `${CASE_ID}-1`, COMMAND.return)).rejects.toBeInstanceOf(InvalidTransitionError);
  });
});

describe('validation: a 400 names the field, nothing is stored', () => {
  const caseworker = staff('caseworker', 'justice', '222403');
  it.each<[string, StaffActionType, ReferralCommand, string]>([
    ['a resolution other than service_provided without a reason', 'resolve', { type: 'resolve', outcome: 'client_declined', summary: '她决定先不办' }, 'reason'],
    ['a blank summary', 'resolve', { type: 'resolve', outcome: 'service_provided', summary: '  ' }, 'summary'],
    ['a follow-up that reached her without a satisfaction score', 'follow_up', { type: 'follow_up', reached: true }, 'satisfaction'],
    ['a follow-up that did not reach her with a score', 'follow_up', { type: 'follow_up', reached: false, satisfaction: 3 }, 'satisfaction'],
    ['a satisfaction of 6', 'follow_up', { type: 'follow_up', reached: true, satisfaction: 6 }, 'satisfaction'],
    ['an extension of 0 working days', 'request_extension', { type: 'request_extension', workingDays: 0, reason: 'x' }, 'workingDays'],
    ['an extension of 31 working days', 'request_extension', { type: 'request_extension', workingDays: 31, reason: 'x' }, 'workingDays'],
    ['a blank note', 'note', { type: 'note', text: ' ' }, 'text'],
    ['a note over 2,000 characters', 'note', { type: 'note', text: '字'.repeat(2001) }, 'text'],
    ['a return with an unknown reason', 'return', { type: 'return', reason: 'busy' as never, note: 'x' }, 'reason'],
  ])('%s', async (_what, action, command, field) => {
    const before = seed(after(HISTORY[action]));
    const err = await performReferralAction(deps, caseworker, before.referralId, command).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe(field);
    expect((err as InvalidInputError).message).toMatch(/\p{Script=Han}/u);
    expect(store.referral(CASE_ID, 1)).toEqual(before);
    expect(store.commits).toHaveLength(0);
  });

  it('a re-route to an unknown division or to where it already is', async () => {
    seed(referral());
    const province = staff('coordinator', null, '220000');
    await expect(performReferralAction(deps, province, `${CASE_ID}-1`, { type: 'reroute', divisionCode: '229999' })).rejects.toMatchObject({ field: 'divisionCode' });
    await expect(performReferralAction(deps, province, `${CASE_ID}-1`, { type: 'reroute', department: 'justice' })).rejects.toMatchObject({ field: 'department' });
  });
});

describe('state rules: a 409 with the reason in Chinese', () => {
  const caseworker = staff('caseworker', 'justice', '222403');
  const supervisor = staff('supervisor', 'justice', '222403');
  it.each<[string, LifecycleAction[], StaffMember, ReferralCommand, RegExp]>([
    ['signing for twice', [ACCEPT], caseworker, COMMAND.accept, /已签收的转介不能签收/],
    ['deciding with no request waiting', [ACCEPT], supervisor, COMMAND.decide_extension, /没有待审批的延期申请/],
    ['asking while a request waits', [ACCEPT, ASK], caseworker, COMMAND.request_extension, /已有待审批的延期申请/],
    ['resolving before signing for', [], caseworker, COMMAND.resolve, /待签收的转介不能办结/],
    ['reopening an open referral', [ACCEPT], caseworker, COMMAND.reopen, /已签收的转介不能重新打开/],
  ])('%s', async (_what, history, member, command, message) => {
    const before = seed(after(history));
    await expect(performReferralAction(deps, member, before.referralId, command)).rejects.toThrow(message);
    expect(store.referral(CASE_ID, 1)).toEqual(before);
  });
});

describe('one change at a time', () => {
  const caseworker = staff('caseworker', 'justice', '222403');

  it('someone changed the referral since it was read: a conflict, nothing written', async () => {
    seed(referral());
    store.beforeNextCommit = () => {
      const r = store.cases.get(CASE_ID)!.referrals.get(1)!;
      r.version += 1;
    };
    await expect(performReferralAction(deps, caseworker, `${CASE_ID}-1`, COMMAND.accept)).rejects.toMatchObject({ kind: 'stale' });
    expect(store.commits).toHaveLength(0);
  });

  it('a sibling changed while the last referral closes: read again, and the case still closes once', async () => {
    const first = after([ACCEPT, RESOLVE]);
    const second = { ...after([ACCEPT, RESOLVE, FOLLOW_UP], referral({ seq: 2, referralId: `${CASE_ID}-2` })) };
    store.seed(aCase('open'), [first, second]);
    store.beforeNextCommit = () => {
      const s = store.cases.get(CASE_ID)!.referrals.get(2)!;
      s.version += 1;
    };
    const closed = await performReferralAction(deps, caseworker, `${CASE_ID}-1`, COMMAND.follow_up);
    expect(closed.status).toBe('closed');
    expect(store.caseStatus(CASE_ID)).toBe('closed');
    expect(store.eventsOf(CASE_ID).filter((e) => e.type === 'case_closed')).toHaveLength(1);
    expect(store.cases.get(CASE_ID)!.case.purgeAt).toBeDefined();
  });

  it('gives up after repeated conflicts of others', async () => {
    const first = after([ACCEPT, RESOLVE]);
    const second = after([ACCEPT, RESOLVE, FOLLOW_UP], referral({ seq: 2, referralId: `${CASE_ID}-2` }));
    store.seed(aCase('open'), [first, second]);
    const bump = () => {
      store.cases.get(CASE_ID)!.referrals.get(2)!.version += 1;
      store.beforeNextCommit = bump;
    };
    store.beforeNextCommit = bump;
    const err = await performReferralAction(deps, caseworker, `${CASE_ID}-1`, COMMAND.follow_up).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrentChangeError);
    expect(store.caseStatus(CASE_ID)).toBe('open');
  });
});
