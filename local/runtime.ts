// The whole platform on one machine: DynamoDB Local, the table, and the HTTP API with the real
// handlers. `npm start` and the integration tests both start it through here.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEV_HOTLINE_KEYS, DEV_PERSON_KEY, DEFAULT_TABLE_NAME } from './dev-config.js';
import { LOCAL_AWS_CONFIG, startDynamoDbLocal, type RunningDynamoDbLocal } from './dynamodb-local.js';
import { startLocalApi, type LocalApi, type LocalApiOptions } from './http-server.js';
import { verifyDevToken } from './dev-jwt.js';
import { ensureTable } from './table.js';

/** Context handed to background services (stream poller, schedule ticks) of the local runtime. */
export interface LocalServiceContext {
  dynamoEndpoint: string;
  tableName: string;
  streamArn?: string;
  apiUrl: string;
}

/** Something that runs beside the API in the local runtime, e.g. the stream → notifier poller. */
export interface LocalService {
  name: string;
  start(ctx: LocalServiceContext): Promise<{ stop(): Promise<void> }>;
}

export interface LocalRuntime {
  api: LocalApi;
  dynamoEndpoint: string;
  tableName: string;
  streamArn?: string;
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  port?: number;
  /** Use an already running DynamoDB Local (the tests' shared one) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  api?: Omit<LocalApiOptions, 'port'>;
  /** Background services to start once the table and API are up (stopped in reverse order). */
  services?: LocalService[];
}

/**
 * Configures this process as the functions' environment (the handlers read it on first use),
 * so only one local runtime may run per process.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  let db: RunningDynamoDbLocal | undefined;
  const endpoint = options.dynamoEndpoint ?? (db = await startDynamoDbLocal()).endpoint;
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  try {
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.TABLE_NAME = tableName;
    process.env.HOTLINE_KEYS ??= JSON.stringify(DEV_HOTLINE_KEYS);
    process.env.PERSON_KEY ??= DEV_PERSON_KEY;
    // The final sends (SMS, the referrals topic) print to the console unless the caller chose otherwise (tests).
    process.env.SMS_ADAPTER ??= 'console';
    process.env.REFERRAL_PUBLISHER ??= 'console';
    const client = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint });
    const streamArn = await ensureTable(client, tableName);
    client.destroy();
    const api = await startLocalApi({ verifyStaffToken: verifyDevToken, ...options.api, port: options.port });
    const running: { stop(): Promise<void> }[] = [];
    const stop = async () => {
      for (const s of running.reverse()) await s.stop();
      await api.close();
      await db?.stop();
    };
    try {
      for (const service of options.services ?? []) {
        running.push(await service.start({ dynamoEndpoint: endpoint, tableName, streamArn, apiUrl: api.url }));
      }
    } catch (err) {
      await stop();
      throw err;
    }
    return { api, dynamoEndpoint: endpoint, tableName, streamArn, stop };
  } catch (err) {
    await db?.stop();
    throw err;
  }
}
