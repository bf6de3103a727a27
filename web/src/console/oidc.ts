// Staff sign-in with the organisation's identity provider: the OAuth 2.0 authorization-code flow
// with PKCE (S256), against the issuer named in /console-config.json (the Cognito pool's hosted UI
// in the global regions, any OIDC issuer in China, the development issuer under `npm start`).
// Tokens stay in this page's memory only; the one-time PKCE verifier and state live in
// sessionStorage for the round trip to the issuer and are removed as soon as it returns. When the
// token expires, she signs in again by the same flow.

export interface OidcConfig {
  discovery: string;
  clientId: string;
  scope?: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING_KEY = 'referrals-console-oidc';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The console's own address, where the issuer sends her back (registered with the issuer as the callback). */
const redirectUri = () => `${location.origin}${location.pathname}`;

/** The sign-in configuration, or null where none is deployed (then only a pasted token signs in). */
export async function loadOidcConfig(): Promise<OidcConfig | null> {
  try {
    const res = await fetch('/console-config.json', { credentials: 'omit', cache: 'no-store' });
    if (!res.ok) return null;
    const body = (await res.json()) as { oidc?: OidcConfig };
    return body.oidc?.discovery && body.oidc.clientId ? body.oidc : null;
  } catch {
    return null;
  }
}

async function discover(config: OidcConfig): Promise<Discovery> {
  const res = await fetch(config.discovery, { credentials: 'omit' });
  if (!res.ok) throw new Error('身份认证服务暂时无法访问，请稍后重试。');
  return (await res.json()) as Discovery;
}

/** Leaves for the issuer's sign-in page. */
export async function beginSignIn(config: OidcConfig): Promise<void> {
  const { authorization_endpoint } = await discover(config);
  const verifier = randomString(48);
  const state = randomString(24);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope ?? 'openid',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the issuer: exchanges the code for tokens (the verifier proves it is the same page that
 * left), removes every trace of the round trip from the address bar and storage, and returns the
 * ID token. Null when this page load is not a return from the issuer.
 */
export async function completeSignIn(config: OidcConfig): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const returned = params.get('state');
  const error = params.get('error');
  if (!code && !error) return null;
  const pending = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (error) throw new Error('登录没有完成，请重新登录。');
  const { verifier, state } = (pending ? JSON.parse(pending) : {}) as { verifier?: string; state?: string };
  if (!verifier || !state || state !== returned) throw new Error('登录请求已失效，请重新登录。');
  const { token_endpoint } = await discover(config);
  const res = await fetch(token_endpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: verifier }).toString(),
  });
  if (!res.ok) throw new Error('登录没有完成，请重新登录。');
  const tokens = (await res.json()) as { id_token?: string; access_token?: string };
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new Error('登录没有完成，请重新登录。');
  return token;
}
