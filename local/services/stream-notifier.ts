// The local runtime's stream → notifier bridge: the notifier's event source mapping
// (./event-source-mapping.ts: referral and review items, redelivery from the first failure, given up
// after the maximum record age) invoking the same notifier handler. It also seeds the demo duty
// roster (./demo-roster.ts). Where the final
// sends go (console sinks locally) is the runtime's environment (local/runtime.ts), not this file's.
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from '../http-server.js';
import type { LocalService } from '../runtime.js';
import { seedDemoRoster } from './demo-roster.js';
import { startEventSourceMapping } from './event-source-mapping.js';

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

      return startEventSourceMapping({
        name: 'notifier',
        dynamoEndpoint: ctx.dynamoEndpoint,
        streamArn,
        // As the mapping's filter does in AWS: only referral and review items reach the handler.
        filter: (r: _Record) => NOTIFIED_ENTITIES.includes(String(r.dynamodb?.NewImage?.entity?.S ?? '')),
        invoke: async (event) => (await handler(event, lambdaContext('notifier', options.invocationTimeoutMs))).batchItemFailures.map((f) => f.itemIdentifier),
        pollMs,
        parallel,
        maxRecordAgeMs,
        retryDelayMs: retryDelay,
        print,
      });
    },
  };
}
