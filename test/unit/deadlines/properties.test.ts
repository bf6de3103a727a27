// Properties of the counting rule, checked on the real calendar (2024–2028, so also across years
// without data) and on randomly generated holiday calendars. Only properties that follow from the
// documented rule are asserted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar, parseHolidayYear, type WorkingCalendar } from '../../../shared/domain/deadlines/index.js';
import { URGENCIES } from '../../../shared/domain/model.js';
import { calendar, policy } from '../../support/deadline-helpers.js';

const DAY = 86_400_000;
const CST = 8 * 3_600_000;
const cstDay = (d: Date) => Math.floor((d.getTime() + CST) / DAY);

const instant = (fromUtc: number, toUtc: number) => fc.integer({ min: fromUtc, max: toUtc }).map((ms) => new Date(ms));
const realInstant = instant(Date.UTC(2024, 5, 1), Date.UTC(2028, 5, 1));
const days = fc.integer({ min: 0, max: 40 });

/** Working days strictly after the CST day of `from`, up to and including the CST day of `to`. */
function workingDaysBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  let count = 0;
  for (let d = cstDay(from) + 1; d <= cstDay(to); d++) {
    if (cal.isWorkingDay(new Date(d * DAY))) count++; // d * DAY is 08:00 on CST day d
  }
  return count;
}

function checkCountingRule(cal: WorkingCalendar, t: Date, n: number) {
  const due = cal.addWorkingDays(t, n);
  if (n === 0) {
    expect(due).toEqual(t);
    return;
  }
  expect(due.getTime()).toBeGreaterThan(t.getTime());
  expect((due.getTime() + 1 + CST) % DAY).toBe(0); // 23:59:59.999 China time
  expect(cal.isWorkingDay(due)).toBe(true); // lands on a working day…
  expect(workingDaysBetween(cal, t, due)).toBe(n); // …the nth one after t's day
}

describe('addWorkingDays on the real calendar', () => {
  it('ends on the nth working day after the starting day, at the end of that day', () => {
    fc.assert(fc.property(realInstant, days, (t, n) => checkCountingRule(calendar, t, n)));
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(realInstant, days, days, (t, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(calendar.addWorkingDays(t, lo).getTime()).toBeLessThan(calendar.addWorkingDays(t, hi).getTime());
      }),
    );
  });

  it('is non-decreasing in the starting time', () => {
    fc.assert(
      fc.property(realInstant, realInstant, days, (t1, t2, n) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        expect(calendar.addWorkingDays(early, n).getTime()).toBeLessThanOrEqual(calendar.addWorkingDays(late, n).getTime());
      }),
    );
  });

  it('composes: a then b working days is a + b working days (so extensions add up)', () => {
    fc.assert(
      fc.property(realInstant, days, days, (t, a, b) => {
        expect(calendar.addWorkingDays(calendar.addWorkingDays(t, a), b)).toEqual(calendar.addWorkingDays(t, a + b));
      }),
    );
  });

  it('depends only on the China calendar day of the start when n ≥ 1', () => {
    fc.assert(
      fc.property(realInstant, fc.integer({ min: 0, max: DAY - 1 }), fc.integer({ min: 1, max: 40 }), (t, ms, n) => {
        const sameDay = new Date(cstDay(t) * DAY - CST + ms);
        expect(calendar.addWorkingDays(sameDay, n)).toEqual(calendar.addWorkingDays(t, n));
      }),
    );
  });
});

/** A random but valid holiday year 2030: single-day holidays and worked weekend days. */
const randomYear = fc
  .record({
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 40 }),
    workdays: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 30 }),
  })
  .map(({ holidays, workdays }) => {
    const start = Date.UTC(2030, 0, 1) / DAY;
    const iso = (offset: number) => new Date((start + offset) * DAY).toISOString().slice(0, 10);
    const weekend = (offset: number) => [0, 6].includes(new Date((start + offset) * DAY).getUTCDay());
    const worked = workdays.filter((w) => weekend(w) && !holidays.includes(w)).map(iso);
    return parseHolidayYear({
      year: 2030,
      status: 'official',
      holidays: holidays.map((h, i) => ({ name: `假${i}`, from: iso(h), to: iso(h), workdays: i === 0 ? worked : [] })),
    });
  });
const instant2030 = instant(Date.UTC(2029, 11, 1), Date.UTC(2031, 0, 31));

describe('addWorkingDays on random calendars', () => {
  it('follows the counting rule and composes', () => {
    fc.assert(
      fc.property(randomYear, instant2030, days, days, (year, t, a, b) => {
        const cal = createWorkingCalendar([year]);
        checkCountingRule(cal, t, a);
        expect(cal.addWorkingDays(cal.addWorkingDays(t, a), b)).toEqual(cal.addWorkingDays(t, a + b));
      }),
    );
  });
});

describe('SLA deadlines', () => {
  const urgency = fc.constantFrom(...URGENCIES);
  const extension = fc.integer({ min: 0, max: 20 });

  it('sign-for and completion deadlines lie after their start', () => {
    fc.assert(
      fc.property(realInstant, urgency, extension, (t, u, e) => {
        expect(policy.signForBy(t, u).getTime()).toBeGreaterThan(t.getTime());
        expect(policy.completeBy(t, u, e).getTime()).toBeGreaterThan(t.getTime());
      }),
    );
  });

  it('an extension of e working days is e working days after the unextended deadline', () => {
    fc.assert(
      fc.property(realInstant, urgency, extension, extension, (t, u, e1, e2) => {
        const base = policy.completeBy(t, u);
        expect(policy.completeBy(t, u, e1)).toEqual(calendar.addWorkingDays(base, e1));
        expect(policy.completeBy(t, u, e1 + e2)).toEqual(calendar.addWorkingDays(policy.completeBy(t, u, e1), e2));
      }),
    );
  });

  it('escalation levels come in order and never go back as time passes', () => {
    fc.assert(
      fc.property(realInstant, urgency, fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 30 * DAY }), (deadline, u, x, y) => {
        const [l1, l2, l3] = policy.escalationTimes(deadline, u);
        expect(l1.getTime()).toBeLessThan(l2.getTime());
        expect(l2.getTime()).toBeLessThan(l3.getTime());
        const [early, late] = x <= y ? [x, y] : [y, x];
        const at = (ms: number) => new Date(deadline.getTime() + ms);
        expect(policy.escalationLevelAt(deadline, u, at(early))).toBeLessThanOrEqual(policy.escalationLevelAt(deadline, u, at(late)));
      }),
    );
  });
});
