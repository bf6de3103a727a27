// The local runtime's SMS sink: prints each SMS instead of sending it. It prints the recipient's
// roster id (or "client"), never the number: the console is a log too.
import type { DeliveryResult, SmsMessage, SmsSender } from '../../usecases/notify-ports.js';

export class ConsoleSmsSender implements SmsSender {
  readonly name = 'console';
  private n = 0;
  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

  async send(message: SmsMessage): Promise<DeliveryResult> {
    this.n += 1;
    this.print(`[SMS ${new Date().toISOString().slice(11, 23)}Z] → ${message.recipientId}: ${message.text}`);
    return { ok: true, messageId: `console-sms-${this.n}-${message.requestId.slice(0, 8)}` };
  }
}
