// A mistake in an administrator-edited file must fail loudly, naming the field.
import { describe, expect, it } from 'vitest';
import { DeadlineDataError, parseHolidayYear, parseSlaRules } from '../../../shared/domain/deadlines/index.js';
import { clone, rawSla, rawYears } from '../../support/deadline-helpers.js';

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeadlineDataError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a DeadlineDataError');
}

describe('holiday files', () => {
  it('the shipped files are valid', () => {
    for (const [year, raw] of Object.entries(rawYears)) {
      expect(parseHolidayYear(raw, `data/holidays/${year}.json`, Number(year)).year).toBe(Number(year));
    }
  });

  it('reports an impossible date with its path and the file in the message', () => {
    const bad = clone(rawYears[2025]);
    bad.holidays[1]!.from = '2025-02-30';
    expect(() => parseHolidayYear(bad, 'data/holidays/2025.json')).toThrow(/data\/holidays\/2025\.json is invalid:\n {2}- holidays\[1\]\.from: "2025-02-30" is not a real date/);
  });

  it('reports a worked day that is not a weekend day', () => {
    const bad = clone(rawYears[2025]);
    bad.holidays[1]!.workdays = ['2025-01-26', '2025-01-27'];
    expect(issuesOf(() => parseHolidayYear(bad))).toEqual([
      {
        path: 'holidays[1].workdays[1]',
        message: '2025-01-27 is a Monday; an adjusted working day (调休上班) must be a Saturday or Sunday',
      },
    ]);
  });

  it('reports type errors, missing and unknown fields by path', () => {
    const bad = clone(rawYears[2026]) as Record<string, unknown> & { holidays: Record<string, unknown>[] };
    bad.year = '2026';
    delete bad.holidays[2]!.to;
    bad.holidays[3]!.wrokdays = ['2026-05-09'];
    const paths = issuesOf(() => parseHolidayYear(bad)).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['year', 'holidays[2].to', 'holidays[3]']));
    const unknown = issuesOf(() => parseHolidayYear(bad)).find((i) => i.path === 'holidays[3]');
    expect(unknown?.message).toMatch(/wrokdays/);
  });

  it('reports a range that ends before it starts, is too long, or overlaps another', () => {
    const bad = clone(rawYears[2025]);
    bad.holidays[2]!.to = '2025-04-03'; // 清明 4..3
    bad.holidays[5]!.to = '2025-10-30'; // 30 days
    bad.holidays.push({ name: '重复', from: '2025-05-04', to: '2025-05-06' });
    expect(issuesOf(() => parseHolidayYear(bad))).toEqual([
      { path: 'holidays[2].to', message: '2025-04-03 is before the first day off 2025-04-04' },
      { path: 'holidays[5].to', message: '2025-10-01..2025-10-30 is 30 days; at most 15 are allowed' },
      { path: 'holidays[6].from', message: '2025-05-04..2025-05-06 overlaps holidays[3] (劳动节)' },
    ]);
  });

  it('reports a worked day inside a holiday, a duplicate, and dates from the wrong year', () => {
    const bad = clone(rawYears[2026]);
    bad.holidays[0]!.workdays = ['2026-01-04', '2026-01-04'];
    bad.holidays[1]!.workdays = ['2026-02-14', '2026-02-21']; // 21 Feb is inside 春节
    bad.holidays[2]!.from = '2025-04-04'; // 清明 typed with last year's dates
    bad.holidays[2]!.to = '2025-04-06';
    expect(issuesOf(() => parseHolidayYear(bad))).toEqual([
      { path: 'holidays[2].from', message: '2025-04-04 is not in 2026 (or the December before it)' },
      { path: 'holidays[2].to', message: '2025-04-06 is not in 2026 (or the December before it)' },
      { path: 'holidays[0].workdays[1]', message: '2026-01-04 is already listed at holidays[0].workdays[0]' },
      { path: 'holidays[1].workdays[1]', message: '2026-02-21 is inside holidays[1] (春节), so it cannot also be worked' },
    ]);
  });

  it('requires a note on a provisional file and the year to match the file name', () => {
    const bad = clone(rawYears[2027]) as { note?: string };
    delete bad.note;
    expect(issuesOf(() => parseHolidayYear(bad))).toEqual([{ path: 'note', message: 'a provisional calendar needs a note telling the administrator what to replace and when' }]);
    expect(issuesOf(() => parseHolidayYear(rawYears[2027], 'data/holidays/2028.json', 2028))).toEqual([{ path: 'year', message: 'is 2027 but the file is for 2028' }]);
  });

  it('rejects a document that is not an object at all', () => {
    expect(issuesOf(() => parseHolidayYear([])).map((i) => i.path)).toEqual(['']);
    expect(() => parseHolidayYear(null, 'data/holidays/2025.json')).toThrow(/\(document\)/);
  });
});

describe('SLA file', () => {
  it('the shipped file is valid and holds the documented defaults', () => {
    const rules = parseSlaRules(rawSla);
    expect(rules.urgencies.emergency.signFor).toEqual({ amount: 30, unit: 'minutes' });
    expect(rules.urgencies.emergency.completion).toEqual({ amount: 1, unit: 'calendarDays' });
    expect(rules.urgencies.urgent.signFor).toEqual({ amount: 4, unit: 'hours' });
    expect(rules.urgencies.urgent.completion).toEqual({ amount: 3, unit: 'workingDays' });
    expect(rules.urgencies.routine.signFor).toEqual({ amount: 1, unit: 'workingDays' });
    expect(rules.urgencies.routine.completion).toEqual({ amount: 15, unit: 'workingDays' });
    expect(rules.autoCloseDays).toBe(15);
  });

  it('reports a bad unit, a fractional amount, a missing urgency and a stray key by path', () => {
    const bad = clone(rawSla) as Record<string, unknown> & { urgencies: Record<string, Record<string, Record<string, unknown>>> };
    bad.urgencies.urgent!.signFor!.unit = 'workinghours';
    bad.urgencies.routine!.completion!.amount = 1.5;
    delete bad.urgencies.emergency;
    bad.autoClose = 15;
    const issues = issuesOf(() => parseSlaRules(bad, 'data/sla.json'));
    expect(issues.map((i) => i.path).sort()).toEqual(['', 'urgencies.emergency', 'urgencies.routine.completion.amount', 'urgencies.urgent.signFor.unit']);
    expect(issues.find((i) => i.path === 'urgencies.routine.completion.amount')?.message).toBe('must be a whole number');
    expect(() => parseSlaRules(bad, 'data/sla.json')).toThrow(/^data\/sla\.json is invalid/);
  });
});
