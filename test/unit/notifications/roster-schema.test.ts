// Roster validation: what an administrator sends (PUT) and the demo file, with field paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexDivisions, parseDivisionsCsv } from '../../../shared/domain/divisions/divisions.js';
import { isOnDuty, rosterFileSchema, rosterPutSchema } from '../../../shared/domain/roster/roster.js';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.')).sort();

describe('PUT body', () => {
  const ok = {
    expectedVersion: 0,
    caseworkers: [{ id: 'ps-1', phone: '13900001111', onDuty: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:30' }] }],
    supervisor: { id: 'ps-sup', phone: '+8613900002222' },
  };

  it('accepts a valid roster', () => {
    expect(rosterPutSchema.safeParse(ok).success).toBe(true);
  });

  it('reports every wrong field by path', () => {
    const bad = {
      expectedVersion: -1,
      caseworkers: [
        { id: 'ps 1', phone: '0433-6222222', onDuty: [{ days: [0], from: '8:00', to: '17:30' }] },
        { id: 'ps-2', phone: '13900001111', onDuty: [{ start: '2026-12-02', end: '2026-12-01' }] },
      ],
      supervisor: { id: 'ps-sup', phone: 'call me' },
    };
    expect(paths(rosterPutSchema.safeParse(bad))).toEqual([
      'caseworkers.0.id',
      'caseworkers.0.onDuty.0.days.0',
      'caseworkers.0.onDuty.0.from',
      'caseworkers.0.phone',
      'caseworkers.1.onDuty.0.end',
      'expectedVersion',
      'supervisor.phone',
    ]);
  });

  it('rejects duplicate ids, unknown fields and a supervisor who is also a caseworker', () => {
    expect(paths(rosterPutSchema.safeParse({ ...ok, caseworkers: [ok.caseworkers[0], ok.caseworkers[0]] }))).toEqual(['caseworkers.1.id']);
    expect(paths(rosterPutSchema.safeParse({ ...ok, supervisor: { id: 'ps-1', phone: '13900003333' } }))).toEqual(['supervisor.id']);
    expect(rosterPutSchema.safeParse({ ...ok, note: 'x' }).success).toBe(false);
  });
});

describe('data/roster.json (the demo roster)', () => {
  const file = rosterFileSchema.parse(JSON.parse(readFileSync('data/roster.json', 'utf8')));
  const divisions = indexDivisions(parseDivisionsCsv(readFileSync('data/divisions.csv', 'utf8')));
  const has = (department: string, divisionCode: string) => file.rosters.find((r) => r.department === department && r.divisionCode === divisionCode);

  it('covers the six departments in 敦化市 and 农安县, the prefecture 222400, the province and the provincial coordinators', () => {
    for (const div of ['222403', '220122']) for (const d of ['public_security', 'justice', 'civil_affairs', 'health', 'hrss', 'womens_federation']) expect(has(d, div), `${d} ${div}`).toBeDefined();
    expect(has('public_security', '222400')).toBeDefined();
    expect(has('public_security', '220000')).toBeDefined();
    expect(has('coordinator', '220000')?.caseworkers.length).toBeGreaterThan(0);
    for (const r of file.rosters) expect(divisions.get(r.divisionCode), r.divisionCode).toBeDefined();
  });

  it('has someone on duty in 敦化市 public security at every half hour of a week, a holiday and a 调休 day', () => {
    const ps = has('public_security', '222403')!;
    const start = Date.parse('2026-11-30T00:00:00+08:00');
    for (let t = start; t < start + 7 * 86_400_000; t += 30 * 60_000) {
      expect(
        ps.caseworkers.some((c) => isOnDuty(c, new Date(t))),
        new Date(t).toISOString(),
      ).toBe(true);
    }
  });

  it('has no two people with one phone number', () => {
    const phones = file.rosters.flatMap((r) => [...r.caseworkers.map((c) => c.phone), ...(r.supervisor ? [r.supervisor.phone] : [])]);
    expect(new Set(phones).size).toBe(phones.length);
  });
});
