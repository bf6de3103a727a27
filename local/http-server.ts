// A small HTTP server that turns each request into an API Gateway HTTP API (payload 2.0) event,
// invokes the real Lambda handler for the route and writes its result back.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { API_ROUTES, type ApiRoute } from '../shared/http/routes.js';
import { SECURITY_HEADERS } from '../shared/http/middleware.js';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway itself refuses bodies over 10 MB; we stop reading much earlier, the handlers enforce 64 KiB. */
const READ_LIMIT = 1024 * 1024;

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  params: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`))
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
  return { route, pattern: new RegExp(`^${source}$`), params };
}

/** A Lambda context for a local invocation; `timeoutMs` is the function's timeout (API Gateway's 29 s by default). */
export function lambdaContext(functionName: string, timeoutMs = 29_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > READ_LIMIT) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(req: IncomingMessage, url: URL, matched: CompiledRoute, values: string[], body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const type = (headers['content-type'] ?? '').toLowerCase();
  const textual = type === '' || type.startsWith('text/') || type.includes('json');
  const now = Date.now();
  const routeKey = `${matched.route.method} ${matched.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: matched.params.length ? Object.fromEntries(matched.params.map((p, i) => [p, decodeURIComponent(values[i]!)])) : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'localhost',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body: body.length === 0 ? undefined : textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  res.end(result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

const jsonError = (status: number, code: string, message: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
  body: JSON.stringify({ error: { code, message } }),
});

export interface LocalApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface LocalApiOptions {
  port?: number;
  host?: string;
  routes?: readonly ApiRoute[];
  /** Loads the handler for a route; defaults to importing functions/<name>/handler.ts. */
  loadHandler?: (route: ApiRoute) => Promise<LambdaHttpHandler>;
  /** Serves non-API paths (static pages); return false to fall through to 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  onError?: (err: unknown) => void;
  /** Verifies a staff route's bearer token as API Gateway's JWT authorizer would; returns its claims. */
  verifyStaffToken?: (token: string) => Promise<Record<string, string>>;
}

export const importHandler = async (route: ApiRoute): Promise<LambdaHttpHandler> => ((await import(`../functions/${route.functionName}/handler.ts`)) as { handler: LambdaHttpHandler }).handler;

export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const compiled = (options.routes ?? API_ROUTES).map(compile);
  const load = options.loadHandler ?? importHandler;
  const handlers = new Map<string, Promise<LambdaHttpHandler>>();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let match: { c: CompiledRoute; values: string[] } | undefined;
      for (const c of compiled) {
        const m = c.route.method === req.method ? c.pattern.exec(url.pathname) : null;
        if (m) {
          match = { c, values: m.slice(1) };
          break;
        }
      }
      if (!match) {
        if (options.fallback && (await options.fallback(req, res, url))) return;
        return send(res, jsonError(404, 'not_found', '未找到该接口 (no such route)'));
      }
      const body = await readBody(req);
      if (body === 'too_large') {
        // The rest of the body is still on the socket: close it rather than reuse it.
        const tooLarge = jsonError(413, 'payload_too_large', '请求内容过大 (body too large)');
        return send(res, { ...tooLarge, headers: { ...tooLarge.headers, connection: 'close' } });
      }
      let claims: Record<string, string> | undefined;
      if (match.c.route.auth === 'staff') {
        // Like API Gateway: no valid token, no invocation.
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        claims = token && options.verifyStaffToken ? await options.verifyStaffToken(token).catch(() => undefined) : undefined;
        if (!claims)
          return send(res, { statusCode: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer', ...SECURITY_HEADERS }, body: JSON.stringify({ message: 'Unauthorized' }) });
      }
      const name = match.c.route.functionName;
      if (!handlers.has(name)) handlers.set(name, load(match.c.route));
      const handler = await handlers.get(name)!;
      const event = toEvent(req, url, match.c, match.values, body);
      if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: null } } });
      const result = await handler(event, lambdaContext(name));
      send(res, result);
    } catch (err) {
      options.onError?.(err);
      if (!res.headersSent) send(res, jsonError(500, 'internal_error', '服务暂时不可用 (internal error)'));
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
