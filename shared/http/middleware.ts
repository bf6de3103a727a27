// The middy stack every HTTP handler uses: normalised headers, size and media-type guards,
// optional request signature, JSON and schema validation, and one mapping of errors to responses.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, safeError } from '../adapters/logger.js';
import { badRequest, HttpError, invalidJson, isDependencyUnavailable, payloadTooLarge, RETRY_AFTER_SECONDS, unsupportedMediaType } from './errors.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequestEvent<TBody = unknown> extends APIGatewayProxyEventV2 {
  /** The body bytes exactly as received (what a signature covers). */
  rawBody: Buffer;
  /** The body after JSON parsing and schema validation. */
  validBody: TBody;
}

export type HttpResult = APIGatewayProxyStructuredResultV2;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export function zodFields(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
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

export const validatedJsonBody = <S extends z.ZodType>(schema: S): middy.MiddlewareObj<HttpRequestEvent, HttpResult> => ({
  before: (request) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.event.rawBody.toString('utf8'));
    } catch {
      throw invalidJson();
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw badRequest(zodFields(result.error));
    request.event.validBody = result.data;
  },
});

export type JsonHandler<TBody> = (event: HttpRequestEvent<TBody>, context: Context) => Promise<HttpResult>;

/** A handler that takes a JSON body: guards, optional extra checks (e.g. signatures), then the schema. */
export function jsonEndpoint<S extends z.ZodType>(
  schema: S,
  handler: JsonHandler<z.infer<S>>,
  extra: middy.MiddlewareObj<HttpRequestEvent, HttpResult>[] = [],
) {
  return middy<HttpRequestEvent<z.infer<S>>, HttpResult>()
    .use(errorResponder() as middy.MiddlewareObj<HttpRequestEvent<z.infer<S>>, HttpResult>)
    .use(httpHeaderNormalizer())
    .use(rawBodyGuard() as middy.MiddlewareObj<HttpRequestEvent<z.infer<S>>, HttpResult>)
    .use(extra as middy.MiddlewareObj<HttpRequestEvent<z.infer<S>>, HttpResult>[])
    .use(validatedJsonBody(schema) as middy.MiddlewareObj<HttpRequestEvent<z.infer<S>>, HttpResult>)
    .handler(handler);
}

/** A handler without a body (GET). */
export function endpoint(handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>) {
  return middy<APIGatewayProxyEventV2, HttpResult>().use(errorResponder()).use(httpHeaderNormalizer()).handler(handler);
}
