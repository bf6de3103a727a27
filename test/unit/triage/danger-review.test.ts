import { describe, expect, it } from 'vitest';
import { loadDeadlinePolicy } from '../../../shared/config/deadlines.js';
import { decideReview, escalateReview, newReview, reviewDueAt, reviewReasons } from '../../../shared/domain/triage/danger-review.js';

const clock = loadDeadlinePolicy();
const t0 = new Date('2026-12-05T02:00:00Z'); // a Saturday: reviews run on clock time, not working time
const review = () =>
  newReview({ caseId: 'C', reference: 'R', divisionCode: '222403', reasons: ['screen'], cues: ['body.chest: 胸口'], impliedNeeds: ['health_screening'], now: t0, reviewMinutes: 15 });
const coordinator = { id: 'co-1', role: 'coordinator', divisionCode: '222403' };
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

describe('danger reviews', () => {
  it('is asked for when the screen flags or the caller is unsure, never for an emergency', () => {
    expect(reviewReasons({ urgency: 'routine' }, { possibleEmergency: true })).toEqual(['screen']);
    expect(reviewReasons({ urgency: 'urgent' }, { possibleEmergency: false }, 'unsure')).toEqual(['caller_unsure']);
    expect(reviewReasons({ urgency: 'emergency' }, { possibleEmergency: true }, 'unsure')).toEqual([]);
    expect(reviewReasons({ urgency: 'routine' }, { possibleEmergency: false }, 'yes')).toEqual([]);
  });

  it('is due 15 clock minutes later, on a weekend too', () => {
    expect(review().dueAt).toBe(at(15).toISOString());
    expect(reviewDueAt(review(), clock)).toBe(at(15).toISOString());
  });

  it('escalates as an overdue emergency: reminder at the due time, supervisor 30 minutes later, provincial 1 hour after that; once per level', () => {
    let r = review();
    expect(escalateReview(r, at(14), clock)).toBeNull();
    const levels: [number, number][] = [];
    for (const min of [16, 17, 46, 47, 106, 200]) {
      const next = escalateReview(r, at(min), clock);
      if (next) {
        r = next.review;
        levels.push([min, next.level]);
      }
    }
    expect(levels).toEqual([
      [16, 1],
      [46, 2],
      [106, 3],
    ]);
    expect(reviewDueAt(r, clock)).toBeNull();
  });

  it('a dismissal needs a note; a decided review cannot be decided again nor escalate', () => {
    expect(decideReview(review(), { confirm: false }, coordinator, at(5))).toMatchObject({ ok: false, code: 'invalid_input', field: 'note' });
    const confirmed = decideReview(review(), { confirm: true }, coordinator, at(20));
    expect(confirmed).toMatchObject({
      ok: true,
      review: { status: 'confirmed', decidedBy: coordinator, version: 2 },
      event: { type: 'danger_review_confirmed', details: { late: true, cues: ['body.chest'] } },
    });
    if (!confirmed.ok) throw new Error('unreachable');
    expect(decideReview(confirmed.review, { confirm: false, note: 'x' }, coordinator, at(21))).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(escalateReview(confirmed.review, at(100), clock)).toBeNull();
    expect(reviewDueAt(confirmed.review, clock)).toBeNull();
  });
});
