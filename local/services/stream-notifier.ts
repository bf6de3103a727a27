// The local runtime's stream → notifier bridge: reads the real stream of the table in DynamoDB Local
// (./stream-reader.ts) and invokes the same notifier handler with the events Lambda would deliver.
// Failed records are redelivered from the first failure, as Lambda does with ReportBatchItemFailures,
// and given up after the mapping's maximum record age with a "dead-letter" line (in AWS: the
// on-failure destination). It also seeds the demo duty roster (./demo-roster.ts). Where the final
// sends go (console sinks locally) is the runtime's environment (local/runtime.ts), not this file's.
import { setTimeout as sleep } from 'node:timers/promises';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../http-server.js';
import type { LocalService } from '../runtime.js';
import { seedDemoRoster } from './demo-roster.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from './stream-reader.js';

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
  /** The function's timeout (29 s by default): a claim made by an invocation that died is free again after it. */
  invocationTimeoutMs?: number;
  print?: (line: string) => void;
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
            failed = (await handler(toStreamEvent(batch, streamArn), lambdaContext('notifier', options.invocationTimeoutMs))).batchItemFailures.map((f) => f.itemIdentifier);
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
