// Adapters of the redrive: the notifier's dead-letter queue (SQS) and the table's stream, read again
// at the positions a dead letter names.
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DeadLetterQueue, DlqMessage, StreamRange, StreamReplay } from '../usecases/redrive.js';
import { toLambdaRecord } from './dynamo/stream-records.js';

export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async receive(max: number): Promise<DlqMessage[]> {
    // Hidden for 5 minutes while it is replayed: a message kept (failed again) comes back later.
    const out = await this.client.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: Math.min(10, max), WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
    return (out.Messages ?? []).filter((m) => m.ReceiptHandle && m.Body).map((m) => ({ id: m.ReceiptHandle!, body: m.Body! }));
  }

  async delete(id: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: id }));
  }
}

const big = (s: string) => BigInt(s);

export class DynamoStreamReplay implements StreamReplay {
  constructor(private readonly client: DynamoDBStreamsClient) {}

  /** The shard whose sequence range holds the number. */
  private async shardOf(streamArn: string, sequenceNumber: string): Promise<string | undefined> {
    let start: string | undefined;
    do {
      const out = await this.client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        const from = shard.SequenceNumberRange?.StartingSequenceNumber;
        const to = shard.SequenceNumberRange?.EndingSequenceNumber;
        if (from && big(sequenceNumber) >= big(from) && (!to || big(sequenceNumber) <= big(to))) return shard.ShardId;
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return undefined;
  }

  async read(range: StreamRange): Promise<DynamoDBRecord[]> {
    try {
      const shardId = range.shardId ?? (await this.shardOf(range.streamArn, range.startSequenceNumber));
      if (!shardId) return [];
      let iterator = (
        await this.client.send(new GetShardIteratorCommand({ StreamArn: range.streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: range.startSequenceNumber }))
      ).ShardIterator;
      const out: DynamoDBRecord[] = [];
      const end = big(range.endSequenceNumber);
      for (let empty = 0; iterator && empty < 3;) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        if (records.length === 0) empty++;
        for (const r of records) {
          if (big(r.dynamodb?.SequenceNumber ?? '0') > end) return out;
          out.push(toLambdaRecord(r, range.streamArn));
        }
        iterator = page.NextShardIterator;
      }
      return out;
    } catch (err) {
      // Trimmed (older than 24 hours), a shard that is gone, or a position the stream does not know:
      // nothing to replay now (the message is kept and reported, never deleted).
      if (['TrimmedDataAccessException', 'ResourceNotFoundException', 'ExpiredIteratorException', 'ValidationException', 'InternalFailure'].includes((err as Error).name)) return [];
      throw err;
    }
  }
}
