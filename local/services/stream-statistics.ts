// The local runtime's stream → statistics bridge: the statistics function's event source mapping
// (./event-source-mapping.ts: new event items only, redelivered from the first failure until they go
// through) invoking the same handler.
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { StatisticsStore } from '../../shared/usecases/statistics/ports.js';
import { lambdaContext } from '../http-server.js';
import type { LocalService } from '../runtime.js';
import { startEventSourceMapping } from './event-source-mapping.js';

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
      return startEventSourceMapping({
        name: 'statistics',
        dynamoEndpoint: ctx.dynamoEndpoint,
        streamArn,
        filter: isNewEvent,
        invoke: async (event) => (await handler(event, lambdaContext('statistics'))).batchItemFailures.map((f) => f.itemIdentifier),
        pollMs,
        // The AWS mapping: parallelizationFactor 2, records kept until the stream lets them go.
        parallel: 2,
        maxRecordAgeMs: Infinity,
        retryDelayMs: (n) => Math.min(4000, 100 * 2 ** n),
        print,
      });
    },
  };
}
