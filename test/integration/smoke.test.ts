// npm run smoke against the local runtime: the signed test intake over real HTTP, the case in
// DynamoDB Local, the department queue (no local SQS: a mock that serves the message the topic
// would deliver, built from the stored referral, and checks the exact commands), the clean-up; and
// the notifier, fed the real stream, publishes the test referral and texts nobody.
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSmoke } from '../../cli/smoke.js';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL } from '../../local/dev-config.js';
import { lambdaContext } from '../../local/http-server.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from '../../local/services/stream-reader.js';
import { parseReferralSnapshot } from '../../shared/domain/notifications/referral-change.js';
import { referralMessage } from '../../shared/domain/notifications/referral-message.js';
import { scanAll, startTestRuntime } from '../support/local-api.js';
import { documentClientFor } from '../support/referrals-fixtures.js';

process.env.SMS_ADAPTER = 'console';
process.env.REFERRAL_PUBLISHER = 'console';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const logs: string[] = [];
beforeAll(async () => {
  for (const method of ['log', 'info'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
      original(...args);
    });
  }
  rt = await startTestRuntime('smoke');
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

describe('npm run smoke', () => {
  it('sends a signed test intake, finds the case and the justice queue message, removes both, and nobody is texted', async () => {
    const db = documentClientFor(rt.dynamoEndpoint);
    const reader = new LocalStreamReader(streamsClient(rt.dynamoEndpoint), rt.streamArn!);
    await reader.drain();
    const sqs = mockClient(SQSClient);
    const QUEUE = 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/justice';
    // What the topic would deliver to the justice queue: the message the notifier publishes for the stored referral.
    sqs.on(ReceiveMessageCommand).callsFake(async () => {
      const referral = (await scanAll(rt.db, rt.tableName)).find((i) => i.entity === 'referral' && i.test === true && i.department === 'justice');
      return { Messages: referral ? [{ Body: JSON.stringify(referralMessage(parseReferralSnapshot(referral), 'referral_created').body), ReceiptHandle: 'rh-smoke' }] : [] };
    });
    sqs.on(DeleteMessageCommand).resolves({});
    const keyId = DEV_KEY_FOR_CHANNEL['12338'];

    // Before the clean-up runs, the notifier gets the intake's real stream records.
    const steps = await runSmoke(
      { api: rt.api.url, table: rt.tableName, queueUrl: QUEUE, keyId, secret: DEV_HOTLINE_KEYS[keyId]!.secret, queueWaitSeconds: 5, settleSeconds: 0 },
      db,
      new SQSClient({ region: 'ap-northeast-1' }),
    );
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ['intake', true],
      ['case stored', true],
      ['published to the justice queue', true],
      ['cleaned up', true],
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ QueueUrl: QUEUE, MaxNumberOfMessages: 10 });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE, ReceiptHandle: 'rh-smoke' }]);
    // Nothing of it is left in the table.
    const left = (await scanAll(rt.db, rt.tableName)).filter((i) => String(i.externalId ?? '').startsWith('smoke-') || i.test === true || String(i.pk).startsWith('EXT#12338#smoke-'));
    expect(left).toEqual([]);

    // The notifier on the intake's stream records: the referral published, no SMS to anyone.
    // DynamoDB Local's stream can lag under load: read until the test referral's INSERT is there.
    const records: Awaited<ReturnType<typeof reader.drain>> = [];
    for (let i = 0; i < 40 && !records.some((r) => r.dynamodb?.NewImage?.entity?.S === 'referral'); i++) {
      records.push(...(await reader.drain()).filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.test?.BOOL === true));
      if (!records.some((r) => r.dynamodb?.NewImage?.entity?.S === 'referral')) await new Promise((r) => setTimeout(r, 250));
    }
    const sawCase = records.some((r) => r.dynamodb?.NewImage?.entity?.S === 'referral');
    expect(sawCase).toBe(true);
    const { handler: notifier } = await import('../../functions/notifier/handler.js');
    const printed = logs.length;
    await notifier(toStreamEvent(records, rt.streamArn!), lambdaContext('notifier'));
    const out = logs.slice(printed);
    expect(out.some((l) => l.includes('[SNS referrals'))).toBe(true);
    expect(out.filter((l) => l.includes('[SMS'))).toEqual([]);
    sqs.restore();
  });
});
