// A LOCAL-ONLY OpenID Connect issuer for `npm start` and the browser tests: the authorization-code
// flow with PKCE (S256) the console uses against the real issuer (the Cognito pool's hosted UI, or
// any OIDC issuer in China), so that the console's sign-in is exercised end to end here. Its
// "login page" asks only which development identity to be; its tokens are signed with the public
// development key, which no deployed stack trusts.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { DEPARTMENTS, MANUAL_TRIAGE, RECEIVING_DEPARTMENTS } from '../shared/domain/model.js';
import { ROLES } from '../shared/http/auth/principal.js';
import { SECURITY_HEADERS } from '../web/security-headers.js';
import { DEV_ISSUER, mintDevToken } from './dev-jwt.js';

export const DEV_OIDC_PATH = '/dev/oidc';
export const DEV_CONSOLE_CLIENT_ID = 'referrals-console';
const CODE_TTL_MS = 60_000;
const TOKEN_TTL_SECONDS = 3600;

interface PendingCode {
  challenge: string;
  redirectUri: string;
  claims: { role: (typeof ROLES)[number]; department: string | null; division: string | null };
  expiresAt: number;
}

const codes = new Map<string, PendingCode>();

const authorizeParams = z.object({
  response_type: z.literal('code'),
  client_id: z.literal(DEV_CONSOLE_CLIENT_ID),
  redirect_uri: z.string().url(),
  state: z.string().min(8).max(200),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  code_challenge_method: z.literal('S256'),
  scope: z.string().max(200).optional(),
});

const identity = z.object({
  role: z.enum(ROLES),
  department: z
    .enum([...DEPARTMENTS, MANUAL_TRIAGE])
    .or(z.literal(''))
    .optional(),
  division: z
    .string()
    .regex(/^(\d{6})?$/)
    .optional(),
});

const tokenRequest = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(10).max(200),
  redirect_uri: z.string().url(),
  client_id: z.literal(DEV_CONSOLE_CLIENT_ID),
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
});

const base64url = (b: Buffer) => b.toString('base64url');
export const pkceChallenge = (verifier: string) => base64url(createHash('sha256').update(verifier).digest());

function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
const oauthError = (res: ServerResponse, error: string) => json(res, 400, { error });
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formOf(req: IncomingMessage): Promise<Record<string, string>> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
    if (raw.length > 8192) break;
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

/** Only the page's own origin may receive a code: no open redirect, even locally. */
const sameOrigin = (redirectUri: string, origin: string) => new URL(redirectUri).origin === origin;

function loginPage(params: z.infer<typeof authorizeParams>): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(String(v))}">`)
    .join('');
  const options = (values: readonly string[]) => values.map((v) => `<option value="${v}">${v}</option>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>开发环境身份提供方</title></head><body>
<h1>开发环境身份提供方 <span lang="en">(development identity provider)</span></h1>
<p>仅在本机 <code>npm start</code> 中：选择一个开发身份登录转介工作台。部署的系统使用单位的统一身份认证。</p>
<form method="post" action="${DEV_OIDC_PATH}/authorize">${hidden}
<label>角色 <select name="role" id="oidc-role">${options(ROLES)}</select></label>
<label>部门 <select name="department" id="oidc-department"><option value="">（无）</option>${options(RECEIVING_DEPARTMENTS)}</select></label>
<label>行政区划 <input name="division" id="oidc-division" value="220722" pattern="\\d{6}"></label>
<button type="submit" id="oidc-sign-in">登录</button>
</form></body></html>`;
}

/** The origin the browser used (the local server parses paths against a placeholder host). */
export const originOf = (req: IncomingMessage) => `http://${String(req.headers.host ?? 'localhost').replace(/[^A-Za-z0-9.:[\]-]/g, '')}`;

/** Serves the issuer's endpoints under /dev/oidc; false for any other path. */
export async function serveDevOidc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(DEV_OIDC_PATH)) return false;
  const path = url.pathname.slice(DEV_OIDC_PATH.length);
  const origin = originOf(req);
  if (path === '/.well-known/openid-configuration' && req.method === 'GET') {
    json(res, 200, {
      issuer: DEV_ISSUER,
      authorization_endpoint: `${origin}${DEV_OIDC_PATH}/authorize`,
      token_endpoint: `${origin}${DEV_OIDC_PATH}/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    return true;
  }
  if (path === '/authorize' && req.method === 'GET') {
    const params = authorizeParams.safeParse(Object.fromEntries(url.searchParams));
    if (!params.success || !sameOrigin(params.data.redirect_uri, origin)) {
      send(res, 400, '无效的登录请求 (invalid authorization request)', 'text/plain; charset=utf-8');
      return true;
    }
    send(res, 200, loginPage(params.data), 'text/html; charset=utf-8');
    return true;
  }
  if (path === '/authorize' && req.method === 'POST') {
    const form = await formOf(req);
    const params = authorizeParams.safeParse(form);
    const who = identity.safeParse(form);
    if (!params.success || !who.success || !sameOrigin(params.data.redirect_uri, origin)) {
      send(res, 400, '无效的登录请求 (invalid authorization request)', 'text/plain; charset=utf-8');
      return true;
    }
    const code = base64url(randomBytes(24));
    codes.set(code, {
      challenge: params.data.code_challenge,
      redirectUri: params.data.redirect_uri,
      claims: { role: who.data.role, department: who.data.department || null, division: who.data.division || null },
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(params.data.redirect_uri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', params.data.state);
    send(res, 302, '', 'text/plain; charset=utf-8', { location: back.toString() });
    return true;
  }
  if (path === '/token' && req.method === 'POST') {
    const parsed = tokenRequest.safeParse(await formOf(req));
    if (!parsed.success) return (oauthError(res, 'invalid_request'), true);
    const pending = codes.get(parsed.data.code);
    // A code is good once, for a minute, for the redirect it was issued to, with the verifier of its challenge.
    codes.delete(parsed.data.code);
    if (!pending || pending.expiresAt < Date.now() || pending.redirectUri !== parsed.data.redirect_uri || pkceChallenge(parsed.data.code_verifier) !== pending.challenge) {
      return (oauthError(res, 'invalid_grant'), true);
    }
    const token = await mintDevToken(pending.claims, TOKEN_TTL_SECONDS);
    json(res, 200, { id_token: token, access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS });
    return true;
  }
  return false;
}

/** What the console reads at start to offer the issuer's sign-in (deployed: written by the web stack). */
export const devConsoleConfig = (origin: string) => ({
  oidc: { discovery: `${origin}${DEV_OIDC_PATH}/.well-known/openid-configuration`, clientId: DEV_CONSOLE_CLIENT_ID, scope: 'openid' },
});
