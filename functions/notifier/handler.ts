// The notifier: triggered by the table's DynamoDB Stream (NEW_AND_OLD_IMAGES). For each referral
// change it sends what is owed (topic message, staff SMS, her neutral SMS) through the use case, and
// for each danger review change the coordinators' SMS; every other item (cases, events,
// notifications, rosters, idempotency keys) is ignored.
//
// A batch is worked through concurrently across referrals and in order within one referral, the
// emergencies and danger reviews first (scheduling.ts); rosters are read once per batch. A record
// that must be retried is reported in batchItemFailures (the mapping has ReportBatchItemFailures,
// bisect, retries for as long as a record may wait, and an on-failure DLQ). A malformed item, which
// no retry can fix, is set aside on the dead-letter queue at once instead of holding back the
// records behind it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { $ZodError } from 'zod/v4/core';
import { logger, safeError } from '../../shared/adapters/logger.js';
import { deadLetterSink, notifierDependencies, notifyConcurrency, notifyLeaseMs } from '../../shared/config/notifier.js';
import { isReferralImage, isReviewImage, parseReferralSnapshot, parseReviewSnapshot, type StreamEventName } from '../../shared/domain/notifications/referral-change.js';
import type { DeadLetterSink, RosterReader } from '../../shared/usecases/notify-ports.js';
import { rosterScopeKey } from '../../shared/usecases/notify-ports.js';
import { notifyReferralChange, notifyReviewChange, type NotifierDependencies } from '../../shared/usecases/notify-referral.js';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoStreamReplay, SqsDeadLetterQueue } from '../../shared/adapters/redrive.js';
import { redrive, type RedriveReport } from '../../shared/usecases/redrive.js';
import { PrioritySlots, scheduleRecords } from './scheduling.js';
import { unmarshallImage } from './stream-image.js';

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Lease on a claim: until this invocation can no longer be running, so a crash frees it for the retry. */
function leaseMsFor(context: Context | undefined): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && remaining > 0 ? remaining + 1000 : notifyLeaseMs();
}

/** Rosters read once per batch: many referrals of one county and department share them. */
export function batchRosterCache(rosters: RosterReader): RosterReader {
  const cache = new Map<string, Promise<Awaited<ReturnType<RosterReader['getRosters']>>>>();
  return {
    async getRosters(scopes) {
      const missing = scopes.filter((s) => !cache.has(rosterScopeKey(s)));
      if (missing.length > 0) {
        const read = rosters.getRosters(missing);
        // A failed read is not cached: the next notification reads again.
        read.catch(() => missing.forEach((s) => cache.delete(rosterScopeKey(s))));
        for (const s of missing) cache.set(rosterScopeKey(s), read);
      }
      const out = new Map();
      for (const s of scopes) {
        const found = (await cache.get(rosterScopeKey(s))!).get(rosterScopeKey(s));
        if (found) out.set(rosterScopeKey(s), found);
      }
      return out;
    },
  };
}

/** A schema refused the item (either zod flavour: both throw a core error). */
const isZodError = (err: unknown): err is $ZodError => err instanceof $ZodError;

export function createNotifierHandler(dependencies: () => NotifierDependencies, deadLetters: () => DeadLetterSink = deadLetterSink, concurrency: () => number = notifyConcurrency) {
  let slots: PrioritySlots | undefined;
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<BatchResponse> => {
    const base = dependencies();
    const deps: NotifierDependencies = { ...base, rosters: batchRosterCache(base.rosters) };
    // Per invocation: the processor keeps the batch's state, and local callers may overlap.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    slots ??= new PrioritySlots(concurrency());
    const schedule = scheduleRecords(slots);
    const options = { leaseMs: leaseMsFor(context) };

    const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
      const oldItem = unmarshallImage(record.dynamodb?.OldImage as never);
      const newItem = unmarshallImage(record.dynamodb?.NewImage as never);
      const review = isReviewImage(newItem) || isReviewImage(oldItem);
      if (!review && !isReferralImage(newItem) && !isReferralImage(oldItem)) return;
      const pk = String((newItem ?? oldItem)?.pk);
      const sk = String((newItem ?? oldItem)?.sk);
      const ids = { pk, sk, sequenceNumber: record.dynamodb?.SequenceNumber, eventName: record.eventName };
      const eventName = (record.eventName ?? 'MODIFY') as StreamEventName;
      try {
        if (review) {
          const snapshot = (item: Record<string, unknown> | undefined) => (isReviewImage(item) ? parseReviewSnapshot(item!) : undefined);
          await notifyReviewChange({ eventName, oldImage: snapshot(oldItem), newImage: snapshot(newItem) }, deps, options);
        } else {
          const snapshot = (item: Record<string, unknown> | undefined) => (isReferralImage(item) ? parseReferralSnapshot(item!) : undefined);
          await notifyReferralChange({ eventName, oldImage: snapshot(oldItem), newImage: snapshot(newItem) }, deps, options);
        }
      } catch (err) {
        if (isZodError(err)) {
          // No retry mends a malformed item: set it aside (keys and field names only) and go on.
          const invalidFields = err.issues.map((i) => i.path.join('.'));
          logger.error('malformed item set aside on the dead-letter queue', { ...ids, invalidFields });
          await deadLetters().send({
            reason: 'malformed_item',
            records: [{ pk, sk, eventName, sequenceNumber: record.dynamodb?.SequenceNumber ?? '', streamArn: record.eventSourceARN }],
            invalidFields,
          });
          return;
        }
        logger.error('change not fully notified; reporting it for retry', { ...ids, error: safeError(err) });
        throw err;
      }
    };

    return (await processPartialResponse(event, (record: DynamoDBRecord) => schedule(record, () => handleRecord(record)), processor, {
      context,
      processInParallel: true,
      throwOnFullBatchFailure: false,
    })) as BatchResponse;
  };
}

/** Replays the dead-letter queue through this handler (the admin command and the function's redrive mode share it). */
export async function redriveDeadLetters(notify: ReturnType<typeof createNotifierHandler>, queueUrl: string, streams: DynamoDBStreamsClient, sqs: SQSClient): Promise<RedriveReport> {
  return redrive(new SqsDeadLetterQueue(sqs, queueUrl), new DynamoStreamReplay(streams), async (records) => ({ failed: (await notify({ Records: records })).batchItemFailures.length }));
}

const notify = createNotifierHandler(notifierDependencies);

/**
 * The stream's records, or a manual invocation `{"redrive": true}` (aws lambda invoke) that replays
 * what reached the dead-letter queue: the same as `npm run notifications:redrive`.
 */
type NotifierHandler = {
  (event: DynamoDBStreamEvent, context?: Context): Promise<BatchResponse>;
  (event: { redrive: true }, context?: Context): Promise<RedriveReport>;
};

export const handler: NotifierHandler = (async (event: DynamoDBStreamEvent | { redrive: true }, context?: Context): Promise<BatchResponse | RedriveReport> => {
  if ('redrive' in event && event.redrive === true) {
    const url = process.env.NOTIFIER_DLQ_URL?.trim();
    if (!url) throw new Error('configuration: NOTIFIER_DLQ_URL is not set');
    const report = await redriveDeadLetters(notify, url, new DynamoDBStreamsClient({}), new SQSClient({}));
    logger.info('dead-letter queue replayed', { ...report, expired: report.expired.length });
    return report;
  }
  return notify(event as DynamoDBStreamEvent, context);
}) as NotifierHandler;
