import fc from 'fast-check';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { priorityOf, PrioritySlots, scheduleRecords } from '../../../functions/notifier/scheduling.js';

const rec = (item: string, urgency: 'emergency' | 'urgent' | 'routine', seq: number, entity = 'referral'): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: String(seq), Keys: { pk: { S: `CASE#${item}` }, sk: { S: 'REF#001' } }, NewImage: { entity: { S: entity }, urgency: { S: urgency }, status: { S: 'pending' } } },
});

describe('scheduling a batch in the notifier', () => {
  it('ranks hotline emergencies and reviews first, then those of the web form, then urgent, then the rest', () => {
    expect(priorityOf(rec('a', 'emergency', 1))).toBe(0);
    expect(priorityOf(rec('a', 'routine', 1, 'review'))).toBe(0);
    const web = rec('a', 'emergency', 1);
    web.dynamodb!.NewImage!.channel = { S: 'web' };
    expect(priorityOf(web)).toBe(1);
    expect(priorityOf(rec('a', 'urgent', 1))).toBe(2);
    expect(priorityOf(rec('a', 'routine', 1))).toBe(3);
    expect(priorityOf(rec('a', 'emergency', 1, 'case'))).toBe(3);
  });

  it('with one slot, an emergency waiting behind routine work is served before it', async () => {
    const records = [rec('r1', 'routine', 1), rec('r2', 'routine', 2), rec('r3', 'routine', 3), rec('e1', 'emergency', 4)];
    const order: string[] = [];
    const run = scheduleRecords(1);
    await Promise.all(
      records.map((r) =>
        run(r, async () => {
          order.push(r.dynamodb!.SequenceNumber!);
          await new Promise((x) => setTimeout(x, 1));
        }),
      ),
    );
    expect(order).toEqual(['1', '4', '2', '3']);
  });

  it("property: one item's records run in order, never two at once beyond the limit, and a failure stops that item only", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ item: fc.constantFrom('a', 'b', 'c', 'd'), urgency: fc.constantFrom<'emergency' | 'urgent' | 'routine'>('emergency', 'urgent', 'routine'), fails: fc.boolean() }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 4 }),
        async (spec, limit) => {
          const records = spec.map((s, i) => rec(s.item, s.urgency, i + 1));
          const run = scheduleRecords(limit);
          let active = 0;
          let peak = 0;
          const done: { item: string; seq: number }[] = [];
          const results = await Promise.allSettled(
            records.map((r, i) =>
              run(r, async () => {
                active++;
                peak = Math.max(peak, active);
                await new Promise((x) => setTimeout(x, Math.random() * 2));
                active--;
                done.push({ item: spec[i]!.item, seq: i });
                if (spec[i]!.fails) throw new Error('boom');
              }),
            ),
          );
          expect(peak).toBeLessThanOrEqual(limit);
          for (const item of ['a', 'b', 'c', 'd']) {
            const seqs = done.filter((d) => d.item === item).map((d) => d.seq);
            expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
            // After an item's first failure, none of its later records ran.
            const firstFail = spec.findIndex((s) => s.item === item && s.fails);
            if (firstFail >= 0) expect(seqs.every((s) => s <= firstFail)).toBe(true);
          }
          results.forEach((r, i) => {
            const firstFail = spec.findIndex((s) => s.item === spec[i]!.item && s.fails);
            expect(r.status === 'rejected').toBe(firstFail >= 0 && i >= firstFail);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('slots are handed to the most urgent waiter', async () => {
    const slots = new PrioritySlots(1);
    await slots.acquire(2);
    const got: number[] = [];
    const waits = [2, 1, 0, 2].map((p) =>
      slots.acquire(p).then(() => {
        got.push(p);
        slots.release();
      }),
    );
    slots.release();
    await Promise.all(waits);
    expect(got).toEqual([0, 1, 2, 2]);
  });
});
