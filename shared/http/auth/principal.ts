// Who is calling a staff route. In AWS the API Gateway JWT authorizer has verified the token and
// passes its claims in requestContext.authorizer.jwt.claims; the local runtime does the same checks
// and passes claims the same way, so handlers read them identically in both.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { forbidden, unauthorized } from '../errors.js';

export const ROLES = ['caseworker', 'supervisor', 'coordinator', 'admin'] as const;
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

/** API Gateway renders array claims as "[a b]"; Cognito groups arrive that way. */
function asList(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const str = (v: Claims[string]) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Reads role, department and division from custom claims (`role`, `department`, `division`) or,
 * for a Cognito user pool, from `cognito:groups` and `custom:department` / `custom:division`.
 */
export function principalFromClaims(claims: Claims): Principal | null {
  const subject = str(claims.sub);
  const roleClaim = str(claims.role) ?? asList(claims['cognito:groups']).find((g) => (ROLES as readonly string[]).includes(g)) ?? null;
  if (!subject || !roleClaim || !(ROLES as readonly string[]).includes(roleClaim)) return null;
  const divisionCode = str(claims.division) ?? str(claims['custom:division']);
  if (divisionCode !== null && !/^\d{6}$/.test(divisionCode)) return null;
  return {
    subject,
    role: roleClaim as Role,
    department: str(claims.department) ?? str(claims['custom:department']),
    divisionCode,
  };
}

export function claimsOf(event: APIGatewayProxyEventV2): Claims | undefined {
  const ctx = event.requestContext as APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: Claims } } };
  return ctx.authorizer?.jwt?.claims;
}

/** The verified caller, or 401 with no verified token, or 403 when the token carries no usable role. */
export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const claims = claimsOf(event);
  if (!claims) throw unauthorized('bearer token required');
  const principal = principalFromClaims(claims);
  if (!principal) throw forbidden();
  return principal;
}
