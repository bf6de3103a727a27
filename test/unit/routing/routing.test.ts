import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexDivisions, parseDivisionsCsv } from '../../../shared/domain/divisions/divisions.js';
import { NEEDS } from '../../../shared/domain/model.js';
import { parseRoutingTable, route } from '../../../shared/domain/routing/routing.js';

const divisions = indexDivisions(parseDivisionsCsv(readFileSync('data/divisions.csv', 'utf8')));
const table = parseRoutingTable(JSON.parse(readFileSync('data/routing.json', 'utf8')));

// The lead department of each need, as the taxonomy (docs/taxonomy.md) states it.
const LEAD = {
  legal_aid: 'justice',
  psychological_support: 'civil_affairs',
  health_screening: 'health',
  social_assistance: 'civil_affairs',
  safety_protection: 'public_security',
  employment_training: 'hrss',
  family_education: 'womens_federation',
} as const;

describe('route', () => {
  it.each(NEEDS)('%s goes to its lead department in the county', (need) => {
    const [r] = route({ needs: [need], divisionCode: '222426', text: '' }, table, divisions);
    expect(r).toMatchObject({ need, department: LEAD[need], divisionCode: '222426', jurisdiction: 'county' });
    expect(r!.coDepartments).not.toContain(LEAD[need]);
    expect(r!.coDepartments).not.toContain('finance');
  });

  it('records the taxonomy co-departments, and agriculture only for land rights', () => {
    const [plain] = route({ needs: ['legal_aid'], divisionCode: '222426', text: '想离婚' }, table, divisions);
    expect(plain!.coDepartments.sort()).toEqual(['civil_affairs', 'womens_federation']);
    const [land] = route({ needs: ['legal_aid'], divisionCode: '222426', text: '宅基地被占了' }, table, divisions);
    expect(land!.coDepartments).toContain('agriculture');
  });

  it('adds the disabled persons federation to social assistance for a disability', () => {
    const [r] = route({ needs: ['social_assistance'], divisionCode: '220122', text: '我是残疾人' }, table, divisions);
    expect(r!.coDepartments).toContain('disabled_federation');
  });

  it('a prefecture alone routes to the prefecture queue; nothing known routes to the province', () => {
    expect(route({ needs: ['legal_aid'], divisionCode: '220800', text: '' }, table, divisions)[0]).toMatchObject({ divisionCode: '220800', jurisdiction: 'prefecture' });
    expect(route({ needs: ['legal_aid'], divisionCode: null, text: '' }, table, divisions)[0]).toMatchObject({ divisionCode: '220000', jurisdiction: 'province' });
    expect(route({ needs: ['legal_aid'], divisionCode: '110101', text: '' }, table, divisions)[0]).toMatchObject({ divisionCode: '220000', jurisdiction: 'province' });
  });

  it('no need gives one manual-triage referral', () => {
    expect(route({ needs: [], divisionCode: '220122', text: '' }, table, divisions)).toEqual([
      { need: 'manual_triage', department: 'manual_triage', coDepartments: [], divisionCode: '220122', jurisdiction: 'county' },
    ]);
  });

  it('gives exactly one referral per need, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...NEEDS), { minLength: 1 }), fc.constantFrom(null, ...divisions.all.map((d) => d.code)), (needs, code) => {
        const routed = route({ needs, divisionCode: code, text: '' }, table, divisions);
        expect(routed.map((r) => r.need)).toEqual(needs);
        expect(new Set(routed.map((r) => r.divisionCode)).size).toBe(1);
      }),
    );
  });
});

describe('routing table data', () => {
  it('rejects a table that routes to finance or misses a need, naming the path', () => {
    const bad = JSON.parse(readFileSync('data/routing.json', 'utf8'));
    bad.needs.legal_aid.lead = 'finance';
    delete bad.needs.family_education;
    expect(() => parseRoutingTable(bad)).toThrow(/needs\.legal_aid\.lead.*needs\.family_education|needs\.family_education.*needs\.legal_aid\.lead/);
  });
});
