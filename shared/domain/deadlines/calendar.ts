// The Chinese working-day calendar: Monday to Friday, minus public holidays, plus the weekend days
// that are worked instead (调休上班), as published each year by the State Council and kept in
// data/holidays/<year>.json. Pure: the files are read by shared/config/deadlines.ts.
//
// Counting rule ("N working days from t", used for every working-day deadline):
//   the deadline is the END (23:59:59.999 China time) of the Nth working day AFTER the CST calendar
//   day of t. The day of t itself never counts, whether or not it is a working day and whatever the
//   hour (不含当日). So a referral on Friday evening, or on Saturday, or on Monday at 08:00, with
//   "1 working day" is due at the end of the next working day after that day.
//   n = 0 returns t unchanged. This rule makes addWorkingDays(addWorkingDays(t, a), b) equal
//   addWorkingDays(t, a + b), so an extension of k working days adds exactly k working days.
//
// Years without a data file: the calendar falls back to plain Monday–Friday for them rather than
// throwing (an escalation run on 1 January must not fail because a file is late). The fallback errs
// on the strict side: an unknown holiday is counted as a working day, so deadlines come earlier,
// never later. coversYear() and calendarWarnings() let a health check say the data is missing.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { cstDayOf, endOfCstDay, formatCstDay, monthOfDay, parseIsoDate, toCstDay, toDate, weekdayOfDay, yearOfDay, type DayInput, type Instant } from './cst.js';
import { DeadlineDataError, issuesFromZod, type DataIssue } from './errors.js';

/** Longest run a single holiday entry may cover; longer is taken to be a typing mistake. */
export const MAX_HOLIDAY_DAYS = 15;
/** Upper bound on n for addWorkingDays: a guard against a runaway value, about 40 years. */
export const MAX_WORKING_DAYS = 10_000;

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const isoDate = z.string().check(
  z.superRefine((text, ctx) => {
    if (parseIsoDate(text) === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a real date in the form YYYY-MM-DD` });
    }
  }),
);

const holidaySchema = z.strictObject({
  /** The holiday's Chinese name as the notice gives it, e.g. "春节" or "国庆节、中秋节". */
  name: z.string().check(z.trim(), z.minLength(1, 'the holiday needs its name, e.g. "春节"')),
  /** First and last day off, inclusive (放假), weekend days included. */
  from: isoDate,
  to: isoDate,
  /** The weekend days worked in exchange (调休上班), as the notice lists them for this holiday. */
  workdays: z._default(z.array(isoDate), []),
  note: z.optional(z.string()),
});

export const holidayYearSchema = z
  .strictObject({
    year: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
    /** "official": copied from the State Council's notice; "provisional": a stand-in until it is published. */
    status: z.enum(['official', 'provisional']),
    source: z.optional(z.string()),
    note: z.optional(z.string()),
    holidays: z.array(holidaySchema),
  })
  .check(
    z.superRefine((data, ctx) => {
      const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      if (data.status === 'provisional' && !data.note?.trim()) {
        add(['note'], 'a provisional calendar needs a note telling the administrator what to replace and when');
      }
      // A notice for year Y lists days in Y, and occasionally a day of the December before (元旦).
      const inYear = (day: number) => yearOfDay(day) === data.year || (yearOfDay(day) === data.year - 1 && monthOfDay(day) === 12);
      const ranges: { from: number; to: number; index: number; name: string }[] = [];
      data.holidays.forEach((h, i) => {
        const from = parseIsoDate(h.from);
        const to = parseIsoDate(h.to);
        if (from === undefined || to === undefined) return; // already reported
        // A range that is itself wrong is reported once and left out of the cross-checks below,
        // so one typing mistake gives one message rather than a cascade.
        let usable = true;
        for (const [field, day, text] of [
          ['from', from, h.from],
          ['to', to, h.to],
        ] as const) {
          if (!inYear(day)) {
            add(['holidays', i, field], `${text} is not in ${data.year} (or the December before it)`);
            usable = false;
          }
        }
        if (!usable) return;
        if (to < from) {
          add(['holidays', i, 'to'], `${h.to} is before the first day off ${h.from}`);
          return;
        }
        if (to - from + 1 > MAX_HOLIDAY_DAYS) {
          add(['holidays', i, 'to'], `${h.from}..${h.to} is ${to - from + 1} days; at most ${MAX_HOLIDAY_DAYS} are allowed`);
          return;
        }
        for (const other of ranges) {
          if (from <= other.to && other.from <= to) {
            add(['holidays', i, 'from'], `${h.from}..${h.to} overlaps holidays[${other.index}] (${other.name})`);
          }
        }
        ranges.push({ from, to, index: i, name: h.name });
      });
      const seenWorkdays = new Map<number, string>();
      data.holidays.forEach((h, i) => {
        h.workdays.forEach((text, j) => {
          const day = parseIsoDate(text);
          if (day === undefined) return;
          const path = ['holidays', i, 'workdays', j];
          const weekday = weekdayOfDay(day);
          if (weekday !== 0 && weekday !== 6) {
            add(path, `${text} is a ${WEEKDAY_NAMES[weekday]}; an adjusted working day (调休上班) must be a Saturday or Sunday`);
          }
          if (!inYear(day)) add(path, `${text} is not in ${data.year} (or the December before it)`);
          const clash = ranges.find((r) => day >= r.from && day <= r.to);
          if (clash) add(path, `${text} is inside holidays[${clash.index}] (${clash.name}), so it cannot also be worked`);
          const earlier = seenWorkdays.get(day);
          if (earlier) add(path, `${text} is already listed at ${earlier}`);
          else seenWorkdays.set(day, `holidays[${i}].workdays[${j}]`);
        });
      });
    }),
  );

export type HolidayYear = z.output<typeof holidayYearSchema>;
export type HolidayYearInput = z.input<typeof holidayYearSchema>;
export type CalendarStatus = HolidayYear['status'];

/**
 * Validates one year's holiday data (the parsed JSON). Throws DeadlineDataError listing every
 * problem with its JSON path, e.g. `holidays[1].workdays[0]: 2025-01-27 is a Monday; …`.
 * With expectedYear (the file name's year) a mismatched "year" field is an error too.
 */
export function parseHolidayYear(raw: unknown, source = 'holiday calendar', expectedYear?: number): HolidayYear {
  const result = holidayYearSchema.safeParse(raw);
  if (!result.success) throw new DeadlineDataError(source, issuesFromZod(result.error));
  if (expectedYear !== undefined && result.data.year !== expectedYear) {
    throw new DeadlineDataError(source, [{ path: 'year', message: `is ${result.data.year} but the file is for ${expectedYear}` }]);
  }
  return result.data;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface DayInfo {
  /** The CST calendar date, "YYYY-MM-DD". */
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** workday: Monday–Friday; weekend; holiday (放假); adjusted_workday (调休上班, a worked weekend day). */
  kind: DayKind;
  working: boolean;
  /** The holiday's name for holiday and adjusted_workday days, else null. */
  holiday: string | null;
  /** Whether the day's year has holiday data; when false the day follows plain weekday rules. */
  covered: boolean;
}

export interface CalendarYearSummary {
  year: number;
  status: CalendarStatus;
  source: string | undefined;
  note: string | undefined;
}

export interface WorkingCalendar {
  /** Whether the CST calendar day of `day` is a working day. */
  isWorkingDay(day: DayInput): boolean;
  /** What kind of day it is and why. */
  dayInfo(day: DayInput): DayInfo;
  /**
   * The end (23:59:59.999 CST) of the nth working day after the CST day of `from`; the day of
   * `from` is never counted. n = 0 returns `from`. n must be an integer 0…MAX_WORKING_DAYS.
   */
  addWorkingDays(from: Instant, n: number): Date;
  /** Whether holiday data was loaded for the year (else weekday rules apply to it). */
  coversYear(year: number): boolean;
  /** "official", "provisional", or "missing" when there is no data for the year. */
  yearStatus(year: number): CalendarStatus | 'missing';
  /** The loaded years, in order. */
  readonly years: readonly CalendarYearSummary[];
}

interface Special {
  kind: 'holiday' | 'adjusted_workday';
  name: string;
  year: number;
}

/**
 * Builds a calendar from validated years (parseHolidayYear). Throws DeadlineDataError when two
 * files give the same year, or when one file makes a day a holiday and another a working day.
 */
export function createWorkingCalendar(years: readonly HolidayYear[]): WorkingCalendar {
  const byYear = new Map<number, HolidayYear>();
  const special = new Map<number, Special>();
  const issues: DataIssue[] = [];
  for (const y of years) {
    if (byYear.has(y.year)) {
      issues.push({ path: 'year', message: `${y.year} is given more than once` });
      continue;
    }
    byYear.set(y.year, y);
    const mark = (day: number, next: Special) => {
      const prev = special.get(day);
      if (prev && prev.kind !== next.kind) {
        issues.push({
          path: formatCstDay(day),
          message: `the ${prev.year} data makes it ${describe(prev)} but the ${next.year} data makes it ${describe(next)}`,
        });
      }
      if (!prev) special.set(day, next);
    };
    for (const h of y.holidays) {
      const from = parseIsoDate(h.from);
      const to = parseIsoDate(h.to);
      if (from === undefined || to === undefined) continue; // unreachable after parseHolidayYear
      for (let d = from; d <= to; d++) mark(d, { kind: 'holiday', name: h.name, year: y.year });
      for (const w of h.workdays) {
        const d = parseIsoDate(w);
        if (d !== undefined) mark(d, { kind: 'adjusted_workday', name: h.name, year: y.year });
      }
    }
  }
  if (issues.length > 0) throw new DeadlineDataError('holiday calendar', issues);

  const summaries: CalendarYearSummary[] = [...byYear.values()].sort((a, b) => a.year - b.year).map((y) => ({ year: y.year, status: y.status, source: y.source, note: y.note }));

  const isWorking = (day: number): boolean => {
    const s = special.get(day);
    if (s) return s.kind === 'adjusted_workday';
    const weekday = weekdayOfDay(day);
    return weekday !== 0 && weekday !== 6;
  };

  return {
    years: summaries,
    isWorkingDay: (day) => isWorking(toCstDay(day)),
    dayInfo(input) {
      const day = toCstDay(input);
      const weekday = weekdayOfDay(day);
      const s = special.get(day);
      const kind: DayKind = s ? s.kind : weekday === 0 || weekday === 6 ? 'weekend' : 'workday';
      return {
        date: formatCstDay(day),
        weekday,
        kind,
        working: kind === 'workday' || kind === 'adjusted_workday',
        holiday: s?.name ?? null,
        covered: byYear.has(yearOfDay(day)),
      };
    },
    addWorkingDays(fromInput, n) {
      const from = toDate(fromInput, 'from');
      if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
        throw new RangeError(`working days must be a whole number from 0 to ${MAX_WORKING_DAYS}, got ${n}`);
      }
      if (n === 0) return new Date(from.getTime());
      let day = cstDayOf(from);
      let counted = 0;
      while (counted < n) {
        day += 1;
        if (isWorking(day)) counted += 1;
      }
      return endOfCstDay(day);
    },
    coversYear: (year) => byYear.has(year),
    yearStatus: (year) => byYear.get(year)?.status ?? 'missing',
  };
}

function describe(s: Special): string {
  return s.kind === 'holiday' ? `a holiday (${s.name})` : `a working day (${s.name} 调休)`;
}

/**
 * Warnings for a health check or the admin console: years from `now` to `lookAheadDays` later
 * (China time) that have no holiday data or only provisional data. Empty when all is well.
 */
export function calendarWarnings(calendar: WorkingCalendar, now: Instant, lookAheadDays = 60): string[] {
  const today = cstDayOf(now);
  const first = yearOfDay(today);
  const last = yearOfDay(today + Math.max(0, Math.floor(lookAheadDays)));
  const warnings: string[] = [];
  for (let year = first; year <= last; year++) {
    const status = calendar.yearStatus(year);
    if (status === 'missing') {
      warnings.push(
        `No holiday calendar for ${year} (data/holidays/${year}.json): deadlines in ${year} count every Monday–Friday as a working day and ignore public holidays and 调休. Add the State Council's arrangements for ${year}.`,
      );
    } else if (status === 'provisional') {
      warnings.push(
        `The ${year} holiday calendar is provisional: replace data/holidays/${year}.json with the State Council's notice (国务院办公厅关于${year}年部分节假日安排的通知) as soon as it is published.`,
      );
    }
  }
  return warnings;
}
