// The ledger's rules for one record: what the schema refuses and what only the rules between fields
// can see (a left-behind woman's husband has been away six months; health needs her separate consent).
import { describe, expect, it } from 'vitest';
import { registrationProblems, registrationSchema, type Registration } from '../../../shared/domain/ledger/registration.js';

const TODAY = new Date('2026-12-04T00:00:00Z');
const valid: Registration = {
  name: '王秀兰',
  idNumber: '220722198506120020',
  phone: '13912345678',
  divisionCode: '220722',
  township: '太平山镇',
  village: '东升村',
  birthYear: 1985,
  husbandAway: { since: '2025-03', where: '大连' },
  household: { children: 2, childrenUnder16: 1, elders: 1, disabledMembers: 0 },
  focus: ['economic_hardship'],
  legalBasis: { basis: 'statutory_duty', reference: '长岭民〔2026〕12号' },
};

describe('a ledger registration', () => {
  it('accepts a complete record', () => {
    expect(registrationSchema.safeParse(valid).success).toBe(true);
    expect(registrationProblems(valid, TODAY)).toEqual([]);
  });

  it('refuses unknown fields and wrong kinds by path', () => {
    const r = registrationSchema.safeParse({ ...valid, phone: '0438-1234567', divisionCode: '2207', focus: ['poor'], extra: 1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual(['divisionCode', 'focus.0', 'phone', 'unrecognized_keys']);
  });

  it('checks the ID number and that it agrees with the birth year', () => {
    expect(registrationProblems({ ...valid, idNumber: '220722198506120021' }, TODAY)).toEqual([{ path: 'idNumber', message: expect.stringContaining('校验位') }]);
    expect(registrationProblems({ ...valid, birthYear: 1986 }, TODAY)).toEqual([{ path: 'birthYear', message: expect.stringContaining('1985') }]);
    expect(registrationProblems({ ...valid, idNumber: undefined, birthYear: 1986 }, TODAY)).toEqual([]);
  });

  it('keeps to the definition: her husband away six months or more, not in the future', () => {
    expect(registrationProblems({ ...valid, husbandAway: { since: '2026-06', where: '大连' } }, TODAY)).toEqual([]);
    expect(registrationProblems({ ...valid, husbandAway: { since: '2026-07', where: '大连' } }, TODAY)).toEqual([{ path: 'husbandAway.since', message: expect.stringContaining('不满6个月') }]);
    expect(registrationProblems({ ...valid, husbandAway: { since: '2027-01', where: '大连' } }, TODAY)[0]!.path).toBe('husbandAway.since');
  });

  it('needs her separate consent to record health or disability on her consent (PIPL art. 29), not under a statutory duty', () => {
    const ill = { ...valid, focus: ['serious_illness' as const] };
    expect(registrationProblems({ ...ill, legalBasis: { basis: 'consent' } }, TODAY)).toEqual([{ path: 'legalBasis.separateConsentToSensitive', message: expect.stringContaining('重病') }]);
    expect(registrationProblems({ ...ill, legalBasis: { basis: 'consent', separateConsentToSensitive: true } }, TODAY)).toEqual([]);
    expect(registrationProblems({ ...ill, legalBasis: { basis: 'statutory_duty' } }, TODAY)).toEqual([]);
    // Economic hardship is not sensitive.
    expect(registrationProblems({ ...valid, legalBasis: { basis: 'consent' } }, TODAY)).toEqual([]);
  });

  it('refuses household counts that contradict each other and a marker listed twice', () => {
    expect(registrationProblems({ ...valid, household: { ...valid.household, childrenUnder16: 3 } }, TODAY).map((p) => p.path)).toEqual(['household.childrenUnder16']);
    expect(registrationProblems({ ...valid, focus: ['economic_hardship', 'economic_hardship'] }, TODAY).map((p) => p.path)).toEqual(['focus']);
  });
});
