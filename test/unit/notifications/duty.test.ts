// On-duty periods in China time: weekly (with overnight shifts and the official calendar's working
// and rest days), explicit ranges, and leave.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseHolidayYear } from '../../../shared/domain/deadlines/index.js';
import { indexDivisions, parseDivisionsCsv } from '../../../shared/domain/divisions/divisions.js';
import { normalizeMobile } from '../../../shared/domain/mobile-numbers.js';
import { divisionChain, isOnDuty, periodCovers, plainWeekdays, type DutyPeriod } from '../../../shared/domain/roster/roster.js';
import { cst } from '../../support/deadline-helpers.js';

/** A China-time wall clock → Date. */

const calendar = createWorkingCalendar(['2025', '2026'].map((y) => parseHolidayYear(JSON.parse(readFileSync(`data/holidays/${y}.json`, 'utf8')), y, Number(y))));
const official = { isWorkingDay: (d: Date) => calendar.isWorkingDay(d) };

describe('weekly periods', () => {
  const office: DutyPeriod = { days: [1, 2, 3, 4, 5], from: '08:00', to: '17:30' };
  it.each([
    ['2026-11-30T08:00', true], // Monday, first minute
    ['2026-11-30T17:29', true],
    ['2026-11-30T17:30', false], // end is exclusive
    ['2026-11-30T07:59', false],
    ['2026-11-29T10:00', false], // Sunday
    ['2026-12-04T12:00', true], // Friday
  ])('Mon–Fri 08:00–17:30 at %s CST → %s', (at, expected) => {
    expect(periodCovers(office, cst(at))).toBe(expected);
  });

  it('reads the weekday in China time, not UTC: Monday 07:00 CST is Sunday 23:00 UTC', () => {
    expect(periodCovers({ days: [1], from: '06:00', to: '08:00' }, cst('2026-11-30T07:00'))).toBe(true);
    expect(periodCovers({ days: [7], from: '06:00', to: '08:00' }, cst('2026-11-30T07:00'))).toBe(false);
  });

  it('an overnight shift belongs to the day it starts', () => {
    const friNight: DutyPeriod = { days: [5], from: '17:30', to: '08:00' };
    expect(periodCovers(friNight, cst('2026-12-04T23:00'))).toBe(true); // Friday night
    expect(periodCovers(friNight, cst('2026-12-05T07:59'))).toBe(true); // Saturday morning
    expect(periodCovers(friNight, cst('2026-12-05T08:00'))).toBe(false);
    expect(periodCovers(friNight, cst('2026-12-04T07:00'))).toBe(false); // Friday morning: Thursday's night, not listed
  });

  it('24:00 closes the day', () => {
    expect(periodCovers({ days: 'every', from: '00:00', to: '24:00' }, cst('2026-12-04T23:59'))).toBe(true);
  });

  it('"working" and "rest" follow the official calendar: National Day is rest, the 调休 Saturday is working', () => {
    const working: DutyPeriod = { days: 'working', from: '08:00', to: '17:30' };
    const rest: DutyPeriod = { days: 'rest', from: '08:00', to: '17:30' };
    // 2025-10-01 (Wednesday) is National Day; 2025-09-28 (Sunday) is a worked 调休 day.
    expect(periodCovers(working, cst('2025-10-01T10:00'), official)).toBe(false);
    expect(periodCovers(rest, cst('2025-10-01T10:00'), official)).toBe(true);
    expect(periodCovers(working, cst('2025-09-28T10:00'), official)).toBe(true);
    expect(periodCovers(rest, cst('2025-09-28T10:00'), official)).toBe(false);
    // Without the calendar, plain Monday–Friday.
    expect(periodCovers(working, cst('2025-10-01T10:00'), plainWeekdays)).toBe(true);
  });
});

describe('explicit ranges and leave', () => {
  it('a range covers [start, end) in China time', () => {
    const p: DutyPeriod = { start: '2027-02-06', end: '2027-02-07 12:00' };
    expect(periodCovers(p, cst('2027-02-06T00:00'))).toBe(true);
    expect(periodCovers(p, cst('2027-02-05T23:59'))).toBe(false);
    expect(periodCovers(p, cst('2027-02-07T11:59'))).toBe(true);
    expect(periodCovers(p, cst('2027-02-07T12:00'))).toBe(false);
  });

  it('leave wins over every duty period', () => {
    const person = { onDuty: [{ days: 'every', from: '00:00', to: '24:00' } as DutyPeriod], offDuty: [{ start: '2026-12-01', end: '2026-12-03' }] };
    expect(isOnDuty(person, cst('2026-11-30T12:00'))).toBe(true);
    expect(isOnDuty(person, cst('2026-12-02T12:00'))).toBe(false);
    expect(isOnDuty(person, cst('2026-12-03T00:00'))).toBe(true);
  });

  it('nobody is on duty without a period', () => {
    expect(isOnDuty({ onDuty: [] }, new Date())).toBe(false);
  });
});

describe('properties', () => {
  const hhmm = fc.integer({ min: 0, max: 24 * 60 }).map((m) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`));
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }).map((t) => new Date(t));

  it('an overnight period covers exactly the complement of its daytime twin, on days every day', () => {
    fc.assert(
      fc.property(hhmm, hhmm, instant, (a, b, at) => {
        fc.pre(a !== b && a !== '24:00' && b !== '24:00');
        const [from, to] = a < b ? [a, b] : [b, a];
        const day = periodCovers({ days: 'every', from, to }, at);
        const night = periodCovers({ days: 'every', from: to, to: from }, at);
        expect(day).not.toBe(night);
      }),
    );
  });

  it('"every" covers an instant iff some single weekday list does', () => {
    fc.assert(
      fc.property(hhmm, hhmm, instant, (from, to, at) => {
        fc.pre(from !== to);
        const every = periodCovers({ days: 'every', from, to }, at);
        const any = [1, 2, 3, 4, 5, 6, 7].some((d) => periodCovers({ days: [d], from, to }, at));
        expect(every).toBe(any);
      }),
    );
  });
});

describe('phones and division chains', () => {
  it.each([
    ['13912345678', '+8613912345678'],
    ['+86 139-1234-5678', '+8613912345678'],
    ['8613912345678', '+8613912345678'],
    ['+14155550100', '+14155550100'],
    ['0433-6222222', null], // a landline cannot take an SMS
    ['12345', null],
  ])('normalizeMobile(%s) = %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });

  const divisions = indexDivisions(parseDivisionsCsv(readFileSync('data/divisions.csv', 'utf8')));
  it('county → prefecture → province; prefecture → province; province alone; unknown → province', () => {
    expect(divisionChain('222403', divisions)).toEqual(['222403', '222400', '220000']);
    expect(divisionChain('222400', divisions)).toEqual(['222400', '220000']);
    expect(divisionChain('220000', divisions)).toEqual(['220000']);
    expect(divisionChain('229999', divisions)).toEqual(['229999', '220000']);
  });
});
