// The HTTPS SMS gateway adapter against a real HTTP server on localhost: the signature the server
// verifies, the JSON body, a 5xx (retryable), a 4xx (permanent), 429 and a timeout.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpsGatewaySmsSender, assertGatewayUrl } from '../../shared/adapters/sms/https-gateway.js';
import { smsSenderFromEnv } from '../../shared/config/notifier.js';

const SECRET = 'test-gateway-secret-of-enough-length';
const KEY_ID = 'lbw-notifier';

interface Seen {
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  signatureValid: boolean;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let behaviour: (req: Seen, res: ServerResponse) => void;

/** What a gateway does: recompute HMAC-SHA256(secret, "<timestamp>.<body>") and compare in constant time. */
function verify(headers: IncomingMessage['headers'], raw: string): boolean {
  const ts = String(headers['x-timestamp'] ?? '');
  const sig = String(headers['x-signature'] ?? '');
  const expected = createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
  return fresh && sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected)) && headers['x-key-id'] === KEY_ID;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const s: Seen = { headers: req.headers, raw, body: JSON.parse(raw), signatureValid: verify(req.headers, raw) };
    seen.push(s);
    behaviour(s, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen = [];
  behaviour = (s, res) => {
    res.writeHead(s.signatureValid ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(s.signatureValid ? { messageId: `gw-${s.body.requestId.slice(0, 6)}` } : { error: 'bad signature' }));
  };
});

const message = { to: '+8613900001111', text: '【留守妇女关爱】紧急转介261129-7K3QXA：人身安全，敦化，请于11-29 21:44前签收', requestId: 'a1b2c3d4'.repeat(4), recipientId: 'x' };
const sender = (over: Partial<ConstructorParameters<typeof HttpsGatewaySmsSender>[0]> = {}) =>
  new HttpsGatewaySmsSender({ url: `${base}/sms/send`, keyId: KEY_ID, secret: SECRET, timeoutMs: 1000, ...over });

describe('HTTPS SMS gateway', () => {
  it('POSTs the JSON message signed with HMAC-SHA256 over "<timestamp>.<body>", which the server verifies', async () => {
    const result = await sender().send(message);
    expect(result).toEqual({ ok: true, messageId: 'gw-a1b2c3' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signatureValid).toBe(true);
    expect(seen[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen[0]!.body).toEqual({ to: '+8613900001111', text: message.text, signName: '留守妇女关爱', requestId: message.requestId });
  });

  it('a wrong secret fails the server check, and the 401 is a permanent failure', async () => {
    expect(await sender({ secret: 'another-secret-entirely-000000' }).send(message)).toEqual({ ok: false, retryable: false, code: 'http_401' });
    expect(seen[0]!.signatureValid).toBe(false);
  });

  it('the secret can come from a function (Secrets Manager), called when sending', async () => {
    let calls = 0;
    const result = await sender({ secret: async () => (calls++, SECRET) }).send(message);
    expect(result.ok).toBe(true);
    expect(calls).toBe(1);
  });

  it('a 5xx is a retryable failure', async () => {
    behaviour = (_s, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'maintenance', to: message.to }));
    };
    const result = await sender().send(message);
    expect(result).toEqual({ ok: false, retryable: true, code: 'http_503' });
    // The provider echoed the number; the result does not carry it on.
    expect(JSON.stringify(result)).not.toContain('13900001111');
  });

  it('429 (rate limited) is retryable; 400 (bad number or template) is permanent', async () => {
    behaviour = (_s, res) => {
      res.writeHead(429);
      res.end();
    };
    expect(await sender().send(message)).toEqual({ ok: false, retryable: true, code: 'http_429' });
    behaviour = (_s, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid mobile"}');
    };
    expect(await sender().send(message)).toEqual({ ok: false, retryable: false, code: 'http_400' });
  });

  it('a server that does not answer in time is a retryable timeout, within the configured limit', async () => {
    behaviour = () => undefined; // never answers
    const started = Date.now();
    const result = await sender({ timeoutMs: 300 }).send(message);
    expect(result).toEqual({ ok: false, retryable: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a refused connection is a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await sender({ url: `http://127.0.0.1:${port}/sms` }).send(message)).toEqual({ ok: false, retryable: true, code: 'network_error' });
  });

  it('refuses plain http except to this machine, and is chosen by SMS_ADAPTER=https-gateway', () => {
    expect(() => assertGatewayUrl('http://sms.example.gov.cn/send')).toThrow(/https/);
    expect(() => assertGatewayUrl('https://sms.example.gov.cn/send')).not.toThrow();
    expect(smsSenderFromEnv({ SMS_ADAPTER: 'https-gateway', SMS_GATEWAY_URL: `${base}/sms`, SMS_GATEWAY_KEY_ID: KEY_ID, SMS_GATEWAY_SECRET: SECRET }).name).toBe('https-gateway');
    expect(() => smsSenderFromEnv({ SMS_ADAPTER: 'https-gateway', SMS_GATEWAY_KEY_ID: KEY_ID, SMS_GATEWAY_SECRET: SECRET })).toThrow(/SMS_GATEWAY_URL/);
    expect(() => smsSenderFromEnv({})).toThrow(/SMS_ADAPTER/);
    expect(() => smsSenderFromEnv({ SMS_ADAPTER: 'carrier-pigeon' })).toThrow(/SMS_ADAPTER must be one of/);
  });
});
