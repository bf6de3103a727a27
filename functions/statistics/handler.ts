// The statistics consumer: triggered by the table's stream (its mapping is filtered to new event
// items). Each event's tally is counted once into the monthly and open-work counters (see
// shared/usecases/statistics/record.ts); a redelivered event adds nothing. A record whose write
// failed is reported for retry (ReportBatchItemFailures); a malformed one, which no retry mends, is
// logged by its keys and skipped.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '../../shared/adapters/dynamo/client.js';
import { DynamoStatisticsRepository } from '../../shared/adapters/dynamo/statistics-repository.js';
import { logger, safeError } from '../../shared/adapters/logger.js';
import { requireEnv } from '../../shared/config/intake.js';
import { talliedEventSchema } from '../../shared/domain/statistics/tallied-event.js';
import { recordStatistics } from '../../shared/usecases/statistics/record.js';
import type { StatisticsStore } from '../../shared/usecases/statistics/ports.js';
import { unmarshallImage } from '../notifier/stream-image.js';

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

let store: StatisticsStore | undefined;
const defaultStore = () => (store ??= new DynamoStatisticsRepository(documentClient(), requireEnv('TABLE_NAME')));

export function createStatisticsHandler(statistics: () => Pick<StatisticsStore, 'applyOnce'> = defaultStore) {
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<BatchResponse> => {
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const handleRecord = async (record: DynamoDBRecord) => {
      if (record.eventName !== 'INSERT') return;
      const item = unmarshallImage(record.dynamodb?.NewImage as never);
      if (item?.entity !== 'event') return;
      const parsed = talliedEventSchema.safeParse(item);
      if (!parsed.success) {
        logger.error('malformed event skipped by the statistics', { pk: String(item.pk), sk: String(item.sk), invalidFields: parsed.error.issues.map((i) => i.path.join('.')) });
        return;
      }
      try {
        await recordStatistics(parsed.data, statistics());
      } catch (err) {
        logger.error('event not counted; reporting it for retry', { pk: String(item.pk), sk: String(item.sk), error: safeError(err) });
        throw err;
      }
    };
    return (await processPartialResponse(event, handleRecord, processor, { context, processInParallel: false, throwOnFullBatchFailure: false })) as BatchResponse;
  };
}

export const handler = createStatisticsHandler();
