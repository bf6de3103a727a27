// Service-level rules per urgency (data/sla.json) and the deadlines they give.
//
// - signFor (签收) runs from the moment of referral; completion (办结) from the moment of sign-for.
// - Durations: "minutes" and "hours" are elapsed time; "calendarDays" are whole 24-hour days, i.e.
//   the same China clock time N days later (China has no daylight saving); "workingDays" follow
//   WorkingCalendar.addWorkingDays: the end (23:59:59.999 CST) of the Nth working day after the
//   starting day, the starting day itself excluded.
// - An extension of k working days moves the completion deadline to the end of the kth working day
//   after the day of the unextended deadline. For working-day rules that is exactly base + k working
//   days; for a calendar rule (emergency) it is k working days after the calendar deadline.
// - A deadline is met by anything done at or before it; it is overdue once the clock passes it.
// - Escalation, one ladder per urgency, applied to whichever deadline (sign-for or completion) was
//   missed: level 1 (reminder to the department's on-duty caseworkers) as soon as the deadline
//   passes; level 2 (督办 to the department head and division coordinator) once level2After has
//   passed since level 1; level 3 (the provincial coordinator) once level3After has passed since
//   level 2. A level is reached when the clock passes its instant.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { URGENCIES, type Urgency } from '../model.js';
import type { WorkingCalendar } from './calendar.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, toDate, type Instant } from './cst.js';
import { DeadlineDataError, issuesFromZod } from './errors.js';

export const DURATION_UNITS = ['minutes', 'hours', 'calendarDays', 'workingDays'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const durationSchema = z.strictObject({
  amount: z.number().check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(10_000)),
  unit: z.enum(DURATION_UNITS),
});

const urgencyRuleSchema = z.strictObject({
  signFor: durationSchema,
  completion: durationSchema,
  escalation: z.strictObject({
    level2After: durationSchema,
    level3After: durationSchema,
  }),
});

export const slaRulesSchema = z.strictObject({
  note: z.optional(z.string()),
  urgencies: z.strictObject({
    emergency: urgencyRuleSchema,
    urgent: urgencyRuleSchema,
    routine: urgencyRuleSchema,
  } satisfies Record<Urgency, typeof urgencyRuleSchema>),
  /** A resolved referral with no follow-up call (回访) closes this many calendar days after 办结. */
  autoCloseDays: z.number().check(z.int('must be a whole number'), z.minimum(1), z.maximum(365)),
});

export type Duration = z.output<typeof durationSchema>;
export type UrgencyRule = z.output<typeof urgencyRuleSchema>;
export type SlaRules = z.output<typeof slaRulesSchema>;
export type SlaRulesInput = z.input<typeof slaRulesSchema>;

/** Validates data/sla.json (parsed JSON); throws DeadlineDataError with the path of each problem. */
export function parseSlaRules(raw: unknown, source = 'SLA rules'): SlaRules {
  const result = slaRulesSchema.safeParse(raw);
  if (!result.success) throw new DeadlineDataError(source, issuesFromZod(result.error));
  return result.data;
}

/** from + duration, working days counted on the calendar. */
export function addDuration(calendar: WorkingCalendar, from: Instant, duration: Duration): Date {
  const start = toDate(from);
  switch (duration.unit) {
    case 'minutes':
      return new Date(start.getTime() + duration.amount * MINUTE_MS);
    case 'hours':
      return new Date(start.getTime() + duration.amount * HOUR_MS);
    case 'calendarDays':
      return new Date(start.getTime() + duration.amount * DAY_MS);
    case 'workingDays':
      return calendar.addWorkingDays(start, duration.amount);
  }
}

/** True once `now` is past the deadline; work done exactly at the deadline is on time. */
export function isOverdue(deadline: Instant, now: Instant): boolean {
  return toDate(now).getTime() > toDate(deadline).getTime();
}

export type EscalationLevel = 0 | 1 | 2 | 3;

export interface SlaClock {
  /** When the referral must be signed for (签收). */
  signForDeadline(referredAt: Instant, urgency: Urgency): Date;
  /** When the referral must be resolved (办结), with any granted extension in working days. */
  completionDeadline(acceptedAt: Instant, urgency: Urgency, extensionWorkingDays?: number): Date;
  /** The instants at which levels 1, 2 and 3 fall due for a missed deadline. */
  escalationTimes(deadline: Instant, urgency: Urgency): readonly [Date, Date, Date];
  /** The level reached at `now`: 0 while the deadline has not passed. */
  escalationLevelAt(deadline: Instant, urgency: Urgency, now: Instant): EscalationLevel;
  /** When the level after `currentLevel` falls due; null at level 3. */
  nextEscalationAt(deadline: Instant, urgency: Urgency, currentLevel: EscalationLevel): Date | null;
  /** When a resolved referral without a follow-up closes automatically. */
  autoCloseAt(resolvedAt: Instant): Date;
}

export function createSlaClock(calendar: WorkingCalendar, rules: SlaRules): SlaClock {
  const ruleFor = (urgency: Urgency): UrgencyRule => {
    if (!(URGENCIES as readonly string[]).includes(urgency)) {
      throw new RangeError(`unknown urgency "${String(urgency)}"; expected one of ${URGENCIES.join(', ')}`);
    }
    return rules.urgencies[urgency];
  };
  const escalationTimes = (deadline: Instant, urgency: Urgency): readonly [Date, Date, Date] => {
    const { escalation } = ruleFor(urgency);
    const level1 = toDate(deadline, 'deadline');
    const level2 = addDuration(calendar, level1, escalation.level2After);
    const level3 = addDuration(calendar, level2, escalation.level3After);
    return [level1, level2, level3];
  };
  return {
    signForDeadline: (referredAt, urgency) => addDuration(calendar, toDate(referredAt, 'referredAt'), ruleFor(urgency).signFor),
    completionDeadline(acceptedAt, urgency, extensionWorkingDays = 0) {
      if (!Number.isInteger(extensionWorkingDays) || extensionWorkingDays < 0) {
        throw new RangeError(`an extension must be a whole number of working days, 0 or more; got ${extensionWorkingDays}`);
      }
      const base = addDuration(calendar, toDate(acceptedAt, 'acceptedAt'), ruleFor(urgency).completion);
      return calendar.addWorkingDays(base, extensionWorkingDays);
    },
    escalationTimes,
    escalationLevelAt(deadline, urgency, now) {
      const at = toDate(now, 'now').getTime();
      const times = escalationTimes(deadline, urgency);
      let level: EscalationLevel = 0;
      if (at > times[0].getTime()) level = 1;
      if (at > times[1].getTime()) level = 2;
      if (at > times[2].getTime()) level = 3;
      return level;
    },
    nextEscalationAt(deadline, urgency, currentLevel) {
      if (currentLevel === 3) return null;
      return escalationTimes(deadline, urgency)[currentLevel];
    },
    autoCloseAt: (resolvedAt) => new Date(toDate(resolvedAt, 'resolvedAt').getTime() + rules.autoCloseDays * DAY_MS),
  };
}
