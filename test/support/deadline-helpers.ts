// Shared fixtures for the deadline tests: the repository's real holiday data and SLA rules,
// imported as JSON so the domain tests need no file system, plus CST time helpers.
import y2025 from '../../data/holidays/2025.json';
import y2026 from '../../data/holidays/2026.json';
import y2027 from '../../data/holidays/2027.json';
import sla from '../../data/sla.json';
import { createDeadlinePolicy, createWorkingCalendar, parseHolidayYear, parseSlaRules } from '../../shared/domain/deadlines/index.js';

export const rawYears = { 2025: y2025, 2026: y2026, 2027: y2027 } as const;
export const rawSla = sla;

export const holidayYears = [
  parseHolidayYear(y2025, 'data/holidays/2025.json', 2025),
  parseHolidayYear(y2026, 'data/holidays/2026.json', 2026),
  parseHolidayYear(y2027, 'data/holidays/2027.json', 2027),
];
export const calendar = createWorkingCalendar(holidayYears);
export const rules = parseSlaRules(sla, 'data/sla.json');
export const policy = createDeadlinePolicy(calendar, rules);

/** A China wall-clock time "YYYY-MM-DD HH:mm[:ss.SSS]" as an instant. */
export function cst(wallClock: string): Date {
  const d = new Date(`${wallClock.replace(' ', 'T')}+08:00`);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test time ${wallClock}`);
  return d;
}

/** The deadline instant for "end of this CST day". */
export function endOf(date: string): Date {
  return cst(`${date} 23:59:59.999`);
}

/** Deep-copies JSON so a test can break one field. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
