// What every API response carries and what a 400 may say.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { endpoint, json, jsonEndpoint, zodFields } from '../../../shared/http/middleware.js';

const event = (over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /x',
    rawPath: '/x',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'r1', http: { method: 'POST', path: '/x' } },
    isBase64Encoded: false,
    ...over,
  }) as unknown as APIGatewayProxyEventV2;
const ctx = {} as Context;

describe('security headers', () => {
  const ok = endpoint(async () => json(200, { ok: true }));
  const failing = endpoint(async () => {
    throw new Error('boom');
  });
  const strict = jsonEndpoint(z.strictObject({ a: z.string() }), async () => json(200, {}));

  it.each([
    ['a success', () => ok(event(), ctx)],
    ['a 500', () => failing(event(), ctx)],
    ['a 400', () => strict(event({ body: '{"b":1}' }) as never, ctx)],
    ['a 415', () => strict(event({ body: '{}', headers: { 'content-type': 'text/plain' } }) as never, ctx)],
  ])('%s carries nosniff and no-store; HSTS only over TLS', async (_what, call) => {
    const res = await call();
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    expect(res.headers!['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS behind API Gateway (x-forwarded-proto https), on errors too', async () => {
    for (const res of [await ok(event({ headers: { 'x-forwarded-proto': 'https' } }), ctx), await failing(event({ headers: { 'x-forwarded-proto': 'https' } }), ctx)]) {
      expect(res.headers!['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    }
  });
});

describe('field problems never echo what was sent', () => {
  const schema = z.strictObject({
    name: z.string().min(1, '不能为空 (required)'),
    kind: z.enum(['a', 'b']),
    list: z.array(z.strictObject({ n: z.number() })).optional(),
    bag: z.record(z.string(), z.number()).optional(),
  });
  const MARK = 'ZZMARK';

  it('names the path and the code, not an unknown key nor a record key nor a value', () => {
    const r = schema.safeParse({ name: '', kind: `${MARK}v`, [`${MARK}key`]: 1, list: [{ n: `${MARK}x`, [`${MARK}k2`]: 2 }], bag: { [`${MARK}rk`]: `${MARK}rv` } });
    expect(r.success).toBe(false);
    const fields = zodFields(r.error!, schema);
    expect(JSON.stringify(fields)).not.toContain(MARK);
    expect(fields).toEqual(
      expect.arrayContaining([
        { path: 'name', code: 'too_small', message: '不能为空 (required)' },
        { path: 'kind', code: 'invalid_value', message: expect.any(String) },
        { path: '', code: 'unrecognized_keys', message: expect.stringContaining('unknown field') },
        { path: 'list.0', code: 'unrecognized_keys', message: expect.any(String) },
        { path: 'list.0.n', code: 'invalid_type', message: expect.any(String) },
        { path: 'bag.*', code: 'invalid_type', message: expect.any(String) },
      ]),
    );
  });
});
