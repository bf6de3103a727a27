// Worked examples on the real calendar and SLA defaults; each expected date was counted by hand
// from the State Council notices (see the comments).
import { describe, expect, it } from 'vitest';
import { createSlaClock, isOverdue } from '../../../shared/domain/deadlines/index.js';
import type { Urgency } from '../../../shared/domain/model.js';
import { calendar, cst, endOf, policy, rules } from '../../support/deadline-helpers.js';

describe('routine: sign-for 1 working day, completion 15 working days', () => {
  it('a referral the evening before National Day is due at the end of the first day back', () => {
    // 30 Sep 20:00 → 1–8 Oct are 国庆节、中秋节 → 9 Oct is the first working day.
    const due = policy.signForBy(cst('2025-09-30 20:00'), 'routine');
    expect(due).toEqual(endOf('2025-10-09'));
    expect(due.toISOString()).toBe('2025-10-09T15:59:59.999Z');
  });

  it('completion after the National Day break counts the 调休 Saturday 11 Oct', () => {
    // 10(1) 11 Sat 调休(2) 13(3) 14 15 16 17(7) 20 21 22 23 24(12) 27 28 29(15)
    expect(policy.completeBy(cst('2025-10-09 16:00'), 'routine')).toEqual(endOf('2025-10-29'));
  });

  it('a Friday referral is due on a 调休 Saturday, but not on an ordinary one', () => {
    expect(policy.signForBy(cst('2025-10-10 15:00'), 'routine')).toEqual(endOf('2025-10-11'));
    expect(policy.signForBy(cst('2025-02-07 09:00'), 'routine')).toEqual(endOf('2025-02-08'));
    expect(policy.signForBy(cst('2025-10-17 15:00'), 'routine')).toEqual(endOf('2025-10-20'));
  });

  it('at the turn of the year the 2026 calendar applies (元旦 1–3 Jan, Sunday 4 Jan worked)', () => {
    expect(policy.signForBy(cst('2025-12-31 20:00'), 'routine')).toEqual(endOf('2026-01-04'));
    // 2025-12-31T17:00Z is already 1 January 01:00 in China: same answer.
    expect(policy.signForBy(new Date('2025-12-31T17:00:00Z'), 'routine')).toEqual(endOf('2026-01-04'));
  });

  it('15 working days across 春节 2026 (15–23 Feb off, 14 and 28 Feb worked)', () => {
    // 11 12 13 14Sat(4) | 24 25 26 27 28Sat(9) | 2 3 4 5 6 Mar(14) | 9 Mar(15)
    expect(policy.completeBy(cst('2026-02-10 09:00'), 'routine')).toEqual(endOf('2026-03-09'));
  });

  it('15 working days across 春节 2025 (28 Jan–4 Feb off, 26 Jan and 8 Feb worked)', () => {
    // 21 22 23 24 26Sun(5) 27(6) | 5 6 7 8Sat(10) 10 11 12 13 14 Feb(15)
    expect(policy.completeBy(cst('2025-01-20 09:00'), 'routine')).toEqual(endOf('2025-02-14'));
  });
});

describe('urgent: sign-for 4 calendar hours, completion 3 working days', () => {
  it('sign-for runs on the clock, through nights and holidays', () => {
    expect(policy.signForBy(cst('2025-10-01 22:00'), 'urgent')).toEqual(cst('2025-10-02 02:00'));
    expect(policy.signForBy(cst('2025-10-12 13:00'), 'urgent')).toEqual(cst('2025-10-12 17:00'));
  });

  it('completion across the New Year: 31 Dec (1), Sun 4 Jan 调休 (2), Mon 5 Jan (3)', () => {
    expect(policy.completeBy(cst('2025-12-30 10:00'), 'urgent')).toEqual(endOf('2026-01-05'));
  });
});

describe('emergency: sign-for 30 minutes, completion 1 calendar day', () => {
  it('ignores holidays, weekends and the year boundary', () => {
    expect(policy.signForBy(cst('2025-10-01 03:00'), 'emergency')).toEqual(cst('2025-10-01 03:30'));
    expect(policy.signForBy(cst('2025-12-31 23:45'), 'emergency')).toEqual(cst('2026-01-01 00:15'));
    expect(policy.completeBy(cst('2025-10-01 03:20'), 'emergency')).toEqual(cst('2025-10-02 03:20'));
    expect(policy.completeBy(cst('2026-02-16 21:00'), 'emergency')).toEqual(cst('2026-02-17 21:00'));
  });
});

describe('extensions add working days', () => {
  it('routine + 5: five working days after the unextended deadline', () => {
    // unextended 9 Mar 2026 → 10 11 12 13 16 Mar
    const t = cst('2026-02-10 09:00');
    expect(policy.completeBy(t, 'routine', 5)).toEqual(endOf('2026-03-16'));
    expect(policy.completeBy(t, 'routine', 5)).toEqual(calendar.addWorkingDays(t, 20));
  });

  it('urgent + 2 equals 5 working days from acceptance', () => {
    const t = cst('2025-09-26 11:00');
    // 28 Sep Sun 调休(1) 29(2) 30(3) | 9 Oct(4) 10 Oct(5)
    expect(policy.completeBy(t, 'urgent', 2)).toEqual(endOf('2025-10-10'));
    expect(policy.completeBy(t, 'urgent', 2)).toEqual(calendar.addWorkingDays(t, 5));
  });

  it('emergency + 1: end of the first working day after the calendar deadline', () => {
    // accepted 30 Sep 10:00 → due 1 Oct 10:00 (a holiday) → extended to the end of 9 Oct
    expect(policy.completeBy(cst('2025-09-30 10:00'), 'emergency', 1)).toEqual(endOf('2025-10-09'));
  });

  it('0 changes nothing; negative or fractional extensions are refused', () => {
    const t = cst('2025-09-30 10:00');
    expect(policy.completeBy(t, 'urgent', 0)).toEqual(policy.completeBy(t, 'urgent'));
    expect(() => policy.completeBy(t, 'urgent', -1)).toThrow(/extension/);
    expect(() => policy.completeBy(t, 'urgent', 0.5)).toThrow(/extension/);
  });
});

describe('escalation', () => {
  it('routine: level 1 at the deadline, level 2 one working day later, level 3 two more', () => {
    const deadline = endOf('2025-10-09');
    // 10 Oct (1) → level 2; 11 Oct Sat 调休 (1), 13 Oct (2) → level 3
    expect(policy.escalationTimes(deadline, 'routine')).toEqual([deadline, endOf('2025-10-10'), endOf('2025-10-13')]);
    expect(policy.escalationLevelAt(deadline, 'routine', cst('2025-10-09 23:00'))).toBe(0);
    expect(policy.escalationLevelAt(deadline, 'routine', deadline)).toBe(0); // on time at the deadline
    expect(policy.escalationLevelAt(deadline, 'routine', cst('2025-10-10 00:00'))).toBe(1);
    expect(policy.escalationLevelAt(deadline, 'routine', cst('2025-10-11 08:00'))).toBe(2);
    expect(policy.escalationLevelAt(deadline, 'routine', cst('2025-10-14 00:00'))).toBe(3);
    expect(policy.nextEscalationAt(deadline, 'routine', 0)).toEqual(deadline);
    expect(policy.nextEscalationAt(deadline, 'routine', 2)).toEqual(endOf('2025-10-13'));
    expect(policy.nextEscalationAt(deadline, 'routine', 3)).toBeNull();
  });

  it('emergency: 30 minutes, then another hour', () => {
    const deadline = cst('2025-10-01 03:30');
    expect(policy.escalationTimes(deadline, 'emergency')).toEqual([deadline, cst('2025-10-01 04:00'), cst('2025-10-01 05:00')]);
    expect(policy.escalationLevelAt(deadline, 'emergency', cst('2025-10-01 04:30'))).toBe(2);
  });

  it('isOverdue: on time at the deadline, overdue a millisecond later', () => {
    const deadline = endOf('2025-10-09');
    expect(isOverdue(deadline, deadline)).toBe(false);
    expect(isOverdue(deadline, new Date(deadline.getTime() + 1))).toBe(true);
  });
});

describe('auto-close and input checks', () => {
  it('closes a resolved referral 15 calendar days later at the same clock time', () => {
    expect(policy.autoCloseAt(cst('2025-09-30 20:00'))).toEqual(cst('2025-10-15 20:00'));
  });

  it('refuses an unknown urgency coming from stored data', () => {
    expect(() => policy.signForBy(cst('2025-09-30 20:00'), 'critical' as Urgency)).toThrow(/unknown urgency "critical"/);
  });

  it('createSlaClock gives the same answers under the names of the SLA module', () => {
    const clock = createSlaClock(calendar, rules);
    const t = cst('2025-09-30 20:00');
    expect(clock.signForDeadline(t, 'routine')).toEqual(policy.signForBy(t, 'routine'));
    expect(clock.completionDeadline(t, 'urgent', 1)).toEqual(policy.completeBy(t, 'urgent', 1));
  });
});
