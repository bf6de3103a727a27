// SMS through an HTTPS gateway: the government SMS platforms and domestic providers used in the
// AWS China regions, where SNS cannot send SMS. One JSON POST per message:
//
//   POST <url>   content-type: application/json
//   X-Key-Id:    <key id>
//   X-Timestamp: <unix seconds>
//   X-Signature: <hex HMAC-SHA256(secret, "<timestamp>.<body>")>
//   {"to": "+8613912345678", "text": "【签名】…", "signName": "签名", "requestId": "<32 hex>"}
//
// `text` is the whole message as the phone shows it, signature included (what the 70-character
// limit counts); `signName` is that signature without brackets (taken from the text), for
// platforms that need the registered signature's name. `requestId` is stable per notification and recipient: a gateway that
// de-duplicates on it never delivers a retried message twice.
// Answers: 2xx → sent (messageId from the JSON body's messageId/id, else the requestId);
// 5xx, 408, 429, a timeout or a network error → retryable; any other 4xx → permanent (a bad
// number or a rejected template: retrying cannot help). Response bodies are never logged or kept:
// a provider may echo the number.
import { createHmac } from 'node:crypto';
import type { DeliveryResult, SmsMessage, SmsSender } from '../../usecases/notify-ports.js';

export interface HttpsGatewayOptions {
  url: string;
  keyId: string;
  /** The shared secret, or a function that fetches it (Secrets Manager), called per send and cached by the caller. */
  secret: string | (() => Promise<string>);
  timeoutMs?: number;
  now?: () => number;
}

export function gatewaySignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Plain http is refused except to this machine (the tests' server). */
export function assertGatewayUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('SMS gateway URL is not a valid URL');
  }
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) throw new Error('SMS gateway URL must use https');
}

export class HttpsGatewaySmsSender implements SmsSender {
  readonly name = 'https-gateway';
  constructor(private readonly options: HttpsGatewayOptions) {
    assertGatewayUrl(options.url);
  }

  async send(message: SmsMessage): Promise<DeliveryResult> {
    const o = this.options;
    const signName = /^【([^】]+)】/.exec(message.text)?.[1] ?? '';
    const body = JSON.stringify({ to: message.to, text: message.text, signName, requestId: message.requestId });
    const timestamp = String(Math.floor((o.now ?? Date.now)() / 1000));
    let secret: string;
    try {
      secret = typeof o.secret === 'string' ? o.secret : await o.secret();
    } catch (err) {
      return { ok: false, retryable: true, code: `secret_unavailable:${(err as Error)?.name ?? 'error'}` };
    }
    let res: Response;
    try {
      res = await fetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-key-id': o.keyId,
          'x-timestamp': timestamp,
          'x-signature': gatewaySignature(secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
      });
    } catch (err) {
      const name = (err as Error)?.name;
      return { ok: false, retryable: true, code: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network_error' };
    }
    let payload: unknown;
    try {
      payload = await res.json();
    } catch {
      payload = undefined;
    }
    if (res.ok) {
      const p = (payload ?? {}) as { messageId?: unknown; id?: unknown };
      const id = typeof p.messageId === 'string' ? p.messageId : typeof p.id === 'string' ? p.id : message.requestId;
      return { ok: true, messageId: id.slice(0, 128) };
    }
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, retryable, code: `http_${res.status}` };
  }
}
