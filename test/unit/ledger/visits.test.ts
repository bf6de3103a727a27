// Visits, the pure part: the cycle of her focus markers, her next date, the visit's time window, and
// the visit as an intake (the same visit always the same external id; what the officer saw as a signal).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextVisitDue, parseVisitCycles, visitBodySchema, visitCycleDays, visitIntake, visitProblems } from '../../../shared/domain/ledger/visits.js';
import { FOCUS_MARKERS } from '../../../shared/domain/ledger/registration.js';
import type { LedgerEntry } from '../../../shared/domain/ledger/entry.js';
import { applyHumanSignals, parseEmergencySignals } from '../../../shared/domain/triage/human-signals.js';

const cycles = parseVisitCycles(JSON.parse(readFileSync('data/visit-cycles.json', 'utf8')));
const NOW = new Date('2026-12-04T02:00:00Z');
const DAY = 86_400_000;

describe('visit cycles', () => {
  it('the shortest cycle of her markers, or the default', () => {
    expect(visitCycleDays([], cycles)).toBe(180);
    expect(visitCycleDays(['economic_hardship'], cycles)).toBe(90);
    expect(visitCycleDays(['economic_hardship', 'serious_illness'], cycles)).toBe(30);
  });

  it('property: never longer than the default nor than any of her markers’ cycles', () => {
    fc.assert(
      fc.property(fc.subarray([...FOCUS_MARKERS]), (focus) => {
        const days = visitCycleDays(focus, cycles);
        expect(days).toBeLessThanOrEqual(Math.max(cycles.defaultDays, ...focus.map((f) => cycles.byFocus[f] ?? 0)));
        for (const f of focus) expect(days).toBeLessThanOrEqual(cycles.byFocus[f] ?? Infinity);
      }),
    );
  });

  it('counts from her last visit, or her registration', () => {
    expect(nextVisitDue({ focus: ['disability'], registeredAt: '2026-01-01T00:00:00.000Z' }, cycles)).toBe('2026-04-01T00:00:00.000Z');
    expect(nextVisitDue({ focus: ['disability'], registeredAt: '2026-01-01T00:00:00.000Z', lastVisitedAt: '2026-03-01T00:00:00.000Z' }, cycles)).toBe('2026-05-30T00:00:00.000Z');
  });

  it('refuses a file that is wrong, naming where', () => {
    expect(() => parseVisitCycles({ defaultDays: 3, byFocus: {} })).toThrow(/defaultDays/);
    expect(() => parseVisitCycles({ defaultDays: 90, byFocus: { poverty: 30 } })).toThrow(/byFocus/);
  });
});

describe('a visit', () => {
  const body = (over: Record<string, unknown> = {}) => visitBodySchema.parse({ visitedAt: '2026-12-03 15:00', text: '入户看望，家里一切正常。', ...over });

  it('is recorded now or up to 90 days back, not in the future', () => {
    expect(visitProblems(body(), NOW)).toEqual([]);
    expect(visitProblems(body({ visitedAt: new Date(NOW.getTime() + 5 * 60_000).toISOString() }), NOW)).toEqual([]);
    expect(visitProblems(body({ visitedAt: new Date(NOW.getTime() + DAY).toISOString() }), NOW).map((p) => p.path)).toEqual(['visitedAt']);
    expect(visitProblems(body({ visitedAt: new Date(NOW.getTime() - 91 * DAY).toISOString() }), NOW).map((p) => p.path)).toEqual(['visitedAt']);
  });

  const entry = { personId: 'P1', name: '测试', phone: '+8613500000000', divisionCode: '220722', township: '太平山镇', village: '东升村' } as LedgerEntry;

  it('is an intake on channel `visit` from her record, whose external id is the visit’s instant (one visit, one case)', () => {
    const intake = visitIntake(entry, body({ observedNeeds: ['health_screening', 'health_screening'] }), { id: 'officer-1', role: 'ledger_officer' });
    expect(intake).toMatchObject({
      channel: 'visit',
      externalId: 'P1:2026-12-03T07:00:00.000Z',
      receivedAt: '2026-12-03T07:00:00.000Z',
      operatorId: 'officer-1',
      person: { name: '测试', phone: '+8613500000000' },
      location: { divisionCode: '220722', township: '太平山镇', village: '东升村' },
      consent: { shareWithDepartments: true },
      signals: { observedNeeds: ['health_screening'] },
    });
    expect(visitIntake(entry, body({ visitedAt: '2026-12-03T07:00:00Z' }), { id: 'o', role: 'ledger_officer' }).externalId).toBe('P1:2026-12-03T07:00:00.000Z');
    expect(visitIntake(entry, body({ shareWithDepartments: false }), { id: 'o', role: 'ledger_officer' }).consent.shareWithDepartments).toBe(false);
  });

  it('what the officer observed is added to the needs, with its reason, and leaves the urgency alone', () => {
    const table = parseEmergencySignals(JSON.parse(readFileSync('data/emergency-signals.json', 'utf8')));
    const c = applyHumanSignals({ needs: [], urgency: 'routine', divisionCode: null, explanation: { needs: {}, urgency: [], division: 'none' } }, { observedNeeds: ['health_screening'] }, table);
    expect(c.needs).toEqual(['health_screening']);
    expect(c.urgency).toBe('routine');
    expect(c.explanation.needs.health_screening).toEqual(['observed on visit']);
    expect(c.explanation.humanSignals).toEqual(['observed on visit: health_screening']);
  });
});
