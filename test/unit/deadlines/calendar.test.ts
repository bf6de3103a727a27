import { describe, expect, it } from 'vitest';
import { calendarWarnings, createWorkingCalendar, DeadlineDataError, parseHolidayYear } from '../../../shared/domain/deadlines/index.js';
import { calendar, cst, endOf } from '../../support/deadline-helpers.js';

describe('isWorkingDay on the real 2025–2027 data', () => {
  it.each([
    ['2025-01-01', false, 'holiday'], // 元旦, Wednesday
    ['2025-01-26', true, 'adjusted_workday'], // Sunday worked for 春节
    ['2025-01-28', false, 'holiday'], // 除夕
    ['2025-02-04', false, 'holiday'],
    ['2025-02-08', true, 'adjusted_workday'], // Saturday worked for 春节
    ['2025-04-27', true, 'adjusted_workday'], // Sunday worked for 劳动节
    ['2025-05-05', false, 'holiday'],
    ['2025-06-02', false, 'holiday'], // 端午
    ['2025-09-28', true, 'adjusted_workday'],
    ['2025-10-08', false, 'holiday'],
    ['2025-10-09', true, 'workday'],
    ['2025-10-11', true, 'adjusted_workday'], // Saturday worked for 国庆
    ['2025-10-12', false, 'weekend'],
    ['2026-01-02', false, 'holiday'],
    ['2026-01-04', true, 'adjusted_workday'],
    ['2026-02-14', true, 'adjusted_workday'],
    ['2026-02-23', false, 'holiday'],
    ['2026-02-28', true, 'adjusted_workday'],
    ['2026-05-09', true, 'adjusted_workday'],
    ['2026-09-20', true, 'adjusted_workday'],
    ['2026-10-10', true, 'adjusted_workday'],
    ['2027-02-05', false, 'holiday'], // 除夕 (provisional)
    ['2027-02-10', false, 'holiday'], // 补假 (provisional)
    ['2027-02-11', true, 'workday'],
  ] as const)('%s → working %s (%s)', (date, working, kind) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
    expect(calendar.dayInfo(date)).toMatchObject({ date, working, kind, covered: true });
  });

  it('names the holiday behind a day off or a worked weekend day', () => {
    expect(calendar.dayInfo('2025-10-11').holiday).toBe('国庆节、中秋节');
    expect(calendar.dayInfo('2026-02-17').holiday).toBe('春节');
    expect(calendar.dayInfo('2025-10-09').holiday).toBeNull();
  });

  it('reads an instant by its China calendar day, not its UTC day', () => {
    // 2025-09-30T16:30Z is 2025-10-01 00:30 in China: National Day.
    expect(calendar.isWorkingDay(new Date('2025-09-30T16:30:00Z'))).toBe(false);
    expect(calendar.isWorkingDay('2025-09-30T16:30:00Z')).toBe(false);
    // 2025-10-08T15:59Z is still 8 October in China (holiday); a minute later it is the 9th.
    expect(calendar.isWorkingDay(new Date('2025-10-08T15:59:00Z'))).toBe(false);
    expect(calendar.isWorkingDay(new Date('2025-10-08T16:00:00Z'))).toBe(true);
  });
});

describe('addWorkingDays: end of the Nth working day after the starting day', () => {
  it('excludes the starting day and ends at 23:59:59.999 China time', () => {
    expect(calendar.addWorkingDays(cst('2025-10-09 08:00'), 1)).toEqual(endOf('2025-10-10'));
    expect(calendar.addWorkingDays(cst('2025-10-09 23:59'), 1)).toEqual(endOf('2025-10-10'));
    expect(endOf('2025-10-10').toISOString()).toBe('2025-10-10T15:59:59.999Z');
  });

  it('from a non-working day counts from the next working day', () => {
    // Saturday 2025-03-15 → Monday 17th is working day 1.
    expect(calendar.addWorkingDays(cst('2025-03-15 11:00'), 1)).toEqual(endOf('2025-03-17'));
    // During the National Day break → 9 October is working day 1.
    expect(calendar.addWorkingDays(cst('2025-10-03 10:00'), 1)).toEqual(endOf('2025-10-09'));
  });

  it('counts 调休 weekend days as working days', () => {
    // Thu 9 Oct → Fri 10 (1), Sat 11 调休 (2), Mon 13 (3).
    expect(calendar.addWorkingDays(cst('2025-10-09 09:00'), 2)).toEqual(endOf('2025-10-11'));
    expect(calendar.addWorkingDays(cst('2025-10-09 09:00'), 3)).toEqual(endOf('2025-10-13'));
  });

  it('n = 0 is the starting instant itself', () => {
    const t = cst('2025-10-03 10:00');
    expect(calendar.addWorkingDays(t, 0)).toEqual(t);
  });

  it('rejects negative, fractional or absurd n, invalid dates and zone-less strings', () => {
    const t = cst('2025-10-09 09:00');
    expect(() => calendar.addWorkingDays(t, -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(t, 1.5)).toThrow(/whole number/);
    expect(() => calendar.addWorkingDays(t, Number.NaN)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(t, 1_000_000)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(new Date('nonsense'), 1)).toThrow(/invalid Date/);
    expect(() => calendar.addWorkingDays('2025-10-09T09:00', 1)).toThrow(/with a zone/);
    expect(() => calendar.isWorkingDay('2025-02-30')).toThrow(/real calendar date/);
  });

  it('accepts ISO-8601 strings with a zone', () => {
    expect(calendar.addWorkingDays('2025-09-30T12:00:00Z', 1)).toEqual(endOf('2025-10-09'));
    expect(calendar.addWorkingDays('2025-09-30T20:00:00+08:00', 1)).toEqual(endOf('2025-10-09'));
  });
});

describe('years without data', () => {
  it('fall back to Monday–Friday and are reported as not covered', () => {
    expect(calendar.coversYear(2025)).toBe(true);
    expect(calendar.coversYear(2028)).toBe(false);
    expect(calendar.yearStatus(2028)).toBe('missing');
    expect(calendar.yearStatus(2027)).toBe('provisional');
    expect(calendar.yearStatus(2026)).toBe('official');
    // 2028-01-01 is a Saturday, 2028-01-03 a Monday (元旦 unknown to the data: counted as plain days).
    expect(calendar.dayInfo('2028-01-03')).toMatchObject({ kind: 'workday', working: true, covered: false });
    expect(calendar.addWorkingDays(cst('2027-12-31 10:00'), 1)).toEqual(endOf('2028-01-03'));
  });

  it('an empty calendar is plain weekdays', () => {
    const plain = createWorkingCalendar([]);
    expect(plain.isWorkingDay('2025-10-01')).toBe(true);
    expect(plain.isWorkingDay('2025-10-11')).toBe(false);
    expect(plain.years).toEqual([]);
  });

  it('calendarWarnings flags missing and provisional years within the look-ahead window', () => {
    expect(calendarWarnings(calendar, cst('2025-06-01 12:00'))).toEqual([]);
    const nov2026 = calendarWarnings(calendar, cst('2026-11-15 12:00'));
    expect(nov2026).toHaveLength(1);
    expect(nov2026[0]).toMatch(/2027 holiday calendar is provisional/);
    const dec2027 = calendarWarnings(calendar, cst('2027-12-01 12:00'));
    expect(dec2027).toHaveLength(2);
    expect(dec2027[1]).toMatch(/No holiday calendar for 2028/);
    // Early in a year the next one is still outside the 60-day window.
    expect(calendarWarnings(calendar, cst('2026-03-01 12:00'))).toEqual([]);
  });
});

describe('combining years', () => {
  const year = (y: number, holidays: unknown[]) => parseHolidayYear({ year: y, status: 'official', holidays });

  it('rejects the same year twice', () => {
    expect(() => createWorkingCalendar([year(2030, []), year(2030, [])])).toThrow(/2030 is given more than once/);
  });

  it('rejects a day one year makes a holiday and another a working day', () => {
    // 2030's notice may list a December 2029 day; it must agree with the 2029 file.
    const y2029 = year(2029, [
      { name: '国庆节', from: '2029-10-01', to: '2029-10-07' },
      { name: '冬至测试', from: '2029-12-29', to: '2029-12-29' },
    ]);
    const y2030 = year(2030, [{ name: '元旦', from: '2030-01-01', to: '2030-01-01', workdays: ['2029-12-29'] }]);
    let error: unknown;
    try {
      createWorkingCalendar([y2029, y2030]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DeadlineDataError);
    expect((error as DeadlineDataError).issues).toEqual([{ path: '2029-12-29', message: 'the 2029 data makes it a holiday (冬至测试) but the 2030 data makes it a working day (元旦 调休)' }]);
  });

  it('lets a notice carry a December day of the year before', () => {
    const y2030 = year(2030, [{ name: '元旦', from: '2029-12-30', to: '2030-01-01', workdays: ['2029-12-29'] }]);
    const cal = createWorkingCalendar([y2030]);
    expect(cal.isWorkingDay('2029-12-29')).toBe(true); // a Saturday, worked
    expect(cal.isWorkingDay('2029-12-31')).toBe(false); // a Monday, off
  });
});
