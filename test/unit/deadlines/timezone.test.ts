// Deadlines are computed on China Standard Time whatever the machine's zone: every input here is
// built from UTC and the results must not move when process.env.TZ changes.
import { afterEach, describe, expect, it } from 'vitest';
import { cstMonthOf, previousCstMonth } from '../../../shared/domain/deadlines/cst.js';
import { URGENCIES } from '../../../shared/domain/model.js';
import { calendar, policy } from '../../support/deadline-helpers.js';

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

// Instants near China midnight and near UTC/US midnights, around holidays and 调休 days.
const instants = [
  Date.UTC(2025, 8, 30, 12, 0), // 30 Sep 20:00 CST
  Date.UTC(2025, 8, 30, 15, 59, 59, 999), // 30 Sep 23:59:59.999 CST
  Date.UTC(2025, 8, 30, 16, 0), // 1 Oct 00:00 CST
  Date.UTC(2025, 9, 10, 23, 30), // 11 Oct 07:30 CST, a 调休 Saturday
  Date.UTC(2025, 11, 31, 17, 0), // 1 Jan 2026 01:00 CST
  Date.UTC(2026, 1, 13, 4, 0), // 13 Feb 2026 12:00 CST, before 春节
  Date.UTC(2026, 2, 8, 7, 30), // 8 Mar 2026, US DST starts that day
  Date.UTC(2026, 10, 1, 6, 30), // 1 Nov 2026, US DST ends that day
].map((ms) => new Date(ms));

function snapshot(): string[] {
  const out: string[] = [];
  for (const t of instants) {
    out.push(`${t.toISOString()} working=${calendar.isWorkingDay(t)}`);
    for (const n of [1, 2, 5, 15]) out.push(`+${n}wd ${calendar.addWorkingDays(t, n).toISOString()}`);
    for (const u of URGENCIES) {
      out.push(`${u} ${policy.signForBy(t, u).toISOString()} ${policy.completeBy(t, u, 1).toISOString()}`);
    }
  }
  return out;
}

describe('time-zone independence', () => {
  it('gives identical deadlines under UTC, Shanghai, New York, Kiritimati and Honolulu', () => {
    process.env.TZ = 'UTC';
    const reference = snapshot();
    for (const tz of ['Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Honolulu']) {
      process.env.TZ = tz;
      // Prove the zone change took effect in this process before relying on it.
      expect(new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset()).not.toBe(0);
      expect(snapshot()).toEqual(reference);
    }
  });

  it('the reference answers are the China ones', () => {
    process.env.TZ = 'America/New_York';
    // 30 Sep 2025 23:59:59.999 CST is still 30 September in China → first working day 9 Oct.
    expect(calendar.addWorkingDays(new Date(Date.UTC(2025, 8, 30, 15, 59, 59, 999)), 1).toISOString()).toBe('2025-10-09T15:59:59.999Z');
    // In New York 30 Sep 2025 16:00Z is a working Tuesday; in China it is National Day.
    expect(calendar.isWorkingDay(new Date(Date.UTC(2025, 8, 30, 16, 0)))).toBe(false);
  });
});

describe('months in China', () => {
  it('an instant belongs to its China month: 31 Dec 16:00Z is already January', () => {
    process.env.TZ = 'America/New_York';
    expect(cstMonthOf('2026-12-31T15:59:59.999Z')).toBe('2026-12');
    expect(cstMonthOf('2026-12-31T16:00:00.000Z')).toBe('2027-01');
    expect(previousCstMonth('2026-12-31T16:00:00.000Z')).toBe('2026-12');
    expect(previousCstMonth('2026-03-01T00:00:00+08:00')).toBe('2026-02');
    expect(previousCstMonth(new Date('2027-01-15T12:00:00Z'))).toBe('2026-12');
  });
});
