// Middy middleware: authenticates a hotline system by its HMAC signature before the body is parsed.
import type middy from '@middy/core';
import type { HotlineKeyStore } from '../adapters/hotline-keys.js';
import type { Channel } from '../domain/model.js';
import { unauthorized } from './errors.js';
import type { HttpRequestEvent, HttpResult } from './middleware.js';
import { verifySignature } from './signature.js';

export const hotlineSignature = (channel: Channel, keys: () => HotlineKeyStore, nowSeconds: () => number = () => Math.floor(Date.now() / 1000)): middy.MiddlewareObj<HttpRequestEvent, HttpResult> => ({
  before: async (request) => {
    const headers = request.event.headers ?? {};
    const keyId = headers['x-key-id'];
    if (!keyId) throw unauthorized('missing X-Key-Id');
    const key = await keys().find(keyId);
    // Same answer for an unknown key and a key of another channel: don't help a prober.
    if (!key || !key.channels.includes(channel)) throw unauthorized('unknown key');
    const check = verifySignature(headers['x-signature'], key.secret, request.event.rawBody, nowSeconds());
    if (!check.ok) {
      throw unauthorized(check.reason === 'stale' ? 'timestamp outside ±300 s' : check.reason === 'malformed' ? 'missing or malformed X-Signature' : 'signature mismatch');
    }
  },
});
