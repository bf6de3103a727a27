// A DynamoDB outage in the middle of work, on the local runtime with its own file-backed DynamoDB
// Local: intake answers 503 with Retry-After while the engine is down (nothing half-written), and
// once it is back every notification of the cases recorded before and after goes out, none given
// up. SNS is the only mock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { streamNotifier } from '../../local/services/stream-notifier.js';
import { postIntake } from '../support/local-api.js';
import { emergency12338, putRoster, testRoster, until, webTraining } from '../unit/notifications/fixtures.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });
process.env.AWS_REGION = 'ap-southeast-1';
process.env.SMS_ADAPTER = 'sns';
process.env.REFERRAL_PUBLISHER = 'sns';
process.env.TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:referrals';
const sns = mockClient(SNSClient);
let n = 0;
sns.on(PublishCommand).callsFake(async () => ({ MessageId: `msg-${++n}` }));

const dir = mkdtempSync(join(tmpdir(), 'ddb-outage-'));
let engine: RunningDynamoDbLocal;
let rt: LocalRuntime;
const printed: string[] = [];

beforeAll(async () => {
  engine = await startDynamoDbLocal({ path: dir });
  rt = await startLocalRuntime({
    dynamoEndpoint: engine.endpoint,
    tableName: `outage-${randomUUID().slice(0, 8)}`,
    services: [streamNotifier({ seedRoster: false, pollMs: 100, print: (l) => printed.push(l) })],
  });
  const admin = await mintDevToken({ role: 'admin' });
  for (const r of [testRoster('public_security', '222403'), testRoster('hrss', '220722'), testRoster('justice', '222403'), testRoster('womens_federation', '222403')]) {
    expect((await putRoster(rt.api.url, admin, r)).status).toBe(200);
  }
});
afterAll(async () => {
  await rt?.stop();
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const topicFor = (caseId: string) => sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn && JSON.parse(c.args[0].input.Message!).caseId === caseId).length;

describe('the table unreachable for a while', () => {
  it('intake answers 503 + Retry-After meanwhile; afterwards every notification goes out and none is given up', async () => {
    // Written just before the outage: their notifications may be in flight when the engine dies.
    const before = await Promise.all([postIntake(rt.api.url, '12338', emergency12338()), postIntake(rt.api.url, 'web', webTraining())]);
    for (const r of before) expect(r.status).toBe(201);

    await engine.kill();
    const down = await postIntake(rt.api.url, '12338', emergency12338());
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('service_unavailable');
    const raw = await fetch(`${rt.api.url}/intake/web`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(webTraining()) });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('5');
    // The notifier keeps retrying through the outage (OUTAGE_SECONDS=60 for the full minute;
    // 8 s by default to keep the test run short: the retry budget is the 6 h record age either way).
    await new Promise((r) => setTimeout(r, Number(process.env.OUTAGE_SECONDS ?? 8) * 1000));

    engine = await startDynamoDbLocal({ port: engine.port, path: dir });
    // An intake after the outage is recorded as usual.
    const again = await postIntake(rt.api.url, '12338', emergency12338());
    expect(again.status).toBe(201);
    // In-flight claims of the notifications the outage interrupted are taken over when their lease
    // (the invocation's remaining time, about 30 s locally) runs out.
    const cases = [...before, again];
    await until('every topic message', async () => cases.every((r) => topicFor(r.body.caseId) >= r.body.referrals.length), 100_000).catch((err) => {
      throw new Error(`${(err as Error).message}; notifier said:\n${printed.join('\n')}`);
    });
    expect(printed.filter((l) => l.includes("DEAD-LETTER"))).toEqual([]);
  });
});
