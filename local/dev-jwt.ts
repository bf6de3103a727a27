// Development tokens for `npm start`, `npm run token` and the tests: signed with a committed,
// public ES256 key (local/dev-jwt-key.json) that no deployed stack trusts. The deployed API
// verifies tokens of the configured OIDC issuer with API Gateway's JWT authorizer instead.
import { readFileSync } from 'node:fs';
import { importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Role } from '../shared/http/auth/principal.js';

export const DEV_ISSUER = 'https://dev-issuer.localhost/referrals';
export const DEV_AUDIENCE = 'referrals-api';

const jwk = JSON.parse(readFileSync(new URL('./dev-jwt-key.json', import.meta.url), 'utf8')) as JWK & { kid: string };
const { d: _private, ...publicJwk } = jwk;
const privateKey = importJWK(jwk, 'ES256');
const publicKey = importJWK(publicJwk, 'ES256');

export interface DevTokenClaims {
  sub?: string;
  role: Role;
  department?: string | null;
  division?: string | null;
  name?: string;
}

export async function mintDevToken(claims: DevTokenClaims, ttlSeconds = 8 * 3600): Promise<string> {
  const payload: JWTPayload = { role: claims.role };
  if (claims.department) payload.department = claims.department;
  if (claims.division) payload.division = claims.division;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .setSubject(claims.sub ?? `dev-${claims.role}-${claims.department ?? 'all'}-${claims.division ?? 'all'}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await privateKey);
}

/** Clock skew tolerated between the issuer and the API, for `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The checks API Gateway's JWT authorizer makes: signature, issuer, audience, an `exp` that must be
 * present and in the future, `nbf` and `iat` (when present) not in the future. A small skew is
 * allowed for `nbf`/`iat` only.
 */
export async function verifyDevToken(token: string, now: Date = new Date()): Promise<Record<string, string>> {
  const { payload } = await jwtVerify(token, await publicKey, {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    algorithms: ['ES256'],
    requiredClaims: ['exp'],
    currentDate: now,
    clockTolerance: CLOCK_SKEW_SECONDS,
  });
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // jose checks exp and nbf with the tolerance; exp itself is held to the exact instant, and iat too.
  if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) throw new Error('token expired');
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > nowSeconds + CLOCK_SKEW_SECONDS)) throw new Error('token issued in the future');
  // API Gateway hands claims to the function as strings.
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
}
