// The notifier's own dead letters: a record that retrying can never fix (a malformed item) is set
// aside on the notifier's dead-letter queue with its keys and stream position, so it neither blocks
// the records behind it nor is lost. The queue also receives the stream mapping's on-failure
// records; `npm run notifications:redrive` reads both.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterSink } from '../../usecases/notify-ports.js';

export class SqsDeadLetterSink implements DeadLetterSink {
  readonly name = 'sqs';
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ source: 'notifier', ...letter }) }));
  }
}

/** Local runtime: one line per dead letter, keys and field names only. */
export class ConsoleDeadLetterSink implements DeadLetterSink {
  readonly name = 'console';
  readonly letters: DeadLetter[] = [];
  constructor(private readonly print: (line: string) => void = (l) => console.log(l)) {}

  async send(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
    this.print(
      `[notifier] DEAD-LETTER ${letter.reason}: ${letter.records.map((r) => `${r.pk} ${r.sk} @${r.sequenceNumber}`).join(', ')}${letter.invalidFields ? ` (fields: ${letter.invalidFields.join(', ')})` : ''}`,
    );
  }
}
