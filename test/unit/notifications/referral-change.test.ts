// Which stream changes notify, with which idempotency discriminator.
import { describe, expect, it } from 'vitest';
import { isReferralImage, notificationsForChange, parseReferralSnapshot, rosterDepartmentOf, type ReferralSnapshot } from '../../../shared/domain/notifications/referral-change.js';
import { referralMessage } from '../../../shared/domain/notifications/referral-message.js';

const base: ReferralSnapshot = {
  referralId: '01KBC6Y4W1ZJ6Q1QY8X7M2N3P4-1',
  caseId: '01KBC6Y4W1ZJ6Q1QY8X7M2N3P4',
  reference: '261129-7K3QXA',
  seq: 1,
  need: 'safety_protection',
  department: 'public_security',
  coDepartments: ['justice', 'womens_federation'],
  divisionCode: '222403',
  urgency: 'emergency',
  status: 'referred',
  signForBy: '2026-11-29T13:44:00.000Z',
  completeBy: null,
  version: 1,
};
const kinds = (xs: ReturnType<typeof notificationsForChange>) => xs.map((x) => `${x.kind}:${x.discriminator}`);

describe('notificationsForChange', () => {
  it('INSERT of the first referral: the new referral (topic + staff) and her acknowledgement', () => {
    const got = notificationsForChange('INSERT', undefined, base);
    expect(kinds(got)).toEqual(['new_referral:v1', 'client_ack:case']);
    expect(got.map((g) => g.publishToTopic)).toEqual([true, false]);
  });

  it('INSERT of a later referral of the same case: no second acknowledgement', () => {
    expect(kinds(notificationsForChange('INSERT', undefined, { ...base, seq: 2 }))).toEqual(['new_referral:v1']);
  });

  it('a re-route (department or division changed) is a new referral to the new queue', () => {
    expect(kinds(notificationsForChange('MODIFY', { ...base, status: 'returned', version: 3 }, { ...base, department: 'justice', version: 4 }))).toEqual(['rerouted:v4']);
    expect(kinds(notificationsForChange('MODIFY', base, { ...base, divisionCode: '222401', version: 2 }))).toEqual(['rerouted:v2']);
  });

  it('a returned referral sent back to the same department notifies that department again', () => {
    expect(kinds(notificationsForChange('MODIFY', { ...base, status: 'returned', version: 3 }, { ...base, status: 'referred', version: 4 }))).toEqual(['rerouted:v4']);
  });

  it('staff notifications of a returned referral go to the coordinators, not the department that returned it', () => {
    expect(rosterDepartmentOf({ department: 'justice', status: 'returned' })).toBe('coordinator');
    expect(rosterDepartmentOf({ department: 'justice', status: 'referred' })).toBe('justice');
    expect(rosterDepartmentOf({ department: 'manual_triage', status: 'referred' })).toBe('coordinator');
  });

  it('a return notifies the coordinator once, on the change into returned', () => {
    expect(kinds(notificationsForChange('MODIFY', base, { ...base, status: 'returned', version: 2, returnCount: 1 }))).toEqual(['returned:v2']);
    // A note on a returned referral is not another return.
    expect(kinds(notificationsForChange('MODIFY', { ...base, status: 'returned', version: 2 }, { ...base, status: 'returned', version: 3 }))).toEqual([]);
  });

  it('escalation: one notification per level reached, keyed by kind, level and time', () => {
    const at = '2026-11-29T14:00:00.000Z';
    expect(kinds(notificationsForChange('MODIFY', base, { ...base, escalationLevel: 1, escalationKind: 'sign_for', escalatedAt: at }))).toEqual([`escalation:sign_for.L1.${at}`]);
    const jumped = notificationsForChange('MODIFY', { ...base, escalationLevel: 1 }, { ...base, escalationLevel: 3, escalationKind: 'completion', escalatedAt: at });
    expect(jumped.map((j) => j.level)).toEqual([2, 3]);
    expect(kinds(jumped)).toEqual([`escalation:completion.L2.${at}`, `escalation:completion.L3.${at}`]);
  });

  it('nothing for accepts, notes, resolves, an unchanged level, or a REMOVE', () => {
    expect(notificationsForChange('MODIFY', base, { ...base, status: 'accepted', version: 2, completeBy: '2026-11-30T13:44:00.000Z' })).toEqual([]);
    expect(notificationsForChange('MODIFY', { ...base, escalationLevel: 2 }, { ...base, escalationLevel: 2, version: 2 })).toEqual([]);
    expect(notificationsForChange('MODIFY', { ...base, escalationLevel: 2 }, { ...base, escalationLevel: 0, status: 'accepted' })).toEqual([]);
    expect(notificationsForChange('REMOVE', base, undefined)).toEqual([]);
  });
});

describe('images', () => {
  it('only referral items are referral images', () => {
    expect(isReferralImage({ entity: 'referral', sk: 'REF#001' })).toBe(true);
    for (const other of [{ entity: 'case', sk: 'CASE' }, { entity: 'event', sk: 'EVT#x' }, { entity: 'notification', sk: 'NOTIFY#x' }, { entity: 'referral', sk: 'NOTIFY#x' }, undefined]) {
      expect(isReferralImage(other)).toBe(false);
    }
  });

  it('a malformed referral image names the missing fields', () => {
    expect(() => parseReferralSnapshot({ ...base, urgency: undefined, divisionCode: 'x' })).toThrow(/urgency[\s\S]*divisionCode|divisionCode[\s\S]*urgency/);
  });
});

describe('the topic message', () => {
  it('copies only routing facts and the case path; attributes match the filter policies', () => {
    const withExtras = { ...base, person: { name: 'x', phone: '13800000000' }, text: 'narrative' } as unknown as ReferralSnapshot;
    const m = referralMessage(withExtras, 'referral_created');
    expect(m.body).toEqual({
      type: 'referral_created',
      reference: '261129-7K3QXA',
      referralId: base.referralId,
      caseId: base.caseId,
      need: 'safety_protection',
      department: 'public_security',
      coDepartments: ['justice', 'womens_federation'],
      divisionCode: '222403',
      urgency: 'emergency',
      signForBy: '2026-11-29T13:44:00.000Z',
      completeBy: null,
      casePath: `/cases/${base.caseId}`,
    });
    expect(m.attributes).toEqual({ department: 'public_security', divisionCode: '222403', need: 'safety_protection', urgency: 'emergency' });
  });
});
