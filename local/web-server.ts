// Serves the web pages from the local API's origin (the `fallback` of startLocalApi): the intake
// form at /, the console at /console, their hashed assets and /divisions.json, all built in memory
// with esbuild when the server starts. With `devSignIn` it also serves the LOCAL-ONLY
// development sign-in, GET/POST /dev/token, which mints a token with the committed development
// key; the deployed API has no such route and no stack trusts that key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { DEPARTMENTS, MANUAL_TRIAGE, RECEIVING_DEPARTMENTS } from '../shared/domain/model.js';
import { ROLES } from '../shared/http/auth/principal.js';
import { buildWeb, type WebAsset, type WebBuild, type WebBuildOptions } from '../web/build.js';
import { SECURITY_HEADERS } from '../web/security-headers.js';
import { mintDevToken } from './dev-jwt.js';
import { devConsoleConfig, originOf, serveDevOidc } from './dev-oidc.js';

/** The console's sign-in configuration (the OIDC issuer and client): JSON next to the pages. */
export const CONSOLE_CONFIG_PATH = '/console-config.json';

export interface WebFallbackOptions extends WebBuildOptions {
  /** Serve POST /dev/token (development sign-in). Only ever true in the local runtime. */
  devSignIn?: boolean;
}

export type Fallback = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

const DEV_TOKEN_PATH = '/dev/token';
const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

const devTokenRequest = z
  .object({
    role: z.enum(ROLES),
    department: z.enum([...DEPARTMENTS, MANUAL_TRIAGE]).nullish(),
    division: z
      .string()
      .regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code')
      .nullish(),
  })
  .refine((r) => (r.role !== 'caseworker' && r.role !== 'supervisor') || (r.department && r.division), {
    message: 'a caseworker or supervisor needs a department and a division',
    path: ['department'],
  })
  .refine((r) => r.role !== 'coordinator' || r.division, { message: 'a coordinator needs a division', path: ['division'] });

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

/** Reads the whole body (so the answer is not cut off mid-upload); null when over the limit. */
async function readSmallBody(req: IncomingMessage, limit = 4096): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * limit) {
      req.destroy();
      return null;
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? null : Buffer.concat(chunks).toString('utf8');
}

async function devToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET') return sendJson(res, 200, { devSignIn: true, roles: ROLES, departments: RECEIVING_DEPARTMENTS });
  if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'method_not_allowed', message: '不支持的请求方法 (method not allowed)' } });
  // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
  if ((req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    return sendJson(res, 415, { error: { code: 'unsupported_media_type', message: '请以 application/json 提交 (Content-Type must be application/json)' } });
  }
  const raw = await readSmallBody(req);
  if (raw === null) return sendJson(res, 413, { error: { code: 'payload_too_large', message: '请求内容过大 (body too large)' } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, { error: { code: 'invalid_json', message: '请求内容不是有效的 JSON (body is not valid JSON)', fields: [{ path: '', message: 'not valid JSON' }] } });
  }
  const result = devTokenRequest.safeParse(parsed);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return sendJson(res, 400, { error: { code: 'invalid_request', message: '请求内容有误，请检查标出的字段 (invalid request: see fields)', fields } });
  }
  const { role, department, division } = result.data;
  const token = await mintDevToken({ role, department, division }, DEV_TOKEN_TTL_SECONDS);
  sendJson(res, 201, { token, expiresIn: DEV_TOKEN_TTL_SECONDS });
}

function serveAsset(req: IncomingMessage, res: ServerResponse, asset: WebAsset): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    'content-length': body.length,
    vary: 'Accept-Encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Builds the pages once and returns the fallback that serves them (and, locally, the dev sign-in). */
export async function createWebFallback(options: WebFallbackOptions = {}): Promise<Fallback & { web: WebBuild }> {
  const web = await buildWeb(options);
  const fallback = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === DEV_TOKEN_PATH) {
      if (!options.devSignIn) return false;
      await devToken(req, res);
      return true;
    }
    // The local OIDC issuer and the console's configuration pointing at it (deployed: the web stack's).
    if (options.devSignIn && (await serveDevOidc(req, res, url))) return true;
    if (options.devSignIn && url.pathname === CONSOLE_CONFIG_PATH && req.method === 'GET') {
      sendJson(res, 200, devConsoleConfig(originOf(req)));
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname === '/index.html' ? '/' : url.pathname === '/console/' || url.pathname === '/console.html' ? '/console' : url.pathname;
    const asset = web.assets.get(path);
    if (!asset) return false;
    serveAsset(req, res, asset);
    return true;
  };
  return Object.assign(fallback, { web });
}
