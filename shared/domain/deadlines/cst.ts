// China Standard Time arithmetic. China has used UTC+8 all year, with no daylight saving, since
// 1992, so a CST calendar day is exactly 24 hours and a fixed offset is correct for every date this
// platform handles. Nothing here reads the machine's time zone: every Date method used is a UTC one.

/** An instant: a Date, or an ISO-8601 string that names its zone ("Z" or "+08:00"). */
export type Instant = Date | string;

/** A CST calendar day: an instant, or a plain date "YYYY-MM-DD" read as a day in China. */
export type DayInput = Date | string;

export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads an instant; throws RangeError on an invalid Date or a string without a zone. */
export function toDate(at: Instant, what = 'time'): Date {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new RangeError(`${what} is an invalid Date`);
    return at;
  }
  if (!ISO_INSTANT.test(at)) {
    throw new RangeError(`${what} "${at}" is not an ISO-8601 instant with a zone (e.g. "2025-10-01T08:00:00Z" or "2025-10-01T16:00:00+08:00")`);
  }
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`${what} "${at}" is not a valid time`);
  return new Date(ms);
}

/** Days since 1970-01-01 of the CST calendar day that contains the instant. */
export function cstDayOf(at: Instant): number {
  return Math.floor((toDate(at).getTime() + CST_OFFSET_MS) / DAY_MS);
}

/** Day number of a "YYYY-MM-DD" date, or undefined when it is not a real calendar date. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** A plain "YYYY-MM-DD" is a CST calendar date; anything else is read as an instant. */
export function toCstDay(day: DayInput): number {
  if (typeof day === 'string' && ISO_DATE.test(day)) {
    const n = parseIsoDate(day);
    if (n === undefined) throw new RangeError(`"${day}" is not a real calendar date`);
    return n;
  }
  return cstDayOf(day);
}

/** "YYYY-MM-DD" of a day number. */
export function formatCstDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar year of a day number. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Month (1–12) of a day number. */
export function monthOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth() + 1;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The instant a CST day starts: 00:00 China time. */
export function startOfCstDay(day: number): Date {
  return new Date(day * DAY_MS - CST_OFFSET_MS);
}

/** The last millisecond of a CST day: 23:59:59.999 China time. */
export function endOfCstDay(day: number): Date {
  return new Date((day + 1) * DAY_MS - CST_OFFSET_MS - 1);
}

/** "2025-10-09 23:59" — a CST wall-clock rendering for messages and logs. */
export function formatCst(at: Instant): string {
  return new Date(toDate(at).getTime() + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The month of an instant in China, "YYYY-MM". */
export function cstMonthOf(at: Instant): string {
  return formatCstDay(cstDayOf(at)).slice(0, 7);
}

/** The month before the one an instant falls in, in China, "YYYY-MM". */
export function previousCstMonth(at: Instant): string {
  const [y, m] = cstMonthOf(at).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
