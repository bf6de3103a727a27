// The integrator contract: an OpenAPI 3.1 document generated from the route table and the very zod
// schemas the handlers validate with (zod 4's JSON Schema output), so that it cannot drift from
// what the API accepts. Served at GET /openapi.json, locally and by the deployed stack.
import * as z from 'zod/mini';
import { hotline12338Schema, hotline12348Schema, webIntakeSchema } from '../domain/intake/schemas.js';
import { rosterPutSchema } from '../domain/roster/roster.js';
import { referralActionPath, STAFF_ACTION_TYPES, STAFF_ACTIONS } from '../domain/lifecycle/catalogue.js';
import { API_ROUTES, type ApiRoute } from './routes.js';
import * as ledger from './schemas/ledger.js';
import * as actions from './schemas/referral-actions.js';
import { monthlyQuery, overviewQuery, trendQuery } from './schemas/reports.js';
import { SIGNATURE_TOLERANCE_SECONDS } from './signature.js';
import { RETRY_AFTER_SECONDS } from './errors.js';
import { MAX_BODY_BYTES } from './middleware.js';

export const API_VERSION = '1.0.0';

interface RouteDoc {
  summary: string;
  body?: z.core.$ZodType;
  query?: z.core.$ZodObject;
  /** The success status and what it returns. */
  ok: [number, string];
  /** Statuses besides the common ones (400, 401/403 as applies, 413, 415, 503). */
  also?: number[];
}

const action = (summary: string, body?: z.core.$ZodType): RouteDoc => ({ summary, body, ok: [200, '`{referral}`: the referral as stored after the change'], also: [404, 409] });

/** What each route is for; `body`/`query` are the schemas its handler validates with. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'POST /intake/12338': { summary: '12338 call → a case (HMAC-signed)', body: hotline12338Schema, ok: [201, 'a new case: its receipt'], also: [200, 409] },
  'POST /intake/12348': { summary: '12348 ticket → a case (HMAC-signed)', body: hotline12348Schema, ok: [201, 'a new case: its receipt'], also: [200, 409] },
  'POST /intake/web': { summary: 'the public web form → a case', body: webIntakeSchema, ok: [201, 'a new case: its receipt'], also: [200, 409] },
  'GET /openapi.json': { summary: 'this document', ok: [200, 'the OpenAPI 3.1 document'] },
  'GET /cases/{caseId}': { summary: 'a case as the caller may see it (need to know); every read is audited', ok: [200, '`{case, referrals, events, review?}`'], also: [404] },
  'GET /referrals': { summary: 'a work queue: most urgent first, then earliest deadline', query: actions.queueQuery, ok: [200, '`{queue, items, cursor}`'] },
  ...Object.fromEntries(STAFF_ACTION_TYPES.map((t) => [`POST ${referralActionPath(t)}`, action(STAFF_ACTIONS[t].summary, actions.ACTION_BODIES[t])])),
  'GET /reviews': { summary: "pending danger reviews in the caller's division", ok: [200, '`{items}`'] },
  'POST /cases/{caseId}/danger-review': { summary: 'confirm or dismiss a danger review (coordinators, supervisors)', body: actions.dangerReviewBody, ok: [200, '`{review}`'], also: [404, 409] },
  'POST /cases/{caseId}/classification': {
    summary: "correct a case's needs, urgency and division (coordinators)",
    body: actions.classificationBody,
    ok: [200, '`{classification, cancelled, rerouted, added, withheld}`'],
    also: [404, 409],
  },
  'GET /reports/overview': { summary: 'open work by division, department and urgency', query: overviewQuery, ok: [200, 'the overview'] },
  'GET /reports/monthly': {
    summary: 'the monthly KPIs (考核月报) of a scope with drill-down rows; `format=csv|xlsx` downloads the table',
    query: monthlyQuery,
    ok: [200, '`{month, scope, by, totals, rows}`, or the CSV / XLSX file'],
  },
  'GET /reports/trend': { summary: 'the KPIs of the 12 months ending with `month`, for one scope', query: trendQuery, ok: [200, '`{scope, months}`'] },
  'GET /admin/roster/{department}/{divisionCode}': { summary: 'a duty roster (administrators; every read audited)', ok: [200, '`{roster}`'], also: [404] },
  'PUT /admin/roster/{department}/{divisionCode}': { summary: 'replace a duty roster, naming the version replaced (administrators)', body: rosterPutSchema, ok: [200, '`{roster}`'], also: [409] },
  'POST /ledger/women': {
    summary: 'register a left-behind woman in the county ledger (ledger officers of her county)',
    body: ledger.registrationSchema,
    ok: [201, '`{woman}`: her record'],
    also: [409],
  },
  'GET /ledger/women': {
    summary: "a county's records, by township and village (ledger officers; civil affairs and the women's federation read)",
    query: ledger.ledgerListQuery,
    ok: [200, '`{items, cursor}` (no phone numbers)'],
  },
  'GET /ledger/women/{personId}': { summary: 'her record (every read recorded)', ok: [200, '`{woman}`'], also: [404] },
  'PUT /ledger/women/{personId}': {
    summary: 'correct her record, naming the version read (an absent idNumber keeps the one recorded)',
    body: ledger.ledgerUpdateSchema,
    ok: [200, '`{woman}`'],
    also: [404, 409],
  },
  'GET /ledger/counts': {
    summary: 'women on the ledger and each focus marker, by township (a county) or by county (a prefecture, the province); no names (administrators too)',
    query: ledger.ledgerDivisionQuery,
    ok: [200, '`{divisionCode, by, rows, totals}`'],
  },
  'GET /ledger/export': { summary: "the county's 台账 as XLSX, in the import's columns (the ID number's last four only); recorded", query: ledger.ledgerDivisionQuery, ok: [200, 'the XLSX file'] },
  'POST /ledger/women/{personId}/exit': {
    summary: 'she leaves the ledger: out of the lists, her data deleted after the retention period',
    body: ledger.ledgerExitSchema,
    ok: [200, '`{woman}`'],
    also: [404, 409],
  },
  'POST /ledger/women/{personId}/visits': {
    summary: 'record a visit (走访, ledger officers of her county): needs found in the note or observed become a case on channel `visit`, routed and notified; her next visit date moves on',
    body: ledger.visitBodySchema,
    ok: [201, '`{visit, case?, woman}`'],
    also: [404, 409],
  },
  'GET /ledger/women/{personId}/visits': { summary: 'her visits, newest first (who may read her record)', ok: [200, '`{items}`'], also: [404] },
  'GET /ledger/women/{personId}/cases': {
    summary: 'her cases, found by her phone number: reference, channel and date only (opening one is the case’s own access check); recorded',
    ok: [200, '`{items}`'],
    also: [404],
  },
  'GET /ledger/visits/due': {
    summary: "the overdue-visit queue of a county (the caller's by default), optionally one township: longest overdue first, without phone numbers",
    query: ledger.visitsDueQuery,
    ok: [200, '`{items, cursor?}`'],
  },
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK (for an intake: the same id again, nothing written)',
  201: 'created',
  400: 'invalid JSON or fields: `error.fields[]` names each by its path and a code, never quoting what was sent',
  401: 'no valid signature or token',
  403: 'the caller sees this but may not do it (recorded)',
  404: 'no such case or referral, or one the caller may not see (the same answer; recorded)',
  409: 'a conflicting change: the id was used with other content, the action does not apply in this state, or someone changed it meanwhile',
  413: `body over ${MAX_BODY_BYTES / 1024} KiB`,
  415: 'not application/json',
  503: `the table is unreachable: retry after \`Retry-After\` (${RETRY_AFTER_SECONDS} s) with the same id`,
};

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends. */
function jsonSchemaOf(schema: z.core.$ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };

function operation(route: ApiRoute) {
  const key = `${route.method} ${route.path}`;
  const doc = ROUTE_DOCS[key];
  if (!doc) throw new Error(`route ${key} has no entry in ROUTE_DOCS`);
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = doc.query
    ? Object.entries((jsonSchemaOf(doc.query).properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
    : [];
  const statuses = new Set<number>([doc.ok[0], ...(doc.also ?? []), 503]);
  if (doc.body || route.method !== 'GET') [400, 413, 415].forEach((s) => statuses.add(s));
  if (doc.query) statuses.add(400);
  if (route.auth !== 'public') statuses.add(401);
  if (route.auth === 'staff') statuses.add(403);
  const responses: Record<string, unknown> = {};
  for (const s of [...statuses].sort()) {
    responses[String(s)] =
      s < 300
        ? { description: s === doc.ok[0] ? doc.ok[1] : STATUS_TEXT[s], content: { 'application/json': { schema: { type: 'object' } } } }
        : { description: STATUS_TEXT[s], content: { 'application/json': { schema: errorRef } } };
  }
  return {
    operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    summary: doc.summary,
    ...(route.auth === 'signature' ? { security: [{ keyId: [], signature: [] }] } : route.auth === 'staff' ? { security: [{ staffJwt: [] }] } : { security: [] }),
    ...(pathParams.length + queryParams.length > 0 ? { parameters: [...pathParams, ...queryParams] } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(doc.body) } } } } : {}),
    responses,
  };
}

const DESCRIPTION = `Referral platform of the care programme for rural left-behind women (农村留守妇女关爱服务转介平台).

**Signatures** (the 12338 and 12348 systems): send \`X-Key-Id: <key id>\` and
\`X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>\` over the exact bytes
sent. A timestamp more than ${SIGNATURE_TOLERANCE_SECONDS} s from the server's clock, an unknown key, a key of another
channel or a wrong signature is a 401. Several \`v1=\` values may be sent while a secret is rotated.

**Idempotency**: every intake carries its own id (\`callId\`, \`ticketNo\`, \`clientRequestId\`). Sending
the same id with the same content again is answered 200 and writes nothing (a hotline gets the
receipt again; the anonymous web form only \`{reference, status: "already_received"}\`); the same id
with other content is a 409. After a 503, a timeout or a lost response, **retry with the same id**:
it can never become a second case.

**Errors**: \`{error: {code, message, fields?: [{path, code, message}]}, requestId}\`; never a value or
key that was sent. Staff routes need a bearer JWT of the configured issuer.`;

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Referral platform API (留守妇女关爱服务转介平台)', version: API_VERSION, description: DESCRIPTION },
    paths,
    components: {
      securitySchemes: {
        keyId: { type: 'apiKey', in: 'header', name: 'X-Key-Id', description: 'the key id the platform gave the hotline system' },
        signature: { type: 'apiKey', in: 'header', name: 'X-Signature', description: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>' },
        staffJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a token of the configured issuer (the Cognito pool, or the OIDC issuer in China)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}
