// The notifier: triggered by the table's DynamoDB Stream (NEW_AND_OLD_IMAGES). For each referral
// change it sends what is owed (topic message, staff SMS, her neutral SMS) through the use case, and
// for each danger review change the coordinators' SMS; every other item (cases, events,
// notifications, rosters, idempotency keys) is ignored.
// Records are processed in order; a record that must be retried is reported in batchItemFailures
// (the event source mapping has ReportBatchItemFailures, bisect, retries and an on-failure DLQ).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ZodError } from 'zod';
import { logger, safeError } from '../../shared/adapters/logger.js';
import { notifierDependencies, notifyLeaseMs } from '../../shared/config/notifier.js';
import { isReferralImage, isReviewImage, parseReferralSnapshot, parseReviewSnapshot, type StreamEventName } from '../../shared/domain/notifications/referral-change.js';
import { notifyReferralChange, notifyReviewChange, type NotifierDependencies } from '../../shared/usecases/notify-referral.js';
import { unmarshallImage } from './stream-image.js';

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Lease on a claim: until this invocation can no longer be running, so a crash frees it for the retry. */
function leaseMsFor(context: Context | undefined): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && remaining > 0 ? remaining + 1000 : notifyLeaseMs();
}

export function createNotifierHandler(dependencies: () => NotifierDependencies) {
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<BatchResponse> => {
    const deps = dependencies();
    // Per invocation: the processor keeps the batch's state, and local callers may overlap.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    // A referral whose earlier change in this batch failed waits for it, so changes stay in order.
    const blocked = new Set<string>();
    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const oldItem = unmarshallImage(record.dynamodb?.OldImage as never);
      const newItem = unmarshallImage(record.dynamodb?.NewImage as never);
      const review = isReviewImage(newItem) || isReviewImage(oldItem);
      if (!review && !isReferralImage(newItem) && !isReferralImage(oldItem)) return;
      const pk = String((newItem ?? oldItem)?.pk);
      const sk = String((newItem ?? oldItem)?.sk);
      const ids = { pk, sk, sequenceNumber: record.dynamodb?.SequenceNumber, eventName: record.eventName };
      if (blocked.has(`${pk}|${sk}`)) {
        logger.warn('referral change waits for an earlier failed change of the same referral', ids);
        throw new Error('an earlier change of this referral failed in this batch');
      }
      try {
        const eventName = (record.eventName ?? 'MODIFY') as StreamEventName;
        const options = { leaseMs: leaseMsFor(context) };
        if (review) {
          const snapshot = (item: Record<string, unknown> | undefined) => (isReviewImage(item) ? parseReviewSnapshot(item!) : undefined);
          await notifyReviewChange({ eventName, oldImage: snapshot(oldItem), newImage: snapshot(newItem) }, deps, options);
        } else {
          const snapshot = (item: Record<string, unknown> | undefined) => (isReferralImage(item) ? parseReferralSnapshot(item!) : undefined);
          await notifyReferralChange({ eventName, oldImage: snapshot(oldItem), newImage: snapshot(newItem) }, deps, options);
        }
      } catch (err) {
        blocked.add(`${pk}|${sk}`);
        // A malformed image: name the fields only (a ZodError's stack quotes its message).
        const zod = (err as ZodError)?.name === 'ZodError' ? { error: { name: 'ZodError' }, invalidFields: (err as ZodError).issues.map((i) => i.path.join('.')) } : { error: safeError(err) };
        logger.error('referral change not fully notified; reporting it for retry', { ...ids, ...zod });
        throw err;
      }
    };
    return (await processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    })) as BatchResponse;
  };
}

export const handler = createNotifierHandler(notifierDependencies);
