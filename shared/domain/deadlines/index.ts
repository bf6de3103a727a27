// Deadlines on the Chinese working-day calendar. See docs/deadlines.md for the counting rule.
export {
  MAX_HOLIDAY_DAYS,
  MAX_WORKING_DAYS,
  calendarWarnings,
  createWorkingCalendar,
  holidayYearSchema,
  parseHolidayYear,
  type CalendarStatus,
  type CalendarYearSummary,
  type DayInfo,
  type DayKind,
  type HolidayYear,
  type HolidayYearInput,
  type WorkingCalendar,
} from './calendar.js';
export {
  DURATION_UNITS,
  addDuration,
  createSlaClock,
  isOverdue,
  parseSlaRules,
  slaRulesSchema,
  type Duration,
  type DurationUnit,
  type EscalationLevel,
  type SlaClock,
  type SlaRules,
  type SlaRulesInput,
  type UrgencyRule,
} from './sla.js';
export { createDeadlinePolicy, type DeadlinePolicy } from './policy.js';
export { DeadlineDataError, type DataIssue } from './errors.js';
export { CST_OFFSET_MS, endOfCstDay, formatCst, startOfCstDay, toDate, type DayInput, type Instant } from './cst.js';
