// The SNS adapters, with aws-sdk-client-mock on SNSClient: the exact PublishCommand each sends, and
// how SNS errors become retryable or permanent failures (by name only, never the message).
import { PublishCommand, SNSClient, InternalErrorException, InvalidParameterException, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../../shared/adapters/sms/sns-sms.js';
import { ConsoleSmsSender } from '../../../shared/adapters/sms/console-sms.js';
import { ConsoleReferralPublisher, SnsReferralPublisher } from '../../../shared/adapters/sns/referral-publisher.js';
import { referralMessage } from '../../../shared/domain/notifications/referral-message.js';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());
// The unit project shares modules between files: leave SNSClient as it was.
afterAll(() => sns.restore());

const msg = { to: '+8613900001111', text: '【留守妇女关爱】紧急转介261129-7K3QXA：人身安全，敦化，请于11-29 21:44前签收', requestId: 'r'.repeat(32), recipientId: '222403/public_security/ps-1' };

describe('SNS SMS', () => {
  it('publishes to the phone number as Transactional with the configured sender id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const result = await new SnsSmsSender(new SNSClient({ region: 'ap-southeast-1' }), { senderId: 'LBWCare' }).send(msg);
    expect(result).toEqual({ ok: true, messageId: 'm-1' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613900001111',
      Message: msg.text,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'LBWCare' },
      },
    });
  });

  it('omits the sender id when none is configured', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await new SnsSmsSender(new SNSClient({ region: 'ap-southeast-1' })).send(msg);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).toEqual({ 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } });
  });

  it('throttling and server faults are retryable; an invalid number is permanent; the message is never kept', async () => {
    const sender = new SnsSmsSender(new SNSClient({ region: 'ap-southeast-1' }));
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'slow down', $metadata: {} }));
    expect(await sender.send(msg)).toEqual({ ok: false, retryable: true, code: 'ThrottledException' });
    sns.reset();
    sns.on(PublishCommand).rejects(new InternalErrorException({ message: 'oops', $metadata: {} }));
    expect(await sender.send(msg)).toEqual({ ok: false, retryable: true, code: 'InternalErrorException' });
    sns.reset();
    sns.on(PublishCommand).rejects(new InvalidParameterException({ message: 'Invalid parameter: PhoneNumber +8613900001111', $metadata: {} }));
    const permanent = await sender.send(msg);
    expect(permanent).toEqual({ ok: false, retryable: false, code: 'InvalidParameterException' });
    expect(JSON.stringify(permanent)).not.toContain('13900001111');
  });
});

describe('the referrals topic', () => {
  const message = referralMessage(
    {
      referralId: '01KBC6Y4W1ZJ6Q1QY8X7M2N3P4-1',
      caseId: '01KBC6Y4W1ZJ6Q1QY8X7M2N3P4',
      reference: '261129-7K3QXA',
      seq: 1,
      need: 'legal_aid',
      department: 'justice',
      coDepartments: ['agriculture'],
      divisionCode: '220182',
      urgency: 'routine',
      status: 'referred',
      signForBy: '2026-11-30T15:59:59.999Z',
      completeBy: null,
      version: 1,
    },
    'referral_created',
  );

  it('publishes the JSON body with the four String attributes the queues filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 't-1' });
    const arn = 'arn:aws-cn:sns:cn-north-1:123456789012:referrals';
    expect(await new SnsReferralPublisher(new SNSClient({ region: 'cn-north-1' }), arn).publish(message)).toEqual({ ok: true, messageId: 't-1' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: arn,
      Message: JSON.stringify(message.body),
      MessageAttributes: {
        department: { DataType: 'String', StringValue: 'justice' },
        divisionCode: { DataType: 'String', StringValue: '220182' },
        need: { DataType: 'String', StringValue: 'legal_aid' },
        urgency: { DataType: 'String', StringValue: 'routine' },
      },
    });
  });

  it('the console sinks print the message and the SMS with the recipient id, not the number', async () => {
    const lines: string[] = [];
    await new ConsoleReferralPublisher((l) => lines.push(l)).publish(message);
    await new ConsoleSmsSender((l) => lines.push(l)).send(msg);
    expect(lines[0]).toMatch(/^\[SNS referrals .*department=justice divisionCode=220182 need=legal_aid urgency=routine \{"type":"referral_created"/);
    expect(lines[1]).toContain('→ 222403/public_security/ps-1: 【留守妇女关爱】紧急转介');
    expect(lines.join('\n')).not.toContain('13900001111');
  });
});
