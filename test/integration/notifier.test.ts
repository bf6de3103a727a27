// The notification path end to end: real HTTP intake → DynamoDB Local → its real stream → the local
// stream poller → the notifier handler → SNS (aws-sdk-client-mock on SNSClient, the only mock) for
// both the referrals topic and SMS. Rosters are put through the real admin endpoint.
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { streamNotifier } from '../../local/services/stream-notifier.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { postIntake, scanAll } from '../support/local-api.js';
import { CLIENT_SMS, PERSONAL, emergency12338, expectedNewReferralSms, expectedStaffPhones, putRoster, testRoster, ticket12348, until, webTraining } from '../support/notification-fixtures.js';
import { logger } from '../../shared/adapters/logger.js';

const TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:referrals';
process.env.AWS_REGION = 'ap-southeast-1';
process.env.SMS_ADAPTER = 'sns';
process.env.REFERRAL_PUBLISHER = 'sns';
process.env.TOPIC_ARN = TOPIC_ARN;
process.env.SMS_SENDER_ID = 'LBWCare';

const sns = mockClient(SNSClient);
let n = 0;
sns.on(PublishCommand).callsFake(async () => ({ MessageId: `msg-${++n}` }));

let rt: LocalRuntime;
let db: DynamoDBDocumentClient;
const output: string[] = [];
const DEPTS = ['public_security', 'justice', 'civil_affairs', 'health', 'hrss', 'womens_federation', 'agriculture', 'wccw', 'culture_tourism', 'rural_revitalization', 'disabled_federation'];

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  for (const stream of [process.stdout, process.stderr] as const) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      output.push(String(chunk));
      return write(chunk, ...rest);
    });
  }
  rt = await startLocalRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `notifier-${randomUUID().slice(0, 8)}`,
    services: [streamNotifier({ seedRoster: false, pollMs: 100 })],
  });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint }));
  const admin = await mintDevToken({ role: 'admin' });
  for (const div of ['222403', '220722', '220182'])
    for (const d of DEPTS) {
      const res = await putRoster(rt.api.url, admin, testRoster(d, div));
      expect(res.status).toBe(200);
    }
});

afterAll(async () => {
  await rt?.stop();
  vi.restoreAllMocks();
});

const publishes = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
const topicPublishes = (caseId: string) => publishes().filter((p) => p.TopicArn && JSON.parse(p.Message!).caseId === caseId);
const notificationEvents = async (caseId: string) => (await scanAll(db, rt.tableName)).filter((i) => i.entity === 'event' && i.caseId === caseId && String(i.type).startsWith('notification_'));

/** Waits until every notification of the case (one per referral, plus her acknowledgement) is recorded. */
async function settled(caseId: string, referrals: number) {
  return until(`notifications of ${caseId}`, async () => {
    const events = await notificationEvents(caseId);
    return events.length >= referrals + 1 ? events : undefined;
  });
}

describe('an emergency intake', () => {
  let body: any;
  let before: number;
  beforeAll(async () => {
    before = publishes().length;
    const res = await postIntake(rt.api.url, '12338', emergency12338());
    expect(res.status).toBe(201);
    body = res.body;
    await settled(body.caseId, body.referrals.length);
  });

  it('publishes exactly one message per referral to the referrals topic, with the exact command', () => {
    const mine = topicPublishes(body.caseId);
    expect(mine).toHaveLength(body.referrals.length);
    for (const r of body.referrals) {
      const p = mine.find((m) => JSON.parse(m.Message!).referralId === r.referralId)!;
      expect({ ...p, Message: JSON.parse(p.Message!) }).toEqual({
        TopicArn: TOPIC_ARN,
        Message: {
          type: 'referral_created',
          reference: body.reference,
          referralId: r.referralId,
          caseId: body.caseId,
          need: r.need,
          department: r.department,
          coDepartments: r.coDepartments,
          divisionCode: '222403',
          urgency: 'emergency',
          signForBy: r.signForBy,
          completeBy: null,
          casePath: `/cases/${body.caseId}`,
        },
        MessageAttributes: {
          department: { DataType: 'String', StringValue: r.department },
          divisionCode: { DataType: 'String', StringValue: '222403' },
          need: { DataType: 'String', StringValue: r.need },
          urgency: { DataType: 'String', StringValue: 'emergency' },
        },
      });
    }
  });

  it('texts every on-duty caseworker of each lead department and its supervisor, and nobody off duty', () => {
    const sms = publishes()
      .slice(before)
      .filter((p) => p.PhoneNumber);
    for (const r of body.referrals) {
      const text = expectedNewReferralSms(r, body.reference, 'emergency');
      const got = sms
        .filter((p) => p.Message === text)
        .map((p) => p.PhoneNumber)
        .sort();
      expect(got).toEqual(expectedStaffPhones(r.department, '222403', 'emergency'));
      for (const p of sms.filter((x) => x.Message === text)) {
        expect(p).toEqual({
          PhoneNumber: p.PhoneNumber,
          Message: text,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'LBWCare' },
          },
        });
      }
    }
    expect(body.referrals.map((r: any) => r.department)).toContain('public_security');
    // She said SMS is not safe: nothing to her phone.
    expect(sms.some((p) => p.PhoneNumber === `+86${PERSONAL.phone}`)).toBe(false);
  });

  it('records each delivery as an event with recipient ids and message ids, never phone numbers', async () => {
    const events = await notificationEvents(body.caseId);
    const sent = events.filter((e) => e.type === 'notification_sent');
    expect(sent).toHaveLength(body.referrals.length);
    for (const e of sent) {
      const d = e.details as any;
      expect(d.kind).toBe('new_referral');
      expect(d.final).toBe(true);
      expect(d.channels.sort()).toEqual(['sms:sns', 'sns:sns']);
      expect(d.recipientCount).toBe(4); // topic + two on duty + the supervisor
      expect(d.recipients.every((r: any) => r.status === 'sent' && /^msg-\d+$/.test(r.messageId))).toBe(true);
      expect(JSON.stringify(e)).not.toMatch(/139\d{8}/);
    }
    const skipped = events.filter((e) => e.type === 'notification_skipped');
    expect(skipped.map((e) => (e.details as any).reason)).toEqual(['sms_not_allowed']);
  });

  it("never changes the referral's version", async () => {
    const refs = (await scanAll(db, rt.tableName)).filter((i) => i.entity === 'referral' && i.caseId === body.caseId);
    expect(refs.map((r) => r.version)).toEqual(body.referrals.map(() => 1));
  });
});

describe('the neutral message to the woman', () => {
  it('goes to her phone once, when she allowed SMS, with nothing about her request', async () => {
    const res = await postIntake(rt.api.url, 'web', webTraining());
    expect(res.status).toBe(201);
    await settled(res.body.caseId, res.body.referrals.length);
    const toHer = publishes().filter((p) => p.PhoneNumber === '+8613755556666');
    expect(toHer).toEqual([
      {
        PhoneNumber: '+8613755556666',
        Message: CLIENT_SMS,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' }, 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'LBWCare' } },
      },
    ]);
    // Routine: the two on-duty hrss caseworkers of 长岭县, no supervisor.
    const r = res.body.referrals.find((x: any) => x.department === 'hrss');
    const staff = publishes()
      .filter((p) => p.Message === expectedNewReferralSms(r, res.body.reference, 'routine'))
      .map((p) => p.PhoneNumber)
      .sort();
    expect(staff).toEqual(expectedStaffPhones('hrss', '220722', 'routine'));
  });

  it('never when she asked not to be contacted, even with SMS allowed', async () => {
    const phone = '13755557777';
    const res = await postIntake(rt.api.url, 'web', webTraining({ phone, contact: { safeToSms: true, doNotContact: true } }));
    const events = await settled(res.body.caseId, res.body.referrals.length);
    expect(publishes().some((p) => p.PhoneNumber === `+86${phone}`)).toBe(false);
    expect(events.find((e) => (e.details as any).kind === 'client_ack')?.details).toMatchObject({ reason: 'do_not_contact', recipientCount: 0 });
  });

  it('never for 12348, which sends no contact choices', async () => {
    const res = await postIntake(rt.api.url, '12348', ticket12348());
    expect(res.status).toBe(201);
    const events = await settled(res.body.caseId, res.body.referrals.length);
    expect(publishes().some((p) => p.PhoneNumber === '+8613933334444')).toBe(false);
    expect(events.find((e) => (e.details as any).kind === 'client_ack')?.details).toMatchObject({ reason: 'sms_not_allowed' });
  });
});

describe('privacy', () => {
  it('no SNS message, SMS text or log line of the runs above carries a name, phone number or narrative', () => {
    const messages = publishes().map((p) => `${p.Message} ${JSON.stringify(p.MessageAttributes)}`);
    const logs = output.join('');
    expect(messages.length).toBeGreaterThan(10);
    expect(logs).toContain('notification recorded');
    const secrets = [PERSONAL.name, PERSONAL.phone, PERSONAL.narrative, '砍死', PERSONAL.township, PERSONAL.village, '测试姓名', '13755556666', '13755557777', '13933334444', '承包地', '手艺'];
    for (const s of secrets) {
      for (const m of messages) expect(m).not.toContain(s);
      expect(logs).not.toContain(s);
    }
    // Staff phones are personal data too: not in any log line.
    expect(logs).not.toMatch(/139\d{8}/);
  });
});
