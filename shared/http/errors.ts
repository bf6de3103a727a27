// Errors a client can cause, with the status and a message an operator can read (Chinese first,
// English for the integrator). Messages never echo request content.

/** One problem of a request: the field path of the schema, a code, and a message of our own (never what was sent). */
export interface FieldProblem {
  path: string;
  code?: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (fields: FieldProblem[]) => new HttpError(400, 'invalid_request', '请求内容有误，请检查标出的字段 (invalid request: see fields)', fields);
export const invalidJson = () => new HttpError(400, 'invalid_json', '请求内容不是有效的 JSON (body is not valid JSON)', [{ path: '', message: 'not valid JSON' }]);
export const unauthorized = (why: string) => new HttpError(401, 'unauthorized', `身份验证失败 (authentication failed: ${why})`);
export const forbidden = () => new HttpError(403, 'forbidden', '无权执行此操作 (forbidden)');
export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `未找到 (${what} not found)`);
export const conflict = (why: string) => new HttpError(409, 'conflict', `与已有记录冲突 (conflict: ${why})`);
export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `请求内容过大，上限 ${limit / 1024} KiB (body over ${limit / 1024} KiB)`);
export const unsupportedMediaType = () => new HttpError(415, 'unsupported_media_type', '请以 application/json 提交 (Content-Type must be application/json)');

/** How long a client should wait before retrying when a dependency (the table) is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

const UNAVAILABLE_NAMES = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerErrorException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'LimitExceededException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/**
 * True when the failure is the platform's dependency being unreachable or overloaded (the table in a
 * brownout), not a bug: the client is told to retry (503 + Retry-After), and since every intake is
 * one atomic transaction keyed by its external id, a retry with the same id is always safe.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
    if (x.name && UNAVAILABLE_NAMES.has(x.name)) return true;
    if (x.code && UNAVAILABLE_CODES.has(x.code)) return true;
    if (x.$retryable) return true;
    if ((x.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    if (Array.isArray((e as AggregateError).errors) && (e as AggregateError).errors.some(isDependencyUnavailable)) return true;
  }
  return false;
}
