// The HTTP API's routes, in one place: the local runtime serves them and the CDK stack deploys them.
// `auth` says who checks the caller: the function's own HMAC check (hotline systems), nobody (the
// public web form), or the JWT authorizer (staff).

import { referralActionPath, STAFF_ACTION_TYPES } from '../domain/lifecycle/catalogue.js';

export type RouteAuth = 'signature' | 'public' | 'staff';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Folder under functions/ holding the handler. */
  functionName: string;
  auth: RouteAuth;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/intake/12338', functionName: 'intake-12338', auth: 'signature' },
  { method: 'POST', path: '/intake/12348', functionName: 'intake-12348', auth: 'signature' },
  { method: 'POST', path: '/intake/web', functionName: 'intake-web', auth: 'public' },
  // The integrator contract (OpenAPI 3.1), generated from these routes and the handlers' schemas.
  { method: 'GET', path: '/openapi.json', functionName: 'api-docs', auth: 'public' },
  { method: 'GET', path: '/cases/{caseId}', functionName: 'get-case', auth: 'staff' },
  // Caseworker API: one function, routed on routeKey (see functions/referrals-api/handler.ts).
  { method: 'GET', path: '/referrals', functionName: 'referrals-api', auth: 'staff' },
  // One route per staff action of the lifecycle catalogue.
  ...STAFF_ACTION_TYPES.map((t): ApiRoute => ({ method: 'POST', path: referralActionPath(t), functionName: 'referrals-api', auth: 'staff' })),
  { method: 'GET', path: '/reviews', functionName: 'referrals-api', auth: 'staff' },
  { method: 'POST', path: '/cases/{caseId}/danger-review', functionName: 'referrals-api', auth: 'staff' },
  { method: 'POST', path: '/cases/{caseId}/classification', functionName: 'referrals-api', auth: 'staff' },
  { method: 'GET', path: '/reports/overview', functionName: 'reports', auth: 'staff' },
  { method: 'GET', path: '/reports/monthly', functionName: 'reports', auth: 'staff' },
  { method: 'GET', path: '/reports/trend', functionName: 'reports', auth: 'staff' },
  { method: 'GET', path: '/admin/roster/{department}/{divisionCode}', functionName: 'roster-admin', auth: 'staff' },
  { method: 'PUT', path: '/admin/roster/{department}/{divisionCode}', functionName: 'roster-admin', auth: 'staff' },
  // The county ledger of left-behind women (信息台账): one function, routed on routeKey (functions/ledger-api/handler.ts).
  { method: 'POST', path: '/ledger/women', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/women', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/women/{personId}', functionName: 'ledger-api', auth: 'staff' },
  { method: 'PUT', path: '/ledger/women/{personId}', functionName: 'ledger-api', auth: 'staff' },
  { method: 'POST', path: '/ledger/women/{personId}/exit', functionName: 'ledger-api', auth: 'staff' },
  { method: 'POST', path: '/ledger/women/{personId}/visits', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/women/{personId}/visits', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/women/{personId}/cases', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/visits/due', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/counts', functionName: 'ledger-api', auth: 'staff' },
  { method: 'GET', path: '/ledger/export', functionName: 'ledger-api', auth: 'staff' },
];
