// The middy stack every HTTP handler uses: normalised headers, size and media-type guards,
// optional request signature, JSON and schema validation, and one mapping of errors to responses.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
// Schemas of either zod flavour (classic or mini) are accepted: both are zod core types.
import { safeParse, type core } from 'zod/mini';
import { logger, safeError } from '../adapters/logger.js';
import { badRequest, HttpError, type FieldProblem, invalidJson, isDependencyUnavailable, payloadTooLarge, RETRY_AFTER_SECONDS, unsupportedMediaType } from './errors.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequestEvent<TBody = unknown> extends APIGatewayProxyEventV2 {
  /** The body bytes exactly as received (what a signature covers). */
  rawBody: Buffer;
  /** The body after JSON parsing and schema validation. */
  validBody: TBody;
}

export type HttpResult = APIGatewayProxyStructuredResultV2;

/**
 * Headers every API response carries: a JSON body is never sniffed as something else, nothing is
 * cached (responses hold personal data), and over TLS the browser keeps to TLS for a year. China
 * deployments have no CloudFront in front of the API to add these, so the functions do.
 */
export const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;
export const HSTS_HEADER = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } as const;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** Served over TLS: API Gateway always (it sets x-forwarded-proto), the local runtime never. */
const overTls = (event: APIGatewayProxyEventV2 | undefined) => event?.headers?.['x-forwarded-proto']?.toLowerCase() === 'https';

/** Adds the security headers to whatever a handler answered (HSTS only over TLS). */
export function withSecurityHeaders<E extends APIGatewayProxyEventV2>(handler: (event: E, context: Context) => Promise<HttpResult>) {
  return async (event: E, context: Context): Promise<HttpResult> => {
    const result = await handler(event, context);
    return { ...result, headers: { ...(result.headers ?? {}), ...SECURITY_HEADERS, ...(overTls(event) ? HSTS_HEADER : {}) } };
  };
}

/**
 * What a 400 says of each problem: where (the schema's field path) and what kind of problem, in
 * words of our own. Never a key or a value that was sent: zod's own message for an unknown key
 * quotes the key, and a path through a record would too, so neither is used.
 */
const ISSUE_MESSAGES: Record<string, string> = {
  invalid_type: '类型不对 (wrong type)',
  unrecognized_keys: '含有不接受的字段 (unknown field)',
  invalid_value: '不是允许的取值 (not an allowed value)',
  invalid_format: '格式不对 (wrong format)',
  too_small: '太短或太小 (too short or too small)',
  too_big: '太长或太大 (too long or too large)',
  invalid_union: '不符合任何一种允许的形式 (matches no accepted form)',
  not_multiple_of: '数值不对 (wrong number)',
  invalid_key: '字段名不对 (invalid key)',
  invalid_element: '元素不对 (invalid element)',
};

/** Every object key a schema declares, at any depth: the only names a path may show. */
const declaredKeys = new WeakMap<core.$ZodType, ReadonlySet<string>>();
function keysOf(schema: core.$ZodType): ReadonlySet<string> {
  let keys = declaredKeys.get(schema);
  if (keys) return keys;
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: unknown): void => {
    if (!s || typeof s !== 'object' || seen.has(s)) return;
    seen.add(s);
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.shape && typeof def.shape === 'object') {
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        found.add(k);
        walk(v);
      }
    }
    for (const field of ['innerType', 'element', 'in', 'out', 'valueType', 'catchall', 'left', 'right']) walk(def[field]);
    if (Array.isArray(def.options)) def.options.forEach(walk);
  };
  walk(schema);
  keys = found;
  declaredKeys.set(schema, keys);
  return keys;
}

/**
 * The problems of a body that failed its schema. A path segment is an index or a key the schema
 * declares; anything else (a record key the client chose) shows as `*`.
 */
export function zodFields(error: { issues: readonly core.$ZodIssue[] }, schema?: core.$ZodType): FieldProblem[] {
  const known = schema ? keysOf(schema) : undefined;
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? String(p) : known?.has(String(p)) ? String(p) : '*')).join('.'),
    code: i.code,
    // Our own messages (the schemas' texts, always in Chinese first) are kept; zod's English defaults are replaced.
    message: i.code !== 'unrecognized_keys' && /[\u4e00-\u9fff]/.test(i.message) ? i.message : (ISSUE_MESSAGES[i.code] ?? '无效 (invalid)'),
  }));
}

/** Must come first in the stack so that its onError runs last and catches everything. */
export const errorResponder = (): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => ({
  onError: (request) => {
    const err = request.error;
    const requestId = request.event?.requestContext?.requestId;
    if (err instanceof HttpError) {
      logger.info('request rejected', { statusCode: err.statusCode, code: err.code, fieldPaths: err.fields?.map((f) => f.path), requestId });
      request.response = json(err.statusCode, { error: { code: err.code, message: err.message, fields: err.fields }, requestId });
      return;
    }
    if (isDependencyUnavailable(err)) {
      logger.warn('dependency unavailable: the client is told to retry', { error: safeError(err), requestId });
      request.response = json(
        503,
        { error: { code: 'service_unavailable', message: `服务暂时不可用，请稍后用同一编号重试 (temporarily unavailable: retry with the same id after ${RETRY_AFTER_SECONDS} s)` }, requestId },
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    logger.error('unhandled error', { error: safeError(err), requestId });
    request.response = json(500, { error: { code: 'internal_error', message: '服务暂时不可用，请稍后重试 (internal error, retry later)' }, requestId });
  },
});

/** 413 over the size limit, 415 for anything but JSON; keeps the exact bytes for signature checks. */
export const rawBodyGuard = (limit = MAX_BODY_BYTES): middy.MiddlewareObj<HttpRequestEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event;
    const raw = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    if (raw.length > limit) throw payloadTooLarge(limit);
    const type = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw unsupportedMediaType();
    event.rawBody = raw;
  },
});

/** The body as JSON, checked against the schema: 400 with field paths (never what was sent) otherwise. */
export function parseJsonBody<S extends core.$ZodType>(raw: Buffer, schema: S): core.output<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidJson();
  }
  const result = safeParse(schema, parsed);
  if (!result.success) throw badRequest(zodFields(result.error, schema));
  return result.data;
}

export const validatedJsonBody = <S extends core.$ZodType>(schema: S): middy.MiddlewareObj<HttpRequestEvent, HttpResult> => ({
  before: (request) => {
    request.event.validBody = parseJsonBody(request.event.rawBody, schema);
  },
});

export type JsonHandler<TBody> = (event: HttpRequestEvent<TBody>, context: Context) => Promise<HttpResult>;

/** A handler that takes a JSON body: guards, optional extra checks (e.g. signatures), then the schema. */
export function jsonEndpoint<S extends core.$ZodType>(schema: S, handler: JsonHandler<core.output<S>>, extra: middy.MiddlewareObj<HttpRequestEvent, HttpResult>[] = []) {
  return withSecurityHeaders(
    middy<HttpRequestEvent<core.output<S>>, HttpResult>()
      .use(errorResponder() as middy.MiddlewareObj<HttpRequestEvent<core.output<S>>, HttpResult>)
      .use(httpHeaderNormalizer())
      .use(rawBodyGuard() as middy.MiddlewareObj<HttpRequestEvent<core.output<S>>, HttpResult>)
      .use(extra as middy.MiddlewareObj<HttpRequestEvent<core.output<S>>, HttpResult>[])
      .use(validatedJsonBody(schema) as middy.MiddlewareObj<HttpRequestEvent<core.output<S>>, HttpResult>)
      .handler(handler),
  );
}

/**
 * A handler that takes a JSON body but reads it only once the caller is authorised
 * (`parseJsonBody(event.rawBody, schema)` after the access check): an unauthorised caller's
 * malformed body is refused and recorded as a refusal, not answered with a 400.
 */
export function authorisedJsonEndpoint(handler: (event: HttpRequestEvent<never>, context: Context) => Promise<HttpResult>) {
  return withSecurityHeaders(
    middy<HttpRequestEvent<never>, HttpResult>()
      .use(errorResponder() as middy.MiddlewareObj<HttpRequestEvent<never>, HttpResult>)
      .use(httpHeaderNormalizer())
      .use(rawBodyGuard() as middy.MiddlewareObj<HttpRequestEvent<never>, HttpResult>)
      .handler(handler),
  );
}

/** A handler without a body (GET). */
export function endpoint(handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>) {
  return withSecurityHeaders(middy<APIGatewayProxyEventV2, HttpResult>().use(errorResponder()).use(httpHeaderNormalizer()).handler(handler));
}
