// Retention of closed cases: the purge instant, the redaction of a case, the configuration, and
// what the notifier makes of the stream records a purge causes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedCaseRetentionDays } from '../../../shared/config/referrals.js';
import { DEFAULT_CLOSED_CASE_RETENTION_DAYS, isValidRetentionDays, purgeAtOf, redactClosedCase, ttlEpochSeconds, type PurgeableCase } from '../../../shared/domain/lifecycle/retention.js';
import { notificationsForChange, parseReferralSnapshot } from '../../../shared/domain/notifications/referral-change.js';
import { cst as cstInstant } from '../../support/deadline-helpers.js';

const cst = (wall: string) => cstInstant(wall).toISOString();

describe('purgeAtOf', () => {
  it('adds calendar days at the same Beijing wall-clock time', () => {
    expect(purgeAtOf(cst('2026-04-18 10:05'), 30)).toBe(cst('2026-05-18 10:05'));
    // Across a leap day and a year end: calendar days, not working days, not months.
    expect(purgeAtOf(cst('2027-12-31 23:30'), 1096)).toBe(cst('2030-12-31 23:30'));
    expect(purgeAtOf(cst('2028-02-28 08:00'), 1)).toBe(cst('2028-02-29 08:00'));
    expect(purgeAtOf(cst('2028-02-28 08:00'), 2)).toBe(cst('2028-03-01 08:00'));
  });

  it('is exactly retentionDays × 24 hours later (China has no daylight saving time)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 3653 }), (closed, days) => {
        const purgeAt = purgeAtOf(closed.toISOString(), days);
        expect(Date.parse(purgeAt) - closed.getTime()).toBe(days * 86_400_000);
      }),
    );
  });

  it('refuses a retention that is not a whole number of days from 1, and a closedAt that is not an instant', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, 36_501]) expect(() => purgeAtOf(cst('2026-01-01 00:00'), bad)).toThrow(RangeError);
    expect(() => purgeAtOf('yesterday', 30)).toThrow(RangeError);
    expect(isValidRetentionDays(1)).toBe(true);
    expect(isValidRetentionDays(36_500)).toBe(true);
  });
});

describe('ttlEpochSeconds', () => {
  it('is the instant in whole seconds, never later than the instant', () => {
    expect(ttlEpochSeconds(new Date('2026-05-18T02:05:00.999Z'))).toBe(Date.parse('2026-05-18T02:05:00Z') / 1000);
  });
});

describe('redactClosedCase', () => {
  const stored: PurgeableCase & Record<string, unknown> = {
    person: { name: '测试姓名甲', phone: '13900001111', age: 34 },
    text: '来电人说想参加村里的技能培训找工作，住在新安镇北屯村。',
    categoryHint: '就业',
    location: { divisionCode: '220122', township: '新安镇', village: '北屯村' },
    contact: { safeToCall: true, safeToSms: false, preferredTime: '晚上八点后' },
    classification: {
      needs: ['employment_training'],
      urgency: 'routine',
      divisionCode: '220122',
      explanation: { needs: { employment_training: ['employment.training: 技能培训'] }, urgency: [], division: 'text: 新安镇', suppressed: ['北屯村'] },
    },
  };

  it('keeps the division, needs and urgency and nothing that identifies her or quotes her words', () => {
    const r = redactClosedCase(stored);
    expect(r.set).toEqual({
      location: { divisionCode: '220122' },
      contact: { doNotContact: true },
      classification: { needs: ['employment_training'], urgency: 'routine', divisionCode: '220122' },
    });
    expect(r.remove).toEqual(['person', 'text', 'categoryHint', 'links', 'contactKeys']);
    const kept = JSON.stringify(r.set);
    for (const s of ['测试姓名甲', '13900001111', '新安镇', '北屯村', '晚上八点后', '技能培训', '就业']) expect(kept).not.toContain(s);
  });

  it('never carries over anything from the location, contact or explanation but the division code (property)', () => {
    const word = fc.string({ minLength: 4, maxLength: 12 }).map((s) => `§${s}§`);
    fc.assert(
      fc.property(word, word, word, word, fc.option(fc.constantFrom('220122', '222403'), { nil: undefined }), (township, village, time, term, divisionCode) => {
        const r = redactClosedCase({
          location: { divisionCode, township, village },
          classification: {
            needs: ['legal_aid'],
            urgency: 'urgent',
            divisionCode: divisionCode ?? null,
            explanation: { needs: { legal_aid: [term] }, urgency: [term], division: `text: ${township}` },
          },
        });
        const kept = JSON.stringify(r.set);
        expect(kept).not.toContain('§');
        expect(r.set.location).toEqual(divisionCode ? { divisionCode } : {});
      }),
    );
  });

  it('is idempotent: redacting the redacted case changes nothing', () => {
    const once = redactClosedCase(stored);
    const twice = redactClosedCase({ location: once.set.location, classification: { ...once.set.classification, explanation: { needs: {}, urgency: [], division: '' } } });
    expect(twice.set).toEqual(once.set);
  });
});

describe('CLOSED_CASE_RETENTION_DAYS', () => {
  it('defaults to three years (the cdk.json default) when unset or empty', () => {
    expect(DEFAULT_CLOSED_CASE_RETENTION_DAYS).toBe(1096);
    expect(closedCaseRetentionDays({})).toBe(1096);
    expect(closedCaseRetentionDays({ CLOSED_CASE_RETENTION_DAYS: '  ' })).toBe(1096);
  });

  it('reads a whole number of days', () => {
    expect(closedCaseRetentionDays({ CLOSED_CASE_RETENTION_DAYS: '30' })).toBe(30);
    expect(closedCaseRetentionDays({ CLOSED_CASE_RETENTION_DAYS: ' 1 ' })).toBe(1);
  });

  it('stops the function on anything else, naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', '3e2', 'forever', '0x10', '36501']) {
      expect(() => closedCaseRetentionDays({ CLOSED_CASE_RETENTION_DAYS: bad })).toThrow(/CLOSED_CASE_RETENTION_DAYS/);
    }
  });
});

describe('what the notifier makes of a purge', () => {
  // A closed referral as stored, before and after the purge sets its TTL attribute.
  const closed = {
    pk: 'CASE#01KAZ0000000000000000000AB',
    sk: 'REF#001',
    entity: 'referral',
    referralId: '01KAZ0000000000000000000AB-1',
    caseId: '01KAZ0000000000000000000AB',
    reference: '260418-7K3QXA',
    seq: 1,
    need: 'employment_training',
    department: 'hrss',
    coDepartments: [],
    divisionCode: '220122',
    jurisdiction: 'county',
    urgency: 'routine',
    status: 'closed',
    signForBy: '2026-04-02T15:59:59.999Z',
    completeBy: '2026-04-22T15:59:59.999Z',
    version: 4,
    escalationLevel: 1,
    escalationKind: 'sign_for',
    escalatedAt: '2026-04-03T00:00:00.001Z',
    closedAt: '2026-04-18T02:05:00.000Z',
  };
  const expiring = { ...closed, expiresAt: 1_779_069_900 };

  it('the TTL attribute being set notifies nothing', () => {
    expect(notificationsForChange('MODIFY', parseReferralSnapshot(closed), parseReferralSnapshot(expiring))).toEqual([]);
  });

  it('TTL deleting the referral notifies nothing', () => {
    expect(notificationsForChange('REMOVE', parseReferralSnapshot(expiring), undefined)).toEqual([]);
  });

  it('(control) the same images with a raised escalation level do notify', () => {
    const raised = { ...expiring, escalationLevel: 2 };
    expect(notificationsForChange('MODIFY', parseReferralSnapshot(closed), parseReferralSnapshot(raised))).toHaveLength(1);
  });
});
