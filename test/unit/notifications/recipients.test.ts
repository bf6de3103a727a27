// Who is texted: worked examples of each audience and fast-check properties over random roster chains.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectRecipients, type Audience, type RosterLevel } from '../../../shared/domain/notifications/recipients.js';
import type { Caseworker } from '../../../shared/domain/roster/roster.js';

const ON: Caseworker['onDuty'] = [{ days: 'every', from: '00:00', to: '24:00' }];
const OFF: Caseworker['onDuty'] = [];
const onDuty = (c: Caseworker) => c.onDuty.length > 0;
const person = (id: string, duty: Caseworker['onDuty'], phone = `1390000${String(Math.abs(hash(id)) % 10000).padStart(4, '0')}`): Caseworker => ({ id, phone, onDuty: duty });
function hash(s: string) {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
const level = (divisionCode: string, caseworkers: Caseworker[], supervisor?: string): RosterLevel => ({
  divisionCode,
  department: 'public_security',
  roster: { caseworkers, supervisor: supervisor ? { id: supervisor, phone: `1380000${divisionCode.slice(2, 6)}` } : null },
});
const ids = (audience: Audience, chain: RosterLevel[]) =>
  selectRecipients(audience, chain, onDuty)
    .map((r) => r.id)
    .sort();

describe('examples', () => {
  const county = level('222403', [person('a', ON), person('b', ON), person('c', OFF)], 'sup-county');
  const prefecture = level('222400', [person('p', ON)], 'sup-pref');
  const province = level('220000', [person('q', ON)], 'sup-prov');
  const quietCounty = level('222403', [person('c', OFF)], 'sup-county');

  it('routine and urgent: the on-duty caseworkers of the division, nobody else', () => {
    expect(ids('routine', [county, prefecture, province])).toEqual(['a', 'b']);
    expect(ids('urgent', [county, prefecture, province])).toEqual(['a', 'b']);
  });

  it('emergency: every on-duty caseworker of the division and its supervisor', () => {
    expect(ids('emergency', [county, prefecture, province])).toEqual(['a', 'b', 'sup-county']);
  });

  it('nobody on duty in the county: the prefecture, and for an emergency both supervisors', () => {
    expect(ids('routine', [quietCounty, prefecture, province])).toEqual(['p']);
    expect(ids('emergency', [quietCounty, prefecture, province])).toEqual(['p', 'sup-county', 'sup-pref']);
  });

  it('no county roster at all: the prefecture; nobody anywhere: the province', () => {
    const none: RosterLevel = { divisionCode: '222403', department: 'public_security' };
    expect(ids('urgent', [none, prefecture, province])).toEqual(['p']);
    expect(ids('urgent', [none, level('222400', [], undefined), province])).toEqual(['q']);
  });

  it('nobody on duty anywhere: routine texts nobody, urgent and reminders the first supervisor, an emergency every supervisor', () => {
    const chain = [quietCounty, level('222400', [person('p', OFF)], 'sup-pref'), level('220000', [], 'sup-prov')];
    expect(ids('routine', chain)).toEqual([]);
    expect(ids('urgent', chain)).toEqual(['sup-county']);
    expect(ids('reminder', chain)).toEqual(['sup-county']);
    expect(ids('emergency', chain)).toEqual(['sup-county', 'sup-pref', 'sup-prov']);
  });

  it('emergency with on-duty people but no supervisor in the division: the next supervisor up', () => {
    const noSup = level('222403', [person('a', ON)]);
    expect(ids('emergency', [noSup, prefecture, province])).toEqual(['a', 'sup-pref']);
  });

  it('level-2 督办 goes to the first supervisor only', () => {
    expect(ids('supervisor', [county, prefecture, province])).toEqual(['sup-county']);
    expect(ids('supervisor', [level('222403', [person('a', ON)]), prefecture])).toEqual(['sup-pref']);
  });

  it('one SMS per phone: the same number under two ids is texted once', () => {
    const twice = level('222403', [person('a', ON, '13900001111'), person('a2', ON, '+86 139-0000-1111')], 'sup');
    expect(selectRecipients('routine', [twice], onDuty)).toHaveLength(1);
  });
});

// Random chains: 1–3 levels, each maybe without a roster, with 0–4 caseworkers on or off duty and maybe a supervisor.
const caseworkerArb = (prefix: string) =>
  fc
    .record({ n: fc.integer({ min: 0, max: 999 }), on: fc.boolean() })
    .map(({ n, on }) => person(`${prefix}-cw${n}`, on ? ON : OFF, `139${prefix.padStart(4, '0').slice(-4)}${String(n).padStart(4, '0')}`));
const levelArb = (divisionCode: string) =>
  fc
    .option(fc.record({ caseworkers: fc.uniqueArray(caseworkerArb(divisionCode.slice(2)), { maxLength: 4, selector: (c) => c.id }), sup: fc.boolean() }), { nil: undefined })
    .map((r): RosterLevel => (r ? level(divisionCode, r.caseworkers, r.sup ? `sup-${divisionCode}` : undefined) : { divisionCode, department: 'public_security' }));
const chainArb = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...['222403', '222400', '220000'].slice(3 - n).map(levelArb)));
const audienceArb = fc.constantFrom<Audience>('routine', 'urgent', 'emergency', 'reminder', 'supervisor', 'coordinator', 'provincial');

describe('properties', () => {
  it('an emergency reaches at least one supervisor whenever any roster in the chain has one', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const anySupervisor = chain.some((l) => l.roster?.supervisor);
        const got = selectRecipients('emergency', chain, onDuty);
        expect(got.some((r) => r.role === 'supervisor')).toBe(anySupervisor);
      }),
      { numRuns: 500 },
    );
  });

  it('an emergency reaches every on-duty caseworker of the division when there is one', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const first = chain[0]!;
        const onDutyHere = (first.roster?.caseworkers ?? []).filter(onDuty).map((c) => c.id);
        const got = selectRecipients('emergency', chain, onDuty).map((r) => r.id);
        for (const id of onDutyHere) expect(got).toContain(id);
      }),
      { numRuns: 500 },
    );
  });

  it('never texts a caseworker who is off duty, and texts each phone at most once', () => {
    fc.assert(
      fc.property(audienceArb, chainArb, (audience, chain) => {
        const got = selectRecipients(audience, chain, onDuty);
        const offDuty = new Set(chain.flatMap((l) => (l.roster?.caseworkers ?? []).filter((c) => !onDuty(c)).map((c) => `${l.divisionCode}/${c.id}`)));
        for (const r of got) if (r.role === 'caseworker') expect(offDuty.has(`${r.divisionCode}/${r.id}`)).toBe(false);
        const phones = got.map((r) => r.phone.replace(/\D/g, '').replace(/^86/, ''));
        expect(new Set(phones).size).toBe(phones.length);
      }),
      { numRuns: 500 },
    );
  });

  it('routine and urgent caseworkers come from one level: the first that has anyone on duty', () => {
    fc.assert(
      fc.property(fc.constantFrom<Audience>('routine', 'urgent'), chainArb, (audience, chain) => {
        const got = selectRecipients(audience, chain, onDuty).filter((r) => r.role === 'caseworker');
        const firstIndex = chain.findIndex((l) => (l.roster?.caseworkers ?? []).some(onDuty));
        if (firstIndex < 0) expect(got).toEqual([]);
        else expect(new Set(got.map((r) => r.divisionCode))).toEqual(new Set([chain[firstIndex]!.divisionCode]));
      }),
      { numRuns: 500 },
    );
  });

  it('a routine referral never wakes a supervisor', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        expect(selectRecipients('routine', chain, onDuty).every((r) => r.role === 'caseworker')).toBe(true);
      }),
    );
  });
});
