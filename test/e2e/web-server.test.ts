// The local web server over plain HTTP: what it serves, with which headers, and the local-only
// development sign-in (which a deployed API never has).
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDevToken } from '../../local/dev-jwt.js';
import { startLocalApi, type LocalApi } from '../../local/http-server.js';
import { createWebFallback } from '../../local/web-server.js';
import { buildWeb } from '../../web/build.js';
import { contentSecurityPolicy } from '../../web/security-headers.js';
import { API_ROUTES } from '../../shared/http/routes.js';

let withDev: LocalApi;
let withoutDev: LocalApi;
let assets: string[];

beforeAll(async () => {
  const dev = await createWebFallback({ devSignIn: true });
  assets = [...dev.web.assets.keys()];
  // No handler is ever invoked here: only the fallback answers.
  const noHandlers = {
    loadHandler: async () => {
      throw new Error('no handler in this test');
    },
  };
  withDev = await startLocalApi({ ...noHandlers, fallback: dev });
  withoutDev = await startLocalApi({ ...noHandlers, fallback: await createWebFallback({ devSignIn: false }) });
});
afterAll(async () => {
  await withDev?.close();
  await withoutDev?.close();
});

const postToken = (base: string, body: unknown, contentType = 'application/json') =>
  fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('static pages', () => {
  it('serves the form, the console, the exit page, the division list and hashed assets, with security and cache headers', async () => {
    for (const path of ['/', '/console', '/exit.html']) {
      const res = await fetch(`${withDev.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      // No inline script or style anywhere: the CSP would block them.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle="/);
    }
    const script = assets.find((a) => /^\/assets\/intake-\w+\.js$/.test(a))!;
    const res = await fetch(`${withDev.url}${script}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const divisions = (await (await fetch(`${withDev.url}/divisions.json`)).json()) as any;
    expect(divisions.province).toEqual({ code: '220000', name: '吉林省' });
    expect(divisions.prefectures).toHaveLength(9);
    expect(divisions.prefectures.find((p: { code: string }) => p.code === '220700').counties.map((c: { name: string }) => c.name)).toContain('长岭县');
  });

  it('compresses for clients that accept gzip', async () => {
    const { request } = await import('node:http');
    const body = await new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      request(`${withDev.url}/`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(body.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(body.bytes).toString('utf8')).toContain('求助登记');
  });

  it('answers 404 for unknown paths and leaves the API routes to the handlers', async () => {
    expect((await fetch(`${withDev.url}/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${withDev.url}/../local/dev-jwt-key.json`)).status).toBe(404);
    expect((await fetch(`${withDev.url}/assets/`)).status).toBe(404);
    expect(API_ROUTES.some((r) => assets.includes(r.path))).toBe(false);
  });
});

describe('the development sign-in (local only)', () => {
  it('mints a verifiable token for the chosen role, department and division', async () => {
    expect(await (await fetch(`${withDev.url}/dev/token`)).json()).toMatchObject({ devSignIn: true });
    const res = await postToken(withDev.url, { role: 'supervisor', department: 'justice', division: '220722' });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(await verifyDevToken(token)).toMatchObject({ role: 'supervisor', department: 'justice', division: '220722', sub: 'dev-supervisor-justice-220722' });
  });

  it('rejects bad requests with field paths, non-JSON with 415, oversized with 413', async () => {
    const bad = await postToken(withDev.url, { role: 'boss', division: '22' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['division', 'role']);
    const missing = await postToken(withDev.url, { role: 'caseworker', division: '220722' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.fields[0].path).toBe('department');
    expect((await postToken(withDev.url, '{not json')).status).toBe(400);
    // A cross-site form post cannot mint a token.
    expect((await postToken(withDev.url, 'role=admin', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await postToken(withDev.url, JSON.stringify({ role: 'admin', pad: 'x'.repeat(5000) }))).status).toBe(413);
  });

  it('does not exist without devSignIn, as in any deployed setup', async () => {
    expect((await fetch(`${withoutDev.url}/dev/token`)).status).toBe(404);
    expect((await postToken(withoutDev.url, { role: 'admin' })).status).toBe(404);
    expect(API_ROUTES.some((r) => r.path.startsWith('/dev'))).toBe(false);
  });
});

describe('the static build for a deployment', () => {
  it('writes the API origin into the pages when the API has its own, and refuses anything but an origin', async () => {
    const web = await buildWeb({ apiBase: 'https://api.example.org', exitUrl: 'https://www.weather.com.cn/' });
    for (const page of ['/', '/console']) expect(web.assets.get(page)!.body.toString('utf8')).toContain('<meta name="api-base" content="https://api.example.org">');
    expect(web.assets.get('/')!.body.toString('utf8')).toContain('<a class="exit" id="quick-exit" href="https://www.weather.com.cn/"');
    expect(contentSecurityPolicy('https://api.example.org')).toContain("connect-src 'self' https://api.example.org;");
    for (const bad of ['https://api.example.org/v1', 'http://api.example.org', 'javascript:alert(1)', '"><script>']) {
      await expect(buildWeb({ apiBase: bad })).rejects.toThrow(/apiBase must be empty or an origin/);
    }
    // The local runtime's pages talk to their own origin.
    expect(web.intakeInitialLoad).toHaveLength(3);
    const local = await buildWeb();
    expect(local.assets.get('/')!.body.toString('utf8')).toContain('<meta name="api-base" content="">');
  });
});

describe('the local OIDC issuer (development only)', () => {
  const verifier = 'v'.repeat(20) + 'erifier-of-the-test-0123456789';
  const form = (o: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(o).toString(),
    redirect: 'manual' as const,
  });
  const authorizeParams = (base: string, challenge: string) => ({
    response_type: 'code',
    client_id: 'referrals-console',
    redirect_uri: `${base}/console`,
    state: 'state-of-the-test',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });

  it('serves discovery and the console configuration only with the development sign-in', async () => {
    const discovery = (await (await fetch(`${withDev.url}/dev/oidc/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ authorization_endpoint: `${withDev.url}/dev/oidc/authorize`, token_endpoint: `${withDev.url}/dev/oidc/token`, code_challenge_methods_supported: ['S256'] });
    expect(await (await fetch(`${withDev.url}/console-config.json`)).json()).toMatchObject({ oidc: { clientId: 'referrals-console' } });
    expect((await fetch(`${withoutDev.url}/dev/oidc/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${withoutDev.url}/console-config.json`)).status).toBe(404);
  });

  it('issues a code only to its own origin, and a token only for the verifier of the challenge, once', async () => {
    const { pkceChallenge } = await import('../../local/dev-oidc.js');
    const params = authorizeParams(withDev.url, pkceChallenge(verifier));
    const foreign = new URLSearchParams({ ...params, redirect_uri: 'https://evil.example/console' });
    expect((await fetch(`${withDev.url}/dev/oidc/authorize?${foreign}`)).status).toBe(400);
    expect((await fetch(`${withDev.url}/dev/oidc/authorize?${new URLSearchParams({ ...params, code_challenge_method: 'plain' })}`)).status).toBe(400);
    const granted = await fetch(`${withDev.url}/dev/oidc/authorize`, form({ ...params, role: 'caseworker', department: 'health', division: '222403' }));
    expect(granted.status).toBe(302);
    const back = new URL(granted.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${withDev.url}/console`);
    expect(back.searchParams.get('state')).toBe('state-of-the-test');
    const code = back.searchParams.get('code')!;
    const exchange = (v: string) =>
      fetch(`${withDev.url}/dev/oidc/token`, form({ grant_type: 'authorization_code', code, redirect_uri: `${withDev.url}/console`, client_id: 'referrals-console', code_verifier: v }));
    // A wrong verifier burns the code (whoever stole it cannot try again).
    const wrong = await exchange(`x${verifier}`);
    expect([wrong.status, await wrong.json()]).toEqual([400, { error: 'invalid_grant' }]);
    expect((await exchange(verifier)).status).toBe(400);
    // A fresh code with the right verifier: a token the API accepts, with the chosen identity.
    const again = new URL((await fetch(`${withDev.url}/dev/oidc/authorize`, form({ ...params, role: 'caseworker', department: 'health', division: '222403' }))).headers.get('location')!);
    const res = await fetch(
      `${withDev.url}/dev/oidc/token`,
      form({ grant_type: 'authorization_code', code: again.searchParams.get('code')!, redirect_uri: `${withDev.url}/console`, client_id: 'referrals-console', code_verifier: verifier }),
    );
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string; expires_in: number };
    expect(await verifyDevToken(tokens.id_token)).toMatchObject({ role: 'caseworker', department: 'health', division: '222403' });
    expect(tokens.expires_in).toBe(3600);
  });
});
