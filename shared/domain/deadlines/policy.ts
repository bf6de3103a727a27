// The ready-to-use deadline policy: one working calendar plus the SLA rules. Pure; the loader in
// shared/config/deadlines.ts builds it from the data files.
import type { Urgency } from '../model.js';
import { calendarWarnings, type WorkingCalendar } from './calendar.js';
import type { Instant } from './cst.js';
import { createSlaClock, type EscalationLevel, type SlaRules } from './sla.js';

export interface DeadlinePolicy {
  readonly calendar: WorkingCalendar;
  readonly rules: SlaRules;
  /** Sign-for (签收) deadline of a referral made at referredAt. */
  signForBy(referredAt: Instant, urgency: Urgency): Date;
  /** Completion (办结) deadline of a referral signed for at acceptedAt, plus any extension. */
  completeBy(acceptedAt: Instant, urgency: Urgency, extensionWorkingDays?: number): Date;
  /** Instants at which escalation levels 1, 2, 3 fall due for a missed deadline. */
  escalationTimes(deadline: Instant, urgency: Urgency): readonly [Date, Date, Date];
  /** Escalation level reached at `now` (0 = not overdue). */
  escalationLevelAt(deadline: Instant, urgency: Urgency, now: Instant): EscalationLevel;
  /** When the next level after currentLevel falls due; null at level 3. */
  nextEscalationAt(deadline: Instant, urgency: Urgency, currentLevel: EscalationLevel): Date | null;
  /** When a resolved referral without a follow-up call closes by itself. */
  autoCloseAt(resolvedAt: Instant): Date;
  /** Missing or provisional holiday data for the coming lookAheadDays (default 60). */
  calendarWarnings(now: Instant, lookAheadDays?: number): string[];
}

export function createDeadlinePolicy(calendar: WorkingCalendar, rules: SlaRules): DeadlinePolicy {
  const clock = createSlaClock(calendar, rules);
  return {
    calendar,
    rules,
    signForBy: clock.signForDeadline,
    completeBy: clock.completionDeadline,
    escalationTimes: clock.escalationTimes,
    escalationLevelAt: clock.escalationLevelAt,
    nextEscalationAt: clock.nextEscalationAt,
    autoCloseAt: clock.autoCloseAt,
    calendarWarnings: (now, lookAheadDays) => calendarWarnings(calendar, now, lookAheadDays),
  };
}
