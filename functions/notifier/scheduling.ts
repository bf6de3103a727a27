// How the notifier works through a batch: records of different referrals run concurrently (up to a
// limit), records of one referral (or one review) strictly in order, and whenever a slot frees up
// the most urgent waiting record takes it: emergencies and danger reviews before everything else.
import type { DynamoDBRecord } from 'aws-lambda';
import { unmarshallImage } from './stream-image.js';

/**
 * 0 emergencies and pending reviews of the hotlines (an operator heard her), 1 those of the public
 * web form (anyone can post, and a flood is bounded anyway), 2 urgent, 3 the rest.
 */
export function priorityOf(record: DynamoDBRecord): number {
  const image = unmarshallImage((record.dynamodb?.NewImage ?? record.dynamodb?.OldImage) as never) ?? {};
  const pressing = image.entity === 'review' ? image.status === 'pending' : image.entity === 'referral' && image.urgency === 'emergency';
  if (pressing) return image.channel === 'web' ? 1 : 0;
  return image.entity === 'referral' && image.urgency === 'urgent' ? 2 : 3;
}

/** The item a record is about: its changes must never overtake each other. */
export const itemKeyOf = (record: DynamoDBRecord): string => {
  const keys = record.dynamodb?.Keys as Record<string, { S?: string }> | undefined;
  return `${keys?.pk?.S ?? ''}|${keys?.sk?.S ?? ''}`;
};

/** A counting semaphore whose waiters are served lowest priority number first (then in arrival order). */
export class PrioritySlots {
  private free: number;
  private readonly waiting: { priority: number; order: number; wake: () => void }[] = [];
  private arrivals = 0;

  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }

  async acquire(priority: number): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((wake) => {
      this.waiting.push({ priority, order: this.arrivals++, wake });
      this.waiting.sort((a, b) => a.priority - b.priority || a.order - b.order);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next.wake();
    else this.free++;
  }
}

/**
 * Runs `work` for every record: concurrently across items, in order within one item, most urgent
 * first when slots are short. Once a record of an item fails, the later records of that item fail
 * without running (the stream will redeliver them after the failed one).
 */
export function scheduleRecords(slotsOrLimit: PrioritySlots | number) {
  // Slots shared by every invocation of a process: where invocations overlap (the local runtime's
  // parallel batches), the most urgent record of any of them takes the next free slot.
  const slots = typeof slotsOrLimit === 'number' ? new PrioritySlots(slotsOrLimit) : slotsOrLimit;
  const tails = new Map<string, Promise<void>>();
  const failedItems = new Set<string>();
  return (record: DynamoDBRecord, work: () => Promise<void>): Promise<void> => {
    const item = itemKeyOf(record);
    const priority = priorityOf(record);
    const run = (tails.get(item) ?? Promise.resolve()).then(async () => {
      if (failedItems.has(item)) throw new Error('an earlier change of this item failed in this batch');
      await slots.acquire(priority);
      try {
        await work();
      } catch (err) {
        failedItems.add(item);
        throw err;
      } finally {
        slots.release();
      }
    });
    tails.set(
      item,
      run.catch(() => undefined),
    );
    return run;
  };
}
