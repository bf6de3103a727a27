import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCase, parseReferralId, type OperatorActionCatalogue } from '../../../shared/domain/case/case.js';
import type { Classification } from '../../../shared/domain/classification/types.js';
import type { CanonicalIntake } from '../../../shared/domain/intake/schemas.js';
import type { Need, Urgency } from '../../../shared/domain/model.js';
import type { RoutedReferral } from '../../../shared/domain/routing/routing.js';

const actions = JSON.parse(readFileSync('data/operator-actions.json', 'utf8')) as OperatorActionCatalogue;
let seq = 0;
const ids = { caseId: () => '01JAAAAAAAAAAAAAAAAAAAAAAA', eventId: () => `E${++seq}`, reference: () => '261129-ABCDEF' };
const now = new Date('2026-11-29T12:00:00Z');

function make(needs: Need[], urgency: Urgency, consent: boolean) {
  const intake: CanonicalIntake = {
    channel: '12338',
    externalId: 'x',
    receivedAt: now.toISOString(),
    operatorId: 'op',
    text: 't',
    person: {},
    location: {},
    contact: {},
    consent: { shareWithDepartments: consent },
    signals: {},
  };
  const classification: Classification = { needs, urgency, divisionCode: '222403', explanation: { needs: {}, urgency: [], division: 'test' } };
  const routed: RoutedReferral[] = needs.map((need) => ({ need, department: 'justice', coDepartments: [], divisionCode: '222403', jurisdiction: 'county' }));
  return createCase({
    intake,
    classification,
    routed,
    routing: { consentOverrideNeeds: ['safety_protection', 'psychological_support', 'health_screening'] },
    actions,
    deadlines: { signForBy: (t, u) => new Date(t.getTime() + (u === 'emergency' ? 30 : 60) * 60_000) },
    ids,
    now,
    retentionDays: 30,
    openCaseRetention: { maxDaysSinceLastActivity: 365, warnDaysBefore: 30 },
  });
}

describe('createCase', () => {
  it('makes one referral per routed need with ids that point back to the case', () => {
    const c = make(['legal_aid', 'family_education'], 'routine', true);
    expect(c.referrals.map((r) => r.referralId)).toEqual(['01JAAAAAAAAAAAAAAAAAAAAAAA-1', '01JAAAAAAAAAAAAAAAAAAAAAAA-2']);
    expect(parseReferralId(c.referrals[1]!.referralId)).toEqual({ caseId: '01JAAAAAAAAAAAAAAAAAAAAAAA', seq: 2 });
    expect(c.referrals.every((r) => r.status === 'referred' && r.version === 1 && r.completeBy === null)).toBe(true);
    expect(c.case.status).toBe('open');
    expect(c.case.purgeAt).toBeUndefined();
    expect(c.events.map((e) => e.type)).toEqual(['case_created']);
  });

  it('without consent, a non-emergency refers nothing and tells the operator', () => {
    const c = make(['legal_aid', 'safety_protection'], 'urgent', false);
    expect(c.referrals).toEqual([]);
    expect(c.case.status).toBe('not_referred');
    // Over at once: her data is purged after the retention period, like a closed case's.
    expect(c.case.purgeAt).toBe('2026-12-29T12:00:00.000Z');
    expect(c.case.operatorActions.map((a) => a.code)).toContain('not_referred');
  });

  it('without consent, an emergency refers only the emergency needs and records the override', () => {
    const c = make(['legal_aid', 'safety_protection'], 'emergency', false);
    expect(c.referrals.map((r) => r.need)).toEqual(['safety_protection']);
    expect(c.referrals[0]!.consentOverride).toBe(true);
    expect(c.case.consentOverride).toBe(true);
    expect(c.events.map((e) => e.type)).toEqual(['case_created', 'consent_overridden']);
    expect(c.case.operatorActions.map((a) => a.code)).toEqual(expect.arrayContaining(['call_110', 'consent_override']));
  });

  it('an emergency tells the operator what to do now, without duplicates', () => {
    const c = make(['psychological_support', 'safety_protection'], 'emergency', true);
    const codes = c.case.operatorActions.map((a) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['stay_on_line', 'call_110', 'call_110_120']));
    expect(new Set(codes).size).toBe(codes.length);
    expect(make(['legal_aid'], 'routine', true).case.operatorActions).toEqual([]);
  });
});
