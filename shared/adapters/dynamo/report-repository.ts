// DynamoDB adapter of the overview: reads whole work queues from the sparse `queue` index with
// key queries (Query on queuePk), a bounded number at a time. Only the attributes the overview
// needs are read: codes, status and deadlines, never the case's personal fields.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QueueRef } from '../../domain/lifecycle/placement.js';
import type { QueuedReferral, QueueReader } from '../../usecases/reports-overview.js';
import { queuePkOf } from './keys.js';
import { INDEXES } from './table-definition.js';

const ATTRIBUTES = ['referralId', 'caseId', 'reference', 'need', 'department', 'divisionCode', 'urgency', 'status', 'signForBy', 'completeBy', 'returnCount', 'escalationLevel'];

export class DynamoQueueReader implements QueueReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Queries in flight at once: enough to be quick, few enough not to throttle a small table. */
    private readonly concurrency = 16,
  ) {}

  async referralsInQueues(queues: readonly QueueRef[]): Promise<QueuedReferral[]> {
    const out: QueuedReferral[] = [];
    let next = 0;
    const worker = async () => {
      while (next < queues.length) {
        const queue = queues[next++]!;
        out.push(...(await this.readQueue(queuePkOf(queue))));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queues.length) }, worker));
    return out;
  }

  private async readQueue(queuePk: string): Promise<QueuedReferral[]> {
    const items: QueuedReferral[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.queue.name,
          KeyConditionExpression: '#pk = :pk',
          ProjectionExpression: ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: { '#pk': INDEXES.queue.partitionKey, ...Object.fromEntries(ATTRIBUTES.map((a, i) => [`#a${i}`, a])) },
          ExpressionAttributeValues: { ':pk': queuePk },
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...((page.Items ?? []) as QueuedReferral[]));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items;
  }
}
