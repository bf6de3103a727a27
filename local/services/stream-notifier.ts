// The local runtime's stream → notifier bridge: reads the real stream of the table in DynamoDB Local
// (DescribeStream, GetShardIterator, GetRecords, following new shards), turns the records into the
// DynamoDBStreamEvent Lambda delivers, and invokes the same notifier handler. Failed records are
// redelivered from the first failure, as Lambda does with ReportBatchItemFailures, and given up
// after a few retries with a "dead-letter" line (in AWS: the on-failure destination).
// It also seeds the demo duty roster (data/roster.json) and, unless told otherwise, makes the
// notifier use the console sinks, which print each SMS and SNS message.
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamo/client.js';
import { toLambdaRecord } from '../../shared/adapters/dynamo/stream-records.js';
import { DynamoRosterRepository } from '../../shared/adapters/dynamo/roster-repository.js';
import { loadDivisions, readJsonDataFile } from '../../shared/config/data-files.js';
import { rosterFileSchema } from '../../shared/domain/roster/roster.js';
import { LOCAL_AWS_CONFIG } from '../dynamodb-local.js';
import { lambdaContext } from '../http-server.js';
import type { LocalService, LocalServiceContext } from '../runtime.js';

/** The items the notifier acts on (the AWS mapping filters the stream to these). */
export const NOTIFIED_ENTITIES = ['referral', 'review'];

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export interface StreamNotifierOptions {
  /** How often each open shard is polled; ~250 ms keeps an emergency SMS well under 2 s. */
  pollMs?: number;
  /** The handler to invoke; defaults to functions/notifier/handler.ts. */
  handler?: StreamHandler;
  /** Seed the demo roster from data/roster.json (default true). */
  seedRoster?: boolean;
  /**
   * How long a failing record is retried before it is given up (dead-lettered), from when it was
   * written: the mapping's maximum record age in AWS (6 hours), so a brownout never loses one.
   */
  maxRecordAgeMs?: number;
  /** Batches of a shard worked on at once (the mapping's parallelizationFactor in AWS). */
  parallel?: number;
  /** Delay before the nth redelivery. */
  retryDelayMs?: (attempt: number) => number;
  print?: (line: string) => void;
}

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

/** Seeds data/roster.json into the table; existing rosters (an administrator's edits) are kept. */
export async function seedDemoRoster(ctx: Pick<LocalServiceContext, 'dynamoEndpoint' | 'tableName'>): Promise<number> {
  const file = rosterFileSchema.parse(readJsonDataFile('roster.json'));
  const divisions = loadDivisions();
  const unknown = file.rosters.filter((r) => !divisions.get(r.divisionCode)).map((r) => r.divisionCode);
  if (unknown.length > 0) throw new Error(`data/roster.json names unknown divisions: ${unknown.join(', ')}`);
  const db = createDocumentClient({ endpoint: ctx.dynamoEndpoint });
  const repo = new DynamoRosterRepository(db, ctx.tableName);
  let seeded = 0;
  const now = new Date();
  for (const r of file.rosters) if (await repo.seed(r, now)) seeded++;
  db.destroy();
  return seeded;
}

export function streamNotifier(options: StreamNotifierOptions = {}): LocalService {
  const pollMs = options.pollMs ?? 250;
  const maxRecordAgeMs = options.maxRecordAgeMs ?? 6 * 3600_000;
  const parallel = options.parallel ?? 10;
  const retryDelay = options.retryDelayMs ?? ((n: number) => Math.min(4000, 250 * 2 ** (n - 1)));
  const print = options.print ?? ((line: string) => console.log(line));
  return {
    name: 'stream-notifier',
    async start(ctx) {
      if (!ctx.streamArn) throw new Error('stream-notifier: the table has no stream');
      const streamArn = ctx.streamArn;
      // Locally the final sends go to the console unless the caller configured otherwise (tests).
      process.env.SMS_ADAPTER ??= 'console';
      process.env.REFERRAL_PUBLISHER ??= 'console';
      if (options.seedRoster !== false) {
        const n = await seedDemoRoster(ctx);
        print(`[notifier] demo duty roster: ${n} rosters seeded from data/roster.json`);
      }
      const handler: StreamHandler = options.handler ?? ((await import('../../functions/notifier/handler.js')).handler as StreamHandler);
      // Warm up: loads and checks the configuration and SMS templates now rather than on the first referral.
      await handler({ Records: [] }, lambdaContext('notifier'));

      let client = streamsClient(ctx.dynamoEndpoint);
      let reader = new LocalStreamReader(client, streamArn);
      let stopped = false;
      let failures = 0;

      // As the mapping's filter does in AWS: only referral and review items reach the handler.
      const wanted = (r: _Record) => NOTIFIED_ENTITIES.includes(String(r.dynamodb?.NewImage?.entity?.S ?? ''));
      const deliver = async (all: _Record[]) => {
        let batch = all.filter(wanted);
        for (let attempt = 0; batch.length > 0 && !stopped; attempt++) {
          let failed: string[];
          try {
            failed = (await handler(toStreamEvent(batch, streamArn), lambdaContext('notifier'))).batchItemFailures.map((f) => f.itemIdentifier);
          } catch (err) {
            print(`[notifier] invocation failed (${(err as Error).name}); the batch will be redelivered`);
            failed = [batch[0]!.dynamodb?.SequenceNumber ?? ''];
          }
          if (failed.length === 0) return;
          const from = Math.max(
            0,
            batch.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? '')),
          );
          batch = batch.slice(from);
          const written = batch[0]!.dynamodb?.ApproximateCreationDateTime;
          const age = written ? Date.now() - new Date(written).getTime() : 0;
          if (age > maxRecordAgeMs) {
            const seqs = batch.map((r) => r.dynamodb?.SequenceNumber);
            print(`[notifier] DEAD-LETTER: ${batch.length} record(s) given up after ${attempt} retries, ${Math.round(age / 1000)} s old (sequence ${seqs[0]} … ${seqs[seqs.length - 1]})`);
            return;
          }
          await sleep(retryDelay(attempt + 1));
        }
      };

      // As the mapping's parallelization factor does in AWS: several batches of a shard at once, each
      // item's records still in order (a batch waits for the batches before it that hold its items).
      // A new emergency then gets its own batch at once instead of waiting behind a backlog.
      const inFlight = new Set<Promise<void>>();
      const itemsInFlight = new Map<string, Promise<void>>();
      const itemOf = (r: _Record) => `${r.dynamodb?.Keys?.pk?.S}|${r.dynamodb?.Keys?.sk?.S}`;
      const dispatch = async (records: _Record[]) => {
        const batch = records.filter(wanted);
        if (batch.length === 0) return;
        while (inFlight.size >= parallel) await Promise.race(inFlight);
        const items = [...new Set(batch.map(itemOf))];
        const before = [...new Set(items.map((i) => itemsInFlight.get(i)).filter((p): p is Promise<void> => !!p))];
        const run: Promise<void> = Promise.all(before).then(() => deliver(batch));
        inFlight.add(run);
        for (const i of items) itemsInFlight.set(i, run);
        void run.finally(() => {
          inFlight.delete(run);
          for (const i of items) if (itemsInFlight.get(i) === run) itemsInFlight.delete(i);
        });
      };

      const loop = (async () => {
        while (!stopped) {
          let busy = false;
          try {
            const batches = await reader.poll();
            failures = 0;
            busy = batches.length > 0;
            for (const records of batches) await dispatch(records);
          } catch (err) {
            if (!stopped) print(`[notifier] stream read failed (${(err as Error).name}); retrying`);
            // After an engine restart the old connections and iterators may be stale: start a fresh
            // client and reader that carry on from the positions reached.
            if (++failures >= 3 && !stopped) {
              failures = 0;
              const positions = reader.positions();
              client.destroy();
              client = streamsClient(ctx.dynamoEndpoint);
              reader = new LocalStreamReader(client, streamArn, positions);
            }
          }
          // With a backlog, read on at once (Lambda does not wait between batches either).
          if (!stopped && !busy) await sleep(pollMs);
        }
        await Promise.all(inFlight);
      })();

      return {
        async stop() {
          stopped = true;
          await loop;
          client.destroy();
        },
      };
    },
  };
}
