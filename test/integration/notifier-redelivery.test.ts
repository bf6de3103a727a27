// At-least-once delivery, exactly-once effect: real stream records read from DynamoDB Local are
// handed to the notifier handler directly (no poller), twice, with failures and with a crashed
// earlier attempt. SNS (topic and SMS) is the only mock.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InternalErrorException, InvalidParameterException, PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createNotifierHandler, handler } from '../../functions/notifier/handler.js';
import { ConsoleDeadLetterSink } from '../../shared/adapters/sqs/dead-letter.js';
import { notifierDependencies } from '../../shared/config/notifier.js';
import { mintDevToken } from '../../local/dev-jwt.js';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from '../../local/services/stream-reader.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamo/notification-repository.js';
import { postIntake, scanAll } from '../support/local-api.js';
import { emergency12338, phoneOf, putRoster, testRoster, webTraining, type TestRoster } from '../support/notification-fixtures.js';

process.env.AWS_REGION = 'ap-southeast-1';
process.env.SMS_ADAPTER = 'sns';
process.env.REFERRAL_PUBLISHER = 'sns';
process.env.TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:referrals';

const sns = mockClient(SNSClient);
let n = 0;
const resolveAll = () => sns.on(PublishCommand).callsFake(async () => ({ MessageId: `msg-${++n}` }));

let rt: LocalRuntime;
let db: DynamoDBDocumentClient;
let reader: LocalStreamReader;
let admin: string;
const PS = '222403';
/** Three on duty, so one can fail while the others succeed. */
const police: TestRoster = testRoster('public_security', PS, 3);
const on = (i: number) => `+86${phoneOf('public_security', PS, i)}`;
const supervisor = `+86${phoneOf('public_security', PS, 9)}`;

beforeAll(async () => {
  rt = await startLocalRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), tableName: `notifier-redelivery-${randomUUID().slice(0, 8)}` });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint }));
  reader = new LocalStreamReader(streamsClient(rt.dynamoEndpoint), rt.streamArn!);
  admin = await mintDevToken({ role: 'admin' });
  for (const r of [police, testRoster('hrss', '220722'), testRoster('justice', PS), testRoster('womens_federation', PS), testRoster('coordinator', PS), testRoster('coordinator', '220000')]) {
    expect((await putRoster(rt.api.url, admin, r)).status).toBe(200);
  }
});
afterAll(async () => {
  await rt?.stop();
});
beforeEach(() => {
  sns.reset();
  resolveAll();
});

const publishes = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
/** Everything written since the last call, as the Lambda event the stream would deliver. */
async function nextBatch(): Promise<DynamoDBStreamEvent> {
  return toStreamEvent(await reader.drain(), rt.streamArn!);
}
const seqOf = (event: DynamoDBStreamEvent, pred: (img: Record<string, any>) => boolean) =>
  event.Records.filter((r) => {
    const img = r.dynamodb?.NewImage as any;
    return img && pred({ entity: img.entity?.S, department: img.department?.S, caseId: img.caseId?.S, sk: img.sk?.S });
  }).map((r) => r.dynamodb!.SequenceNumber!);
const eventsOf = async (caseId: string) =>
  (await scanAll(db, rt.tableName)).filter((i) => i.entity === 'event' && i.caseId === caseId && String(i.type).startsWith('notification_')).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));

describe('the same stream batch delivered twice', () => {
  it('sends everything the first time and nothing the second', async () => {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    const b = await postIntake(rt.api.url, 'web', webTraining());
    const batch = await nextBatch();
    // Cases, events, idempotency and reference items are in the batch too, and ignored.
    expect(batch.Records.length).toBeGreaterThan(a.body.referrals.length + b.body.referrals.length);

    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    const first = publishes();
    expect(first.filter((p) => p.TopicArn)).toHaveLength(a.body.referrals.length + b.body.referrals.length);
    expect(first.filter((p) => p.PhoneNumber === '+8613755556666')).toHaveLength(1); // her acknowledgement
    const eventsBefore = [...(await eventsOf(a.body.caseId)), ...(await eventsOf(b.body.caseId))];

    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    expect(publishes()).toHaveLength(first.length);
    const eventsAfter = [...(await eventsOf(a.body.caseId)), ...(await eventsOf(b.body.caseId))];
    expect(eventsAfter).toEqual(eventsBefore);
  });
});

describe('one failing recipient', () => {
  it('is reported as a batch item failure while the others succeed, and only it is retried', async () => {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    const b = await postIntake(rt.api.url, 'web', webTraining({ contact: {} }));
    expect(a.body.referrals.map((r: any) => r.department)).toEqual(['public_security']);
    const batch = await nextBatch();
    sns.on(PublishCommand, { PhoneNumber: on(2) }).rejects(new InternalErrorException({ message: `failed for ${on(2)}`, $metadata: {} }));

    const result = await handler(batch);
    const policeInsert = seqOf(batch, (i) => i.entity === 'referral' && i.caseId === a.body.caseId);
    expect(result).toEqual({ batchItemFailures: policeInsert.map((s) => ({ itemIdentifier: s })) });

    // The others got it once; the failing number was tried once; the other case went through.
    const sms = publishes().filter((p) => p.PhoneNumber);
    const count = (phone: string) => sms.filter((p) => p.PhoneNumber === phone).length;
    expect([count(on(1)), count(on(2)), count(on(3)), count(supervisor)]).toEqual([1, 1, 1, 1]);
    expect(publishes().filter((p) => p.TopicArn && JSON.parse(p.Message!).caseId === b.body.caseId)).toHaveLength(1);
    const failed = (await eventsOf(a.body.caseId)).filter((e) => e.type === 'notification_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.details).toMatchObject({ kind: 'new_referral', final: false, sent: 4, failed: 1 });
    const failedRecipient = (failed[0]!.details as any).recipients.find((r: any) => r.status === 'failed');
    expect(failedRecipient).toEqual({ id: `${PS}/public_security/public_security-${PS}-on2`, role: 'caseworker', channel: 'sms', status: 'failed', error: 'InternalErrorException' });
    expect(JSON.stringify(failed)).not.toContain(on(2).slice(3));

    // Lambda redelivers from the failed record on; the number works again.
    sns.reset();
    resolveAll();
    const from = batch.Records.findIndex((r) => r.dynamodb?.SequenceNumber === policeInsert[0]);
    expect(await handler({ Records: batch.Records.slice(from) })).toEqual({ batchItemFailures: [] });
    expect(publishes()).toEqual([expect.objectContaining({ PhoneNumber: on(2) })]);
    const last = (await eventsOf(a.body.caseId)).filter((e) => (e.details as any).kind === 'new_referral').at(-1)!;
    expect(last.type).toBe('notification_sent');
    expect(last.details).toMatchObject({ final: true, sent: 5, failed: 0, attempt: 2 });
  });

  it('a permanently rejected number is recorded and not retried; the others still get it', async () => {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    const batch = await nextBatch();
    sns.on(PublishCommand, { PhoneNumber: on(3) }).rejects(new InvalidParameterException({ message: 'bad number', $metadata: {} }));
    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    const e = (await eventsOf(a.body.caseId)).find((x) => (x.details as any).kind === 'new_referral')!;
    expect(e.type).toBe('notification_sent');
    expect(e.details).toMatchObject({ final: true, sent: 4, rejected: 1 });
  });
});

describe('a crash between two sends', () => {
  const key = (caseId: string) => ({ caseId, referralId: `${caseId}-1`, kind: 'new_referral', discriminator: 'v1' });

  it('an expired claim is taken over: the one recipient in flight is sent to again, nobody already served, and the stored plan decides', async () => {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    const batch = await nextBatch();
    // A first invocation did what the notifier does (claim with the plan, then one write before
    // each send) up to handing the SMS to on2, and died before recording it.
    const store = new DynamoNotificationStore(db, rt.tableName);
    const t0 = Date.now();
    const planned = (id: string, role: 'caseworker' | 'supervisor') => ({
      channel: 'sms' as const,
      role,
      department: 'public_security',
      divisionCode: PS,
      id,
      status: 'pending' as const,
      attempts: 0,
    });
    const k1 = `${PS}/public_security/public_security-${PS}-on1`;
    const k2 = `${PS}/public_security/public_security-${PS}-on2`;
    const plan = {
      topic: { channel: 'sns' as const, role: 'topic' as const, id: 'topic', status: 'pending' as const, attempts: 0 },
      [k1]: planned(`public_security-${PS}-on1`, 'caseworker'),
      [k2]: planned(`public_security-${PS}-on2`, 'caseworker'),
      [`${PS}/public_security/public_security-${PS}-sup`]: planned(`public_security-${PS}-sup`, 'supervisor'),
    };
    expect((await store.claim(key(a.body.caseId), 'crashed', t0 - 1, t0, plan)).state).toBe('acquired');
    await store.advance(key(a.body.caseId), 'crashed', null, [k1, { ...plan[k1]!, status: 'sending', sendingAt: new Date(t0).toISOString() }]);
    await store.advance(
      key(a.body.caseId),
      'crashed',
      [k1, { ...plan[k1]!, status: 'sent', attempts: 1, messageId: 'before-crash' }],
      [k2, { ...plan[k2]!, status: 'sending', sendingAt: new Date(t0).toISOString() }],
    );

    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    const sent = publishes().filter((p) => p.PhoneNumber !== undefined || p.TopicArn !== undefined);
    // on1 was served: never again. on2 was in flight: sent again (SNS SMS cannot de-duplicate: the
    // one repeat the protocol allows). The supervisor and the topic now. on3 was not in the crashed
    // attempt's plan, so the plan (not today's roster) decides.
    expect(sent.filter((p) => p.TopicArn && JSON.parse(p.Message!).caseId === a.body.caseId)).toHaveLength(1);
    expect(
      sent
        .filter((p) => p.PhoneNumber)
        .map((p) => p.PhoneNumber)
        .sort(),
    ).toEqual([on(2), supervisor].sort());
    const e = (await eventsOf(a.body.caseId)).find((x) => (x.details as any).kind === 'new_referral')!;
    expect(e).toMatchObject({ type: 'notification_sent', details: { attempt: 2, sent: 4, final: true } });
  });

  it('a claim still leased by another delivery is not touched: the record is retried later', async () => {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    const batch = await nextBatch();
    const store = new DynamoNotificationStore(db, rt.tableName);
    const t0 = Date.now();
    await store.claim(key(a.body.caseId), 'still-running', t0 + 60_000, t0, {});
    const result = await handler(batch);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(seqOf(batch, (i) => i.entity === 'referral' && i.caseId === a.body.caseId));
    expect(publishes().filter((p) => p.TopicArn && JSON.parse(p.Message!).caseId === a.body.caseId)).toHaveLength(0);
    expect(publishes().filter((p) => p.PhoneNumber && p.Message?.includes(a.body.reference))).toHaveLength(0);
  });
});

describe('changes made by the lifecycle and escalation as stream records', () => {
  async function freshReferral() {
    const a = await postIntake(rt.api.url, '12338', emergency12338());
    await handler(await nextBatch());
    sns.reset();
    resolveAll();
    return { caseId: a.body.caseId as string, reference: a.body.reference as string, key: { pk: `CASE#${a.body.caseId}`, sk: 'REF#001' } };
  }
  const update = (key: Record<string, string>, expr: string, values: Record<string, unknown>, names?: Record<string, string>) =>
    db.send(new UpdateCommand({ TableName: rt.tableName, Key: key, UpdateExpression: expr, ExpressionAttributeValues: values, ExpressionAttributeNames: names }));
  const smsTo = () =>
    publishes()
      .filter((p) => p.PhoneNumber)
      .map((p) => p.PhoneNumber)
      .sort();

  it('escalation levels 1, 2, 3 text the on-duty caseworkers, then the supervisor, then the provincial coordinators, once each', async () => {
    const r = await freshReferral();
    await update(r.key, 'SET escalationLevel = :l, escalationKind = :k, escalatedAt = :at', { ':l': 1, ':k': 'sign_for', ':at': '2026-11-29T14:00:00.000Z' });
    const l1 = await nextBatch();
    await handler(l1);
    expect(smsTo()).toEqual([on(1), on(2), on(3)].sort());
    expect(publishes()[0]!.Message).toMatch(new RegExp(`^【留守妇女关爱】催办：转介${r.reference}（紧急，人身安全，敦化）签收已超期，期限`));
    expect(publishes().some((p) => p.TopicArn)).toBe(false);

    sns.reset();
    resolveAll();
    await update(r.key, 'SET escalationLevel = :l, escalatedAt = :at', { ':l': 2, ':at': '2026-11-29T14:30:00.000Z' });
    await handler(await nextBatch());
    expect(smsTo()).toEqual([supervisor]);
    expect(publishes()[0]!.Message).toContain('督办：转介');

    sns.reset();
    resolveAll();
    await update(r.key, 'SET escalationLevel = :l, escalatedAt = :at', { ':l': 3, ':at': '2026-11-29T15:30:00.000Z' });
    await handler(await nextBatch());
    const prov = testRoster('coordinator', '220000');
    expect(smsTo()).toEqual([prov.caseworkers[0]!.phone, prov.caseworkers[1]!.phone, prov.supervisor!.phone].map((p) => `+86${p}`).sort());
    expect(publishes()[0]!.Message).toContain('省级督办');

    // The level-1 record delivered again sends nothing.
    sns.reset();
    resolveAll();
    await handler(l1);
    expect(publishes()).toHaveLength(0);
    // And the notifier never touched the referral's version.
    const item = (await scanAll(db, rt.tableName)).find((i) => i.pk === r.key.pk && i.sk === 'REF#001')!;
    expect(item.version).toBe(1);
  });

  it("a return texts the division's coordinators; a re-route is a new referral to the new department's queue", async () => {
    const r = await freshReferral();
    await update(r.key, 'SET #s = :s, version = :v, returnCount = :c', { ':s': 'returned', ':v': 2, ':c': 1 }, { '#s': 'status' });
    await handler(await nextBatch());
    const coord = testRoster('coordinator', PS);
    expect(smsTo()).toEqual([coord.caseworkers[0]!.phone, coord.caseworkers[1]!.phone].map((p) => `+86${p}`).sort());
    expect(publishes()[0]!.Message).toBe(`【留守妇女关爱】退回：转介${r.reference}（紧急，人身安全，敦化）被退回，请重新分派`);

    sns.reset();
    resolveAll();
    await update(r.key, 'SET #s = :s, version = :v, department = :d', { ':s': 'referred', ':v': 3, ':d': 'womens_federation' }, { '#s': 'status' });
    await handler(await nextBatch());
    const topic = publishes().filter((p) => p.TopicArn);
    expect(topic).toHaveLength(1);
    expect(JSON.parse(topic[0]!.Message!)).toMatchObject({ type: 'referral_rerouted', department: 'womens_federation', caseId: r.caseId });
    expect(topic[0]!.MessageAttributes!.department).toEqual({ DataType: 'String', StringValue: 'womens_federation' });
    expect(smsTo()).toEqual([phoneOf('womens_federation', PS, 1), phoneOf('womens_federation', PS, 2), phoneOf('womens_federation', PS, 9)].map((p) => `+86${p}`).sort());
    expect(publishes().find((p) => p.PhoneNumber)!.Message).toMatch(/^【留守妇女关爱】改派紧急转介/);
  });

  it('a malformed referral item is set aside on the dead-letter queue at once (keys and field names only), so it holds nothing back', async () => {
    const caseId = '0'.repeat(26);
    await db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: `CASE#${caseId}`, sk: 'REF#001', entity: 'referral', need: 'legal_aid', note: '测试姓名庚' } }));
    const good = await postIntake(rt.api.url, '12338', emergency12338());
    const batch = await nextBatch();
    const lines: string[] = [];
    const sink = new ConsoleDeadLetterSink((l) => lines.push(l));
    const withSink = createNotifierHandler(notifierDependencies, () => sink);
    expect((await withSink(batch)).batchItemFailures).toEqual([]);
    expect(sink.letters).toEqual([
      {
        reason: 'malformed_item',
        records: [{ pk: `CASE#${caseId}`, sk: 'REF#001', eventName: 'INSERT', sequenceNumber: expect.any(String), streamArn: rt.streamArn }],
        invalidFields: expect.arrayContaining(['referralId', 'caseId', 'divisionCode']),
      },
    ]);
    expect(lines.join('\n')).not.toContain('测试姓名庚');
    // The emergency behind it went out.
    expect(publishes().filter((p) => p.TopicArn && JSON.parse(p.Message!).caseId === good.body.caseId)).toHaveLength(1);
  });
});
