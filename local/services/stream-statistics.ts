// The local runtime's stream → statistics bridge: reads the table's stream in DynamoDB Local, as the
// statistics function's event source mapping does in AWS (new event items only), and invokes the same
// handler. A batch whose records failed is redelivered from the first failure until it goes through.
import { setTimeout as sleep } from 'node:timers/promises';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { StatisticsStore } from '../../shared/usecases/statistics/ports.js';
import { lambdaContext } from '../http-server.js';
import type { LocalService } from '../runtime.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from './stream-reader.js';

export interface StreamStatisticsOptions {
  pollMs?: number;
  /** The counters' store (tests); by default the handler's own DynamoDB repository. */
  store?: () => Pick<StatisticsStore, 'applyOnce'>;
  print?: (line: string) => void;
}

/** As the mapping's filter does in AWS: new event items only. */
export const isNewEvent = (r: _Record) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.entity?.S === 'event';

export function streamStatistics(options: StreamStatisticsOptions = {}): LocalService {
  const pollMs = options.pollMs ?? 500;
  const print = options.print ?? ((line: string) => console.log(line));
  return {
    name: 'stream-statistics',
    async start(ctx) {
      if (!ctx.streamArn) throw new Error('stream-statistics: the table has no stream');
      const streamArn = ctx.streamArn;
      const { createStatisticsHandler } = await import('../../functions/statistics/handler.js');
      const handler = createStatisticsHandler(options.store);
      const client = streamsClient(ctx.dynamoEndpoint);
      const reader = new LocalStreamReader(client, streamArn);
      let stopped = false;
      const deliver = async (records: _Record[]) => {
        let batch = records.filter(isNewEvent);
        for (let attempt = 1; batch.length > 0 && !stopped; attempt++) {
          const failed = (await handler(toStreamEvent(batch, streamArn), lambdaContext('statistics'))).batchItemFailures.map((f) => f.itemIdentifier);
          if (failed.length === 0) return;
          batch = batch.slice(
            Math.max(
              0,
              batch.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? '')),
            ),
          );
          await sleep(Math.min(4000, 100 * 2 ** attempt));
        }
      };
      const loop = (async () => {
        while (!stopped) {
          let busy = false;
          try {
            const batches = await reader.poll();
            busy = batches.length > 0;
            for (const records of batches) await deliver(records);
          } catch (err) {
            if (!stopped) print(`[statistics] stream read failed (${(err as Error).name}); retrying`);
          }
          if (!stopped && !busy) await sleep(pollMs);
        }
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
