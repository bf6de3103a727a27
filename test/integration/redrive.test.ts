// The redrive replays what reached the notifier's dead-letter queue: the records are read again from
// the real stream of DynamoDB Local and handed to the real notifier. SQS (the queue) and SNS (the
// sends) are the edges without a local engine: mocked, with the exact commands asserted.
import { randomUUID } from 'node:crypto';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNotifierHandler, redriveDeadLetters } from '../../functions/notifier/handler.js';
import { mintDevToken } from '../../local/dev-jwt.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { LocalStreamReader, streamsClient } from '../../local/services/stream-reader.js';
import { notifierDependencies } from '../../shared/config/notifier.js';
import { postIntake } from '../support/local-api.js';
import { emergency12338, expectedStaffPhones, putRoster, testRoster } from '../support/notification-fixtures.js';

process.env.AWS_REGION = 'ap-southeast-1';
process.env.SMS_ADAPTER = 'sns';
process.env.REFERRAL_PUBLISHER = 'sns';
process.env.TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:referrals';
const QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/notifier-dlq';

const sns = mockClient(SNSClient);
let n = 0;
sns.on(PublishCommand).callsFake(async () => ({ MessageId: `msg-${++n}` }));
const sqsMock = mockClient(SQSClient);

let rt: LocalRuntime;
beforeAll(async () => {
  rt = await startLocalRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), tableName: `redrive-${randomUUID().slice(0, 8)}` });
  const admin = await mintDevToken({ role: 'admin' });
  expect((await putRoster(rt.api.url, admin, testRoster('public_security', '222403'))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

describe('npm run notifications:redrive', () => {
  it('replays a batch the stream mapping gave up on: the notifications go out and the message is deleted; an expired one is named and kept', async () => {
    const streams = streamsClient(rt.dynamoEndpoint);
    // Everything written so far stays unprocessed: as if the mapping had given up on it.
    await new LocalStreamReader(streams, rt.streamArn!).drain();
    const intake = await postIntake(rt.api.url, '12338', emergency12338());
    const records = await new LocalStreamReader(streams, rt.streamArn!).drain();
    const referral = records.find((r) => r.dynamodb?.NewImage?.entity?.S === 'referral' && r.dynamodb?.NewImage?.caseId?.S === intake.body.caseId)!;
    const seq = referral.dynamodb!.SequenceNumber!;
    const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: rt.streamArn }))).StreamDescription!.Shards!.at(-1)!.ShardId!;
    const onFailure = {
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: { shardId, startSequenceNumber: seq, endSequenceNumber: seq, streamArn: rt.streamArn, batchSize: 1 },
    };
    const expired = { DDBStreamBatchInfo: { shardId, startSequenceNumber: '99999999999999999999990', endSequenceNumber: '99999999999999999999999', streamArn: rt.streamArn, batchSize: 1 } };
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { ReceiptHandle: 'rh-1', Body: JSON.stringify(onFailure) },
          { ReceiptHandle: 'rh-2', Body: JSON.stringify(expired) },
          { ReceiptHandle: 'rh-3', Body: 'not json' },
        ],
      })
      .resolves({ Messages: [] });
    sqsMock.on(DeleteMessageCommand).resolves({});

    const report = await redriveDeadLetters(createNotifierHandler(notifierDependencies), QUEUE, streams, new SQSClient({}));
    expect(report).toMatchObject({ messages: 3, replayed: 1, deleted: 1, kept: 0, unreadable: 1 });
    expect(report.expired).toEqual([{ messageId: 'rh-2', items: [] }]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 });
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE, ReceiptHandle: 'rh-1' }]);
    const sms = sns
      .commandCalls(PublishCommand)
      .map((c) => c.args[0].input as PublishCommandInput)
      .filter((p) => p.PhoneNumber && p.Message!.includes(intake.body.reference));
    expect(sms.map((p) => p.PhoneNumber).sort()).toEqual(expectedStaffPhones('public_security', '222403', 'emergency'));

    // Replaying the same message again sends nothing more (the notifications are done).
    sqsMock.reset();
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ ReceiptHandle: 'rh-4', Body: JSON.stringify(onFailure) }] })
      .resolves({ Messages: [] });
    sqsMock.on(DeleteMessageCommand).resolves({});
    const before = sns.commandCalls(PublishCommand).length;
    expect(await redriveDeadLetters(createNotifierHandler(notifierDependencies), QUEUE, streams, new SQSClient({}))).toMatchObject({ deleted: 1 });
    expect(sns.commandCalls(PublishCommand).length).toBe(before);
  });
});
