// The duty roster: for one department in one division, the caseworkers with their phones and the
// periods they are on duty, and the supervisor. Pure: validation (zod), on-duty checks in China time
// and the division chain used for fall-backs. Phone numbers are personal data: nothing here logs.
import { CST_OFFSET_MS } from '../deadlines/cst.js';
import * as z from 'zod/mini';
import '../validation/messages.js';
import { DEPARTMENTS, PROVINCE_CODE } from '../model.js';
import type { DivisionIndex } from '../divisions/divisions.js';
import { normalizeMobile } from '../mobile-numbers.js';

/**
 * Departments that keep a roster: every department that receives referrals, plus `coordinator`,
 * the division's coordinators (退回 and manual triage go to them; the roster at 220000 holds the
 * provincial coordinators who receive level-3 督办).
 */
export const ROSTER_DEPARTMENTS = [...DEPARTMENTS.filter((d) => d !== 'finance'), 'coordinator'] as const;
export type RosterDepartment = (typeof ROSTER_DEPARTMENTS)[number];
export const COORDINATOR = 'coordinator' as const;

export const isRosterDepartment = (d: string): d is RosterDepartment => (ROSTER_DEPARTMENTS as readonly string[]).includes(d);

/** A roster member's id: what events and logs name instead of a phone number. */
export const rosterPersonId = z.string().check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-", at most 64'));

/** A mainland mobile number (11 digits starting with 1, optionally +86) or an international E.164 number. */
export const rosterPhone = z.string().check(
  z.trim(),
  z.refine((p) => normalizeMobile(p) !== null, 'must be a mobile number: 11 digits such as 13912345678, or E.164 such as +8613912345678'),
);

const clock = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:mm (00:00 to 24:00), China time'));
const cstDateTime = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/, 'must be "YYYY-MM-DD" or "YYYY-MM-DD HH:mm", China time'),
  z.refine((s) => parseCstDateTime(s) !== null, 'is not a real date and time'),
);

/**
 * A weekly period: on the given days from `from` to `to` (China time). `days` is a list of ISO
 * weekdays (1 = Monday … 7 = Sunday), or "working" / "rest" for the working days / rest days of the
 * official calendar (public holidays and 调休 included). When `to` is not after `from` the period
 * runs overnight into the next day (e.g. 17:30 → 08:00); the day named is the day it starts.
 */
export const weeklyPeriodSchema = z.strictObject({
  days: z.union([z.array(z.number().check(z.int(), z.minimum(1), z.maximum(7))).check(z.minLength(1)), z.enum(['working', 'rest', 'every'])]),
  from: clock,
  to: clock,
});

/** An explicit range in China time: "YYYY-MM-DD" is the start of that day; the end is exclusive. */
export const rangePeriodSchema = z
  .strictObject({ start: cstDateTime, end: cstDateTime })
  .check(z.refine((r) => (parseCstDateTime(r.end) ?? 0) > (parseCstDateTime(r.start) ?? 0), { message: 'end must be after start', path: ['end'] }));

export const dutyPeriodSchema = z.union([weeklyPeriodSchema, rangePeriodSchema]);
export type WeeklyPeriod = z.infer<typeof weeklyPeriodSchema>;
export type RangePeriod = z.infer<typeof rangePeriodSchema>;
export type DutyPeriod = z.infer<typeof dutyPeriodSchema>;

export const caseworkerSchema = z.strictObject({
  id: rosterPersonId,
  phone: rosterPhone,
  /** When she is on duty. */
  onDuty: z.array(dutyPeriodSchema).check(z.maxLength(50)),
  /** Leave and other absences: these win over onDuty. */
  offDuty: z.optional(z.array(rangePeriodSchema).check(z.maxLength(50))),
});
export type Caseworker = z.infer<typeof caseworkerSchema>;

export const supervisorSchema = z.strictObject({ id: rosterPersonId, phone: rosterPhone });
export type Supervisor = z.infer<typeof supervisorSchema>;

type RosterFields = { caseworkers: Caseworker[]; supervisor?: Supervisor | null };

/** One id per person: duplicate ids would make per-recipient delivery records ambiguous. */
function uniqueIds(r: RosterFields, ctx: z.core.$RefinementCtx<RosterFields>): void {
  const seen = new Map<string, number>();
  r.caseworkers.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate id (also caseworkers.${seen.get(c.id)})`, path: ['caseworkers', i, 'id'] });
    seen.set(c.id, i);
  });
  if (r.supervisor && seen.has(r.supervisor.id)) {
    ctx.addIssue({ code: 'custom', message: 'the supervisor id is also a caseworker id; give each person one id', path: ['supervisor', 'id'] });
  }
}

const rosterFields = {
  caseworkers: z.array(caseworkerSchema).check(z.maxLength(200)),
  supervisor: z.optional(z.nullable(supervisorSchema)),
};

/** What an administrator sends for one department × division. */
export const rosterBodySchema = z.strictObject(rosterFields).check(z.superRefine(uniqueIds));
export type RosterBody = z.infer<typeof rosterBodySchema>;

export interface RosterScope {
  department: RosterDepartment;
  divisionCode: string;
}

export interface Roster extends RosterScope {
  caseworkers: Caseworker[];
  supervisor: Supervisor | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The demo/seed file (data/roster.json): a list of rosters, each with its scope. */
export const rosterFileSchema = z.strictObject({
  $comment: z.optional(z.string()),
  rosters: z.array(z.strictObject({ department: z.enum(ROSTER_DEPARTMENTS), divisionCode: z.string().check(z.regex(/^\d{6}$/)), ...rosterFields }).check(z.superRefine(uniqueIds))),
});
export type RosterFile = z.infer<typeof rosterFileSchema>;

/** "YYYY-MM-DD[ HH:mm]" in China time → epoch ms, or null when it is not a real date and time. */
export function parseCstDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (h > 23 || mi > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - CST_OFFSET_MS;
}

/** Whether a China-time calendar day is a working day; the deadline calendar provides it. */
export interface DayCalendar {
  isWorkingDay(day: Date): boolean;
}

/** Monday to Friday: used when no holiday calendar is given. */
export const plainWeekdays: DayCalendar = {
  isWorkingDay: (day) => {
    const wd = new Date(day.getTime() + CST_OFFSET_MS).getUTCDay();
    return wd >= 1 && wd <= 5;
  },
};

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function dayMatches(days: WeeklyPeriod['days'], cstDayStart: Date, calendar: DayCalendar): boolean {
  if (days === 'every') return true;
  // Noon of the day, so the calendar sees the right China-time day whatever it does internally.
  const noon = new Date(cstDayStart.getTime() + 12 * 3600_000);
  if (days === 'working') return calendar.isWorkingDay(noon);
  if (days === 'rest') return !calendar.isWorkingDay(noon);
  const isoWeekday = ((new Date(cstDayStart.getTime() + CST_OFFSET_MS).getUTCDay() + 6) % 7) + 1;
  return days.includes(isoWeekday);
}

function inRange(r: RangePeriod, t: number): boolean {
  const start = parseCstDateTime(r.start);
  const end = parseCstDateTime(r.end);
  return start !== null && end !== null && t >= start && t < end;
}

/** Whether a weekly or explicit period covers the instant. */
export function periodCovers(period: DutyPeriod, at: Date, calendar: DayCalendar = plainWeekdays): boolean {
  const t = at.getTime();
  if ('start' in period) return inRange(period, t);
  const cstMs = t + CST_OFFSET_MS;
  const minute = Math.floor((((cstMs % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  const todayStart = new Date(Math.floor(cstMs / 86_400_000) * 86_400_000 - CST_OFFSET_MS);
  const yesterdayStart = new Date(todayStart.getTime() - 86_400_000);
  const from = minutesOf(period.from);
  const to = minutesOf(period.to);
  if (to > from) return minute >= from && minute < to && dayMatches(period.days, todayStart, calendar);
  // Overnight: [from, 24:00) on a matching day, and [00:00, to) on the day after a matching day.
  if (minute >= from && dayMatches(period.days, todayStart, calendar)) return true;
  return minute < to && dayMatches(period.days, yesterdayStart, calendar);
}

/** On duty at `at`: some onDuty period covers it and no offDuty range does. */
export function isOnDuty(person: Pick<Caseworker, 'onDuty' | 'offDuty'>, at: Date, calendar: DayCalendar = plainWeekdays): boolean {
  if ((person.offDuty ?? []).some((r) => inRange(r, at.getTime()))) return false;
  return person.onDuty.some((p) => periodCovers(p, at, calendar));
}

/**
 * The fall-back chain for a division: the division itself, its prefecture (for a county), then the
 * province. Unknown codes fall back to the province only. No code appears twice.
 */
export function divisionChain(divisionCode: string, divisions: DivisionIndex): string[] {
  const chain = [divisionCode];
  const division = divisions.get(divisionCode);
  if (division?.level === 'county') {
    const prefecture = divisions.prefectureOf(divisionCode);
    if (prefecture) chain.push(prefecture.code);
  }
  const province = divisions.province.code ?? PROVINCE_CODE;
  if (!chain.includes(province)) chain.push(province);
  return chain;
}

/** PUT /admin/roster/{department}/{divisionCode}: the roster and the version it replaces (0 to create). */
export const rosterPutSchema = z.strictObject({ expectedVersion: z.number().check(z.int(), z.minimum(0)), ...rosterFields }).check(z.superRefine(uniqueIds));
export type RosterPut = z.infer<typeof rosterPutSchema>;
