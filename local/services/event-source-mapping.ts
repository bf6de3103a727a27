// What a Lambda event source mapping on the table stream does in AWS, for the local runtime: reads
// the real stream of the table in DynamoDB Local (./stream-reader.ts), keeps the records the
// mapping's filter keeps, and invokes the handler with them. Failed records are redelivered from
// the first failure (ReportBatchItemFailures), with a growing delay, until they go through or are
// older than the maximum record age (then a "DEAD-LETTER" line: in AWS, the on-failure destination).
// Several batches of a shard may be in flight at once (the parallelization factor), each item's
// records still in order. The notifier and the statistics consumer are two configurations of it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { LocalStreamReader, streamsClient, toStreamEvent } from './stream-reader.js';

export interface EventSourceMappingOptions {
  /** Names the consumer in its log lines. */
  name: string;
  dynamoEndpoint: string;
  streamArn: string;
  /** The mapping's filter: the records the handler receives. */
  filter: (r: _Record) => boolean;
  /** One invocation; resolves to the sequence numbers of the records that failed. */
  invoke: (event: DynamoDBStreamEvent) => Promise<string[]>;
  pollMs: number;
  /** Batches of a shard worked on at once (parallelizationFactor). */
  parallel: number;
  /** A failing record is given up this long after it was written (Infinity: never). */
  maxRecordAgeMs: number;
  /** Delay before the nth redelivery. */
  retryDelayMs: (attempt: number) => number;
  print: (line: string) => void;
}

export interface RunningMapping {
  stop(): Promise<void>;
}

export function startEventSourceMapping(o: EventSourceMappingOptions): RunningMapping {
  let client = streamsClient(o.dynamoEndpoint);
  let reader = new LocalStreamReader(client, o.streamArn);
  let stopped = false;
  let failures = 0;

  const deliver = async (records: _Record[]) => {
    let batch = records;
    for (let attempt = 0; batch.length > 0 && !stopped; attempt++) {
      let failed: string[];
      try {
        failed = await o.invoke(toStreamEvent(batch, o.streamArn));
      } catch (err) {
        o.print(`[${o.name}] invocation failed (${(err as Error).name}); the batch will be redelivered`);
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
      if (age > o.maxRecordAgeMs) {
        const seqs = batch.map((r) => r.dynamodb?.SequenceNumber);
        o.print(`[${o.name}] DEAD-LETTER: ${batch.length} record(s) given up after ${attempt} retries, ${Math.round(age / 1000)} s old (sequence ${seqs[0]} … ${seqs[seqs.length - 1]})`);
        return;
      }
      await sleep(o.retryDelayMs(attempt + 1));
    }
  };

  // Several batches of a shard at once, each item's records still in order (a batch waits for the
  // batches before it that hold its items): a new emergency gets its own batch at once instead of
  // waiting behind a backlog.
  const inFlight = new Set<Promise<void>>();
  const itemsInFlight = new Map<string, Promise<void>>();
  const itemOf = (r: _Record) => `${r.dynamodb?.Keys?.pk?.S}|${r.dynamodb?.Keys?.sk?.S}`;
  const dispatch = async (records: _Record[]) => {
    const batch = records.filter(o.filter);
    if (batch.length === 0) return;
    while (inFlight.size >= o.parallel) await Promise.race(inFlight);
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
        if (!stopped) o.print(`[${o.name}] stream read failed (${(err as Error).name}); retrying`);
        // After an engine restart the old connections and iterators may be stale: start a fresh
        // client and reader that carry on from the positions reached.
        if (++failures >= 3 && !stopped) {
          failures = 0;
          const positions = reader.positions();
          client.destroy();
          client = streamsClient(o.dynamoEndpoint);
          reader = new LocalStreamReader(client, o.streamArn, positions);
        }
      }
      // With a backlog, read on at once (Lambda does not wait between batches either).
      if (!stopped && !busy) await sleep(o.pollMs);
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
}
