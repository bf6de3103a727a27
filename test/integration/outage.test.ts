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
import { emergency12338, putRoster, testRoster, until, webTraining } from '../support/notification-fixtures.js';

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
    // A 6 s function timeout: claims the outage interrupted are free again after 7 s, not 30.
    services: [streamNotifier({ seedRoster: false, pollMs: 100, invocationTimeoutMs: 6000, print: (l) => printed.push(l) })],
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

describe('the table unreachable for a while, in the middle of a burst', () => {
  it('intake answers 503 + Retry-After meanwhile; the same ids retried afterwards are recorded once; every notification goes out and none is given up', async () => {
    // A burst of intakes, the engine killed while they are arriving.
    const bodies = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? emergency12338() : i % 3 === 1 ? webTraining() : emergency12338({ summary: '来电人想咨询离婚的事。' })));
    const channelOf = (b: any): '12338' | 'web' => ('callId' in b ? '12338' : 'web');
    let sent = 0;
    const burst = Promise.all(
      bodies.map(async (b, i) => {
        await new Promise((r) => setTimeout(r, i * 40));
        sent++;
        return postIntake(rt.api.url, channelOf(b), b);
      }),
    );
    while (sent < 8) await new Promise((r) => setTimeout(r, 10));
    await engine.kill();
    const first = await burst;
    const refused = first.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of first) expect([201, 503]).toContain(r.status);
    expect(refused[0]!.body.error.code).toBe('service_unavailable');
    const raw = await fetch(`${rt.api.url}/intake/web`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(webTraining()) });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('5');
    // The notifier keeps retrying through the outage (OUTAGE_SECONDS=60 for a full minute; 8 s by
    // default to keep the test run short: the retry budget is the 6 h record age either way).
    await new Promise((r) => setTimeout(r, Number(process.env.OUTAGE_SECONDS ?? 8) * 1000));

    engine = await startDynamoDbLocal({ port: engine.port, path: dir });
    // The callers retry every intake with the same id: each is recorded exactly once.
    const retried = await Promise.all(bodies.map((b) => postIntake(rt.api.url, channelOf(b), b)));
    for (const [i, r] of retried.entries()) {
      expect([200, 201]).toContain(r.status);
      if (first[i]!.status === 201) expect(r.body.caseId).toBe(first[i]!.body.caseId);
    }
    // In-flight claims of the notifications the outage interrupted are taken over when their lease
    // (the invocation's remaining time, at most the function's timeout) runs out.
    await until('every topic message', async () => retried.every((r) => topicFor(r.body.caseId) >= r.body.referrals.length), 100_000).catch((err) => {
      throw new Error(`${(err as Error).message}; notifier said:\n${printed.join('\n')}`);
    });
    for (const r of retried) expect(topicFor(r.body.caseId)).toBe(r.body.referrals.length);
    expect(printed.filter((l) => l.includes('DEAD-LETTER'))).toEqual([]);
  });
});
