// Starts the local runtime against the test run's shared DynamoDB Local, on its own table.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL } from '../../local/dev-config.js';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime, type LocalService } from '../../local/runtime.js';
import { signatureHeader } from '../../shared/http/signature.js';

export async function startTestRuntime(prefix: string, services: LocalService[] = []): Promise<LocalRuntime & { db: DynamoDBDocumentClient }> {
  const runtime = await startLocalRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), tableName: `${prefix}-${randomUUID().slice(0, 8)}`, services });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: runtime.dynamoEndpoint }));
  return { ...runtime, db };
}

export { scanAll } from '../../local/table.js';

export interface PostOptions {
  keyId?: string;
  secret?: string;
  timestamp?: number;
  signature?: string | null;
  contentType?: string;
  rawBody?: string | Buffer;
}

export async function postIntake(baseUrl: string, channel: '12338' | '12348' | 'web', body: unknown, o: PostOptions = {}) {
  const raw = o.rawBody ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
  if (channel !== 'web') {
    const keyId = o.keyId ?? DEV_KEY_FOR_CHANNEL[channel];
    headers['x-key-id'] = keyId;
    const secret = o.secret ?? DEV_HOTLINE_KEYS[keyId]?.secret ?? 'unknown-secret-unknown';
    if (o.signature !== null) headers['x-signature'] = o.signature ?? signatureHeader(secret, o.timestamp ?? Math.floor(Date.now() / 1000), raw);
  }
  return readResponse(await fetch(`${baseUrl}/intake/${channel}`, { method: 'POST', headers, body: raw }));
}

/** Status and body of a response: parsed JSON, or the text when it is not JSON. */
export async function readResponse(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text), headers: res.headers };
  } catch {
    return { status: res.status, body: text, headers: res.headers };
  }
}

export async function getJson(url: string, token?: string) {
  return readResponse(await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
}
