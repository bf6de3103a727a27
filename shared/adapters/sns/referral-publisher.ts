// Publishes each referral to the `referrals` SNS topic: the JSON body and the String attributes
// department, divisionCode, need and urgency that the department queues' filter policies match.
// A console sink prints the same for `npm start`.
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import type { ReferralMessage } from '../../domain/notifications/referral-message.js';
import type { DeliveryResult, ReferralPublisher } from '../../usecases/notify-ports.js';
import { deliveryFailureOf } from './errors.js';

export function referralPublishInput(topicArn: string, message: ReferralMessage): PublishCommandInput {
  const a = message.attributes;
  return {
    TopicArn: topicArn,
    Message: JSON.stringify(message.body),
    MessageAttributes: {
      department: { DataType: 'String', StringValue: a.department },
      divisionCode: { DataType: 'String', StringValue: a.divisionCode },
      need: { DataType: 'String', StringValue: a.need },
      urgency: { DataType: 'String', StringValue: a.urgency },
    },
  };
}

export class SnsReferralPublisher implements ReferralPublisher {
  readonly name = 'sns';
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: ReferralMessage): Promise<DeliveryResult> {
    try {
      const out = await this.client.send(new PublishCommand(referralPublishInput(this.topicArn, message)));
      return { ok: true, messageId: out.MessageId ?? '' };
    } catch (err) {
      return deliveryFailureOf(err);
    }
  }
}

export class ConsoleReferralPublisher implements ReferralPublisher {
  readonly name = 'console';
  private n = 0;
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  async publish(message: ReferralMessage): Promise<DeliveryResult> {
    this.n += 1;
    const a = message.attributes;
    this.print(
      `[SNS referrals ${new Date().toISOString().slice(11, 23)}Z] department=${a.department} divisionCode=${a.divisionCode} need=${a.need} urgency=${a.urgency} ${JSON.stringify(message.body)}`,
    );
    return { ok: true, messageId: `console-sns-${this.n}` };
  }
}
