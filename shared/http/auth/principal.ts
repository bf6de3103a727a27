// Who is calling a staff route. In AWS the API Gateway JWT authorizer has verified the token and
// passes its claims in requestContext.authorizer.jwt.claims; the local runtime does the same checks
// and passes claims the same way, so handlers read them identically in both.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { forbidden, unauthorized } from '../errors.js';

// The staff roles are the access policy's (defined once there).
import { ROLES } from '../../domain/model.js';
export { ROLES };
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  role: Role;
  /** The department the person works for; null for coordinators and admins who act across departments. */
  department: string | null;
  /** Her division (GB/T code); the province code for provincial staff. */
  divisionCode: string | null;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Where role, department and division are read from: only claims the issuer controls, never one a
 * person can set for herself.
 * - `cognito` (the global deployment's user pool): the role is the one `cognito:groups` entry that
 *   names a role (an administrator puts her in the group); department and division are the pool's
 *   `custom:department` / `custom:division` attributes, which no app client may write (only an
 *   administrator, through the admin API). A `role`, `department` or `division` claim is ignored.
 * - `oidc` (any other issuer, the China deployment, the local runtime): the three claim names the
 *   administrator configured for that issuer (cdk.json `oidcClaims`), mapped at the issuer from
 *   attributes only its administrators write; every other claim is ignored.
 */
export type ClaimSource = { kind: 'cognito' } | { kind: 'oidc'; role: string; department: string; division: string };

export const DEFAULT_OIDC_CLAIMS: ClaimSource = { kind: 'oidc', role: 'role', department: 'department', division: 'division' };

/**
 * STAFF_CLAIMS: `cognito`, or `role=<claim>,department=<claim>,division=<claim>` for an OIDC issuer
 * (any name left out keeps its default). Unset: the OIDC defaults (the local development issuer).
 */
export function claimSourceFromEnv(env: NodeJS.ProcessEnv = process.env): ClaimSource {
  const raw = env.STAFF_CLAIMS?.trim();
  if (!raw) return DEFAULT_OIDC_CLAIMS;
  if (raw === 'cognito') return { kind: 'cognito' };
  const source = { ...DEFAULT_OIDC_CLAIMS } as Extract<ClaimSource, { kind: 'oidc' }>;
  for (const part of raw.split(',')) {
    const m = /^\s*(role|department|division)\s*=\s*([A-Za-z0-9_:./-]{1,128})\s*$/.exec(part);
    if (!m) throw new Error('configuration: STAFF_CLAIMS must be "cognito" or "role=<claim>,department=<claim>,division=<claim>"');
    source[m[1] as 'role' | 'department' | 'division'] = m[2]!;
  }
  return source;
}

/** API Gateway renders array claims as "[a b]"; Cognito groups arrive that way. */
function asList(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

const str = (v: Claims[string]) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The one role a list names; none or two different ones is no role (an ambiguous grant is refused). */
function singleRole(values: string[]): Role | null {
  const roles = [...new Set(values.filter((v) => (ROLES as readonly string[]).includes(v)))];
  return roles.length === 1 ? (roles[0] as Role) : null;
}

/** Role, department and division from the claims the source names; null when the token carries no usable role. */
export function principalFromClaims(claims: Claims, source: ClaimSource = claimSourceFromEnv()): Principal | null {
  const subject = str(claims.sub);
  const names = source.kind === 'cognito' ? { department: 'custom:department', division: 'custom:division' } : source;
  const role = source.kind === 'cognito' ? singleRole(asList(claims['cognito:groups'])) : singleRole(asList(claims[source.role]));
  if (!subject || !role) return null;
  const divisionCode = str(claims[names.division]);
  if (divisionCode !== null && !/^\d{6}$/.test(divisionCode)) return null;
  return { subject, role, department: str(claims[names.department]), divisionCode };
}

let cachedSource: ClaimSource | undefined;
/** Read once per process: a wrong STAFF_CLAIMS stops the function at its first request, loudly. */
const claimSource = () => (cachedSource ??= claimSourceFromEnv());

export function claimsOf(event: APIGatewayProxyEventV2): Claims | undefined {
  const ctx = event.requestContext as APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: Claims } } };
  return ctx.authorizer?.jwt?.claims;
}

/** The verified caller, or 401 with no verified token, or 403 when the token carries no usable role. */
export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const claims = claimsOf(event);
  if (!claims) throw unauthorized('bearer token required');
  const principal = principalFromClaims(claims, claimSource());
  if (!principal) throw forbidden();
  return principal;
}
