// SMS through Amazon SNS Publish to a phone number (global regions only: the AWS China regions
// have no SNS SMS; use the HTTPS gateway there). Transactional type, so messages are routed for
// delivery rather than cost, and the sender id from configuration where the country supports one.
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { DeliveryResult, SmsMessage, SmsSender } from '../../usecases/notify-ports.js';
import { deliveryFailureOf } from '../sns/errors.js';

export interface SnsSmsOptions {
  /** AWS.SNS.SMS.SenderID: up to 11 letters and digits; omitted when not configured. */
  senderId?: string;
}

export function snsSmsInput(message: SmsMessage, options: SnsSmsOptions): PublishCommandInput {
  return {
    PhoneNumber: message.to,
    Message: message.text,
    MessageAttributes: {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      ...(options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } } : {}),
    },
  };
}

export class SnsSmsSender implements SmsSender {
  readonly name = 'sns';
  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  async send(message: SmsMessage): Promise<DeliveryResult> {
    try {
      const out = await this.client.send(new PublishCommand(snsSmsInput(message, this.options)));
      return { ok: true, messageId: out.MessageId ?? '' };
    } catch (err) {
      return deliveryFailureOf(err);
    }
  }
}
