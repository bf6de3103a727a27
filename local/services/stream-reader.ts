// Reads the table's stream in DynamoDB Local as Lambda's event source mapping does (DescribeStream,
// GetShardIterator, GetRecords, following new shards), and turns records into the DynamoDBStreamEvent
// Lambda delivers. Shared by the local stream consumers (notifier, statistics) and the tests.
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { toLambdaRecord } from '../../shared/adapters/dynamo/stream-records.js';
import { LOCAL_AWS_CONFIG } from '../dynamodb-local.js';

export { toLambdaRecord };

export const toStreamEvent = (records: readonly _Record[], streamArn: string): DynamoDBStreamEvent => ({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });

interface ShardState {
  iterator?: string;
  lastSequence?: string;
  closed: boolean;
}

/** Reads a stream shard by shard, following new shards as DynamoDB opens them. */
export class LocalStreamReader {
  private readonly shards = new Map<string, ShardState>();
  private lastDescribe = 0;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
    /** Where an earlier reader of the same stream stopped, per shard: a new reader carries on from there. */
    positions: ReadonlyMap<string, { lastSequence?: string; closed: boolean }> = new Map(),
  ) {
    for (const [id, p] of positions) this.shards.set(id, { lastSequence: p.lastSequence, closed: p.closed });
  }

  /** The position reached in each shard, for a reader that takes over. */
  positions(): Map<string, { lastSequence?: string; closed: boolean }> {
    return new Map([...this.shards].map(([id, s]) => [id, { lastSequence: s.lastSequence, closed: s.closed }]));
  }

  private async iterator(shardId: string, state: ShardState): Promise<string | undefined> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(state.lastSequence ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequence } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return out.ShardIterator;
  }

  /** Learns of new shards; a child shard is read only once its parent is finished, to keep order. */
  async refreshShards(force = false): Promise<void> {
    if (!force && Date.now() - this.lastDescribe < 5000 && this.shards.size > 0) return;
    this.lastDescribe = Date.now();
    let start: string | undefined;
    do {
      const out = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }));
      for (const shard of out.StreamDescription?.Shards ?? []) {
        const id = shard.ShardId!;
        if (this.shards.has(id)) continue;
        const parent = shard.ParentShardId ? this.shards.get(shard.ParentShardId) : undefined;
        if (parent && !parent.closed) continue;
        const state: ShardState = { closed: false };
        state.iterator = await this.iterator(id, state);
        this.shards.set(id, state);
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** One GetRecords per open shard; returns what arrived, per shard, in order. */
  async poll(): Promise<_Record[][]> {
    await this.refreshShards();
    const batches: _Record[][] = [];
    let failure: unknown;
    for (const [id, state] of this.shards) {
      if (state.closed) continue;
      try {
        state.iterator ??= await this.iterator(id, state);
        if (!state.iterator) {
          state.closed = true;
          continue;
        }
        // The most a GetRecords returns: the notifier then ranks the whole backlog, emergencies first.
        const out = await this.client.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
        const records = out.Records ?? [];
        if (records.length > 0) {
          state.lastSequence = records[records.length - 1]!.dynamodb?.SequenceNumber ?? state.lastSequence;
          batches.push(records);
        }
        state.iterator = out.NextShardIterator;
        if (!state.iterator) {
          state.closed = true;
          await this.refreshShards(true);
        }
      } catch (err) {
        // An expired or trimmed iterator, or an engine that restarted (its iterators are gone): start
        // again after the last record read on the next poll. A shard the engine no longer knows is
        // over: its children (found by the refresh) carry on. One shard's trouble never stops the others.
        state.iterator = undefined;
        const name = (err as Error).name;
        if (name === 'ResourceNotFoundException' || name === 'ValidationException') {
          state.closed = true;
          this.lastDescribe = 0;
        } else if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') {
          failure ??= err;
        }
      }
    }
    if (failure && batches.length === 0) throw failure;
    return batches;
  }

  /** Everything in the stream now (for tests): polls until a pass brings nothing. */
  async drain(): Promise<_Record[]> {
    await this.refreshShards(true);
    const all: _Record[] = [];
    for (;;) {
      const got = (await this.poll()).flat();
      if (got.length === 0) return all;
      all.push(...got);
    }
  }
}

export function streamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ ...LOCAL_AWS_CONFIG, endpoint });
}
