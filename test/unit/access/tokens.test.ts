// Tokens and claims: the local verifier makes API Gateway's checks, and the
// role, department and division come only from claims the issuer controls.
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS, DEV_AUDIENCE, DEV_ISSUER, mintDevToken, verifyDevToken } from '../../../local/dev-jwt.js';
import { claimSourceFromEnv, principalFromClaims } from '../../../shared/http/auth/principal.js';

const jwk = JSON.parse(readFileSync(new URL('../../../local/dev-jwt-key.json', import.meta.url), 'utf8')) as JWK & { kid: string };

/** A token signed with the development key, with exactly the time claims given (seconds from now). */
async function signed(times: { exp?: number; iat?: number; nbf?: number }, now = Date.now()): Promise<string> {
  const s = Math.floor(now / 1000);
  const payload: JWTPayload = { role: 'caseworker', department: 'justice', division: '220102', sub: 'u1', iss: DEV_ISSUER, aud: DEV_AUDIENCE };
  if (times.exp !== undefined) payload.exp = s + times.exp;
  if (times.iat !== undefined) payload.iat = s + times.iat;
  if (times.nbf !== undefined) payload.nbf = s + times.nbf;
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).sign(await importJWK(jwk, 'ES256'));
}

describe('local token verifier (the checks API Gateway makes)', () => {
  it('accepts a fresh token', async () => {
    await expect(verifyDevToken(await mintDevToken({ role: 'caseworker', department: 'justice', division: '220102' }))).resolves.toMatchObject({ role: 'caseworker' });
    await expect(verifyDevToken(await signed({ exp: 600, iat: 0, nbf: 0 }))).resolves.toMatchObject({ sub: 'u1' });
  });

  it('refuses a token without exp', async () => {
    await expect(verifyDevToken(await signed({ iat: 0 }))).rejects.toThrow();
  });

  it('refuses an expired token, to the second', async () => {
    await expect(verifyDevToken(await signed({ exp: -1, iat: -600 }))).rejects.toThrow();
    await expect(verifyDevToken(await signed({ exp: 0, iat: -600 }))).rejects.toThrow();
  });

  it('refuses iat or nbf in the future beyond the skew, accepts them within it', async () => {
    await expect(verifyDevToken(await signed({ exp: 7 * 86400, iat: 86400 }))).rejects.toThrow(/future/);
    await expect(verifyDevToken(await signed({ exp: 7 * 86400, iat: 0, nbf: 3600 }))).rejects.toThrow();
    await expect(verifyDevToken(await signed({ exp: 600, iat: CLOCK_SKEW_SECONDS - 5, nbf: CLOCK_SKEW_SECONDS - 5 }))).resolves.toMatchObject({ sub: 'u1' });
    await expect(verifyDevToken(await signed({ exp: 600, iat: CLOCK_SKEW_SECONDS + 5 }))).rejects.toThrow(/future/);
  });
});

describe('claims the issuer controls', () => {
  const cognito = claimSourceFromEnv({ STAFF_CLAIMS: 'cognito' });

  it('with Cognito, the role comes from the groups and a role claim is ignored', () => {
    // A pre-token trigger or a misconfigured mapping could put a `role` claim in; it must not count.
    expect(principalFromClaims({ sub: 'u', role: 'admin', 'cognito:groups': '[caseworker]', 'custom:department': 'justice', 'custom:division': '220102' }, cognito)).toEqual({
      subject: 'u',
      role: 'caseworker',
      department: 'justice',
      divisionCode: '220102',
    });
    expect(principalFromClaims({ sub: 'u', role: 'admin', department: 'justice', division: '220102' }, cognito)).toBeNull();
  });

  it('with Cognito, department and division come from the admin-only attributes, not from plain claims', () => {
    const p = principalFromClaims({ sub: 'u', 'cognito:groups': ['supervisor'], department: 'health', division: '220000', 'custom:department': 'justice', 'custom:division': '220102' }, cognito);
    expect(p).toMatchObject({ department: 'justice', divisionCode: '220102' });
  });

  it('two different role groups are no role at all', () => {
    expect(principalFromClaims({ sub: 'u', 'cognito:groups': '[caseworker admin]' }, cognito)).toBeNull();
    expect(principalFromClaims({ sub: 'u', 'cognito:groups': '[caseworker caseworker other]' }, cognito)).toMatchObject({ role: 'caseworker' });
  });

  it('with an OIDC issuer, only the configured claim names count; a user-editable attribute is ignored', () => {
    const oidc = claimSourceFromEnv({ STAFF_CLAIMS: 'role=platform_role,department=org_unit,division=region_code' });
    const claims = {
      sub: 'u',
      // What a person could set in a self-service profile at the issuer, under the default names:
      role: 'admin',
      department: 'health',
      division: '220000',
      'custom:role': 'admin',
      'cognito:groups': '[admin]',
      // What the issuer's administrators map:
      platform_role: 'caseworker',
      org_unit: 'justice',
      region_code: '220102',
    };
    expect(principalFromClaims(claims, oidc)).toEqual({ subject: 'u', role: 'caseworker', department: 'justice', divisionCode: '220102' });
    expect(principalFromClaims({ sub: 'u', role: 'admin' }, oidc)).toBeNull();
  });

  it('refuses a malformed STAFF_CLAIMS at start-up and defaults to the development names', () => {
    expect(() => claimSourceFromEnv({ STAFF_CLAIMS: 'role=' })).toThrow(/STAFF_CLAIMS/);
    expect(() => claimSourceFromEnv({ STAFF_CLAIMS: 'owner=x' })).toThrow(/STAFF_CLAIMS/);
    expect(claimSourceFromEnv({})).toEqual({ kind: 'oidc', role: 'role', department: 'department', division: 'division' });
    expect(claimSourceFromEnv({ STAFF_CLAIMS: 'division=region' })).toEqual({ kind: 'oidc', role: 'role', department: 'department', division: 'region' });
  });
});
