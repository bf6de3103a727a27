import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../../shared/config/deadlines.js';
import { loadRoutingTable } from '../../../shared/config/routing.js';
import { planReclassification } from '../../../shared/domain/case/reclassification.js';
import type { TrackedReferral } from '../../../shared/domain/lifecycle/index.js';
import { NEEDS, URGENCIES, type Need, type Urgency } from '../../../shared/domain/model.js';

const routing = loadRoutingTable();
const divisions = loadDivisions();
const clock = loadDeadlinePolicy();
const now = new Date('2026-12-03T02:00:00Z');
const referredAt = '2026-12-01T02:00:00.000Z';
const STATUSES: TrackedReferral['status'][] = ['referred', 'accepted', 'returned', 'resolved', 'closed', 'reopened', 'cancelled'];

function referral(seq: number, need: Need, status: TrackedReferral['status'], urgency: Urgency, divisionCode = '222403'): TrackedReferral {
  const lead = routing.needs[need].lead;
  return {
    referralId: `01JAAAAAAAAAAAAAAAAAAAAAAA-${seq}`,
    caseId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
    reference: 'R',
    seq,
    need,
    department: lead,
    coDepartments: [],
    divisionCode,
    jurisdiction: 'county',
    urgency,
    status,
    referredAt,
    signForBy: clock.signForBy(new Date(referredAt), urgency).toISOString(),
    completeBy: status === 'accepted' || status === 'reopened' ? clock.completeBy(new Date(referredAt), urgency, 0).toISOString() : null,
    ...(status === 'accepted' || status === 'reopened' ? { acceptedAt: referredAt, completionStartedAt: referredAt } : {}),
    consentOverride: false,
    version: 3,
  };
}

const caseOf = (needs: Need[], urgency: Urgency, consent = true) => ({
  caseId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  reference: 'R',
  text: '测试',
  consent: { shareWithDepartments: consent },
  classification: { needs, urgency, divisionCode: '222403', explanation: { needs: {}, urgency: [], division: 'x' } },
});

const plan = (needs: Need[], referrals: TrackedReferral[], target: { needs: Need[]; urgency: Urgency; divisionCode: string | null }, consent = true, urgency: Urgency = 'routine') =>
  planReclassification({ case: caseOf(needs, urgency, consent), referrals, target, source: 'staff', routing, divisions, clock, now });

describe('planning a reclassification', () => {
  it('raising to emergency gives 30 minutes from now (an overdue routine deadline does not make it overdue at once) and starts escalation over', () => {
    const r = { ...referral(1, 'health_screening', 'referred', 'routine'), escalationLevel: 1 as const, escalatedAt: referredAt };
    const p = plan(['health_screening'], [r], { needs: ['health_screening'], urgency: 'emergency', divisionCode: '222403' });
    const after = p.updates[0]!.after;
    expect(after).toMatchObject({ urgency: 'emergency', escalationLevel: 0, version: 4, signForBy: new Date(now.getTime() + 30 * 60_000).toISOString() });
    expect(after.escalatedAt).toBeUndefined();
    // A deadline still ahead and earlier than the new one is kept.
    const soon = { ...referral(2, 'legal_aid', 'referred', 'urgent'), signForBy: new Date(now.getTime() + 10 * 60_000).toISOString() };
    const kept = plan(['legal_aid'], [soon], { needs: ['legal_aid'], urgency: 'emergency', divisionCode: '222403' }).updates[0]!.after;
    expect(kept.signForBy).toBe(soon.signForBy);
  });

  it('accepted work keeps its department when the division changes; unsigned work moves', () => {
    const p = plan(['legal_aid', 'health_screening'], [referral(1, 'legal_aid', 'accepted', 'routine'), referral(2, 'health_screening', 'referred', 'routine')], {
      needs: ['legal_aid', 'health_screening'],
      urgency: 'routine',
      divisionCode: '220182',
    });
    expect(p.updates.map((u) => [u.before.seq, u.changes])).toEqual([[2, ['rerouted']]]);
    expect(p.updates[0]!.after).toMatchObject({ divisionCode: '220182', department: 'health', status: 'referred' });
  });

  it('without consent, an added need is withheld unless it is an emergency', () => {
    expect(plan([], [], { needs: ['legal_aid'], urgency: 'urgent', divisionCode: '222403' }, false)).toMatchObject({ added: [], withheld: ['legal_aid'] });
    const p = plan([], [], { needs: ['safety_protection', 'legal_aid'], urgency: 'emergency', divisionCode: '222403' }, false);
    expect(p.added.map((r) => [r.need, r.consentOverride])).toEqual([['safety_protection', true]]);
  });

  it('property: afterwards each target need has exactly one live referral, no open referral of a removed need is left, and nothing finished is touched', () => {
    const arb = fc.record({
      existing: fc.array(fc.record({ need: fc.constantFrom(...NEEDS), status: fc.constantFrom(...STATUSES), urgency: fc.constantFrom(...URGENCIES) }), { maxLength: 5 }),
      target: fc.subarray([...NEEDS]),
      urgency: fc.constantFrom(...URGENCIES),
      division: fc.constantFrom('222403', '220182', null),
    });
    fc.assert(
      fc.property(arb, ({ existing, target, urgency, division }) => {
        // At most one live referral per need, as the platform creates them.
        const seen = new Set<string>();
        const referrals = existing.filter((e) => (e.status === 'cancelled' ? true : !seen.has(e.need) && seen.add(e.need))).map((e, i) => referral(i + 1, e.need, e.status, e.urgency));
        const p = plan([...seen] as Need[], referrals, { needs: target, urgency, divisionCode: division });
        const after = [...referrals.map((r) => p.updates.find((u) => u.before.seq === r.seq)?.after ?? r), ...p.added];
        const live = after.filter((r) => r.status !== 'cancelled');
        for (const need of target) expect(live.filter((r) => r.need === need)).toHaveLength(1);
        const open = ['referred', 'returned', 'accepted', 'reopened'];
        const wanted = target.length > 0 ? target : ['manual_triage'];
        for (const r of after) if (open.includes(r.status)) expect(wanted).toContain(r.need);
        for (const u of p.updates) {
          expect(['resolved', 'closed', 'cancelled']).not.toContain(u.before.status);
          expect(u.after.version).toBe(u.before.version + 1);
        }
        const seqs = after.map((r) => r.seq);
        expect(new Set(seqs).size).toBe(seqs.length);
      }),
      { numRuns: 500 },
    );
  });
});
