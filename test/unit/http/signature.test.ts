import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, signatureHeader, verifySignature } from '../../../shared/http/signature.js';

const secret = 'a-test-secret-of-some-length';
const body = Buffer.from('{"callId":"x"}');

describe('verifySignature', () => {
  it('accepts a fresh signature over the exact bytes', () => {
    expect(verifySignature(signatureHeader(secret, 1000, body), secret, body, 1000)).toEqual({ ok: true });
  });
  it('accepts when any of several v1 values matches (secret rotation)', () => {
    const header = `t=1000,v1=${'a'.repeat(64)},v1=${sign(secret, 1000, body)}`;
    expect(verifySignature(header, secret, body, 1000).ok).toBe(true);
  });
  it('rejects at 301 s either side, accepts at 300 s', () => {
    expect(verifySignature(signatureHeader(secret, 1000, body), secret, body, 1301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(signatureHeader(secret, 1000, body), secret, body, 699)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(signatureHeader(secret, 1000, body), secret, body, 1300).ok).toBe(true);
  });
  it('rejects missing and malformed headers', () => {
    for (const h of [undefined, '', 't=1000', 'v1=abc', `t=abc,v1=${'0'.repeat(64)}`, `t=1000,v1=${'z'.repeat(64)}`]) {
      expect(verifySignature(h, secret, body, 1000)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
  it('rejects any change to the body, the timestamp or the secret', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.uint8Array({ minLength: 1, maxLength: 200 }), (a, b) => {
        const bodyA = Buffer.from(a);
        const bodyB = Buffer.from(b);
        fc.pre(!bodyA.equals(bodyB));
        expect(verifySignature(signatureHeader(secret, 5000, bodyA), secret, bodyB, 5000).ok).toBe(false);
      }),
    );
    expect(verifySignature(`t=1001,v1=${sign(secret, 1000, body)}`, secret, body, 1000).ok).toBe(false);
    expect(verifySignature(signatureHeader('another-secret-value', 1000, body), secret, body, 1000).ok).toBe(false);
  });
});
