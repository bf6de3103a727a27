// The county ledger of left-behind women (信息台账), for ledger officers and, to read, civil affairs
// and the women's federation (shared/domain/ledger/access.ts), routed on routeKey:
//   POST /ledger/women                      register a woman (201)
//   GET  /ledger/women                      a county's records (?divisionCode=&township=&focus=&cursor=&limit=)
//   GET  /ledger/women/{personId}           her record (every read recorded)
//   PUT  /ledger/women/{personId}           correct it, naming the version read (`expectedVersion`)
//   POST /ledger/women/{personId}/exit      she leaves the ledger (`reason`)
//   GET  /ledger/counts?divisionCode=       women and focus markers by township (a county) or by county
//   GET  /ledger/export?divisionCode=       the county's 台账 as XLSX (recorded)
//   POST /ledger/women/{personId}/visits    record a visit (走访): what it finds becomes a case on channel `visit`
//   GET  /ledger/women/{personId}/visits    her visits
//   GET  /ledger/women/{personId}/cases     her cases, by her number (reference, channel, date)
//   GET  /ledger/visits/due                 the overdue-visit queue (?divisionCode=&township=&cursor=&limit=)
// Names, phone numbers and places are in the bodies an officer reads and writes, never in a log line.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { InvalidCursorError } from '../../shared/adapters/dynamo/ledger-repository.js';
import { logger } from '../../shared/adapters/logger.js';
import { herCases, ledgerDependencies, visitDependencies } from '../../shared/config/ledger.js';
import { principalOf, type Principal } from '../../shared/http/auth/principal.js';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../../shared/http/errors.js';
import { endpoint, json, jsonEndpoint, SECURITY_HEADERS, zodFields, type HttpResult } from '../../shared/http/middleware.js';
import { ledgerDivisionQuery, ledgerExitSchema, ledgerListQuery, ledgerUpdateSchema, registrationSchema, visitBodySchema, visitsDueQuery } from '../../shared/http/schemas/ledger.js';
import { casesOf, recordVisit, visitsDue, visitsOf } from '../../shared/usecases/ledger-visits.js';
import { exportRows } from '../../shared/domain/ledger/export-rows.js';
import { countWomen, exitWoman, exportCounty, listWomen, readWoman, registerWoman, updateWoman, type LedgerResult } from '../../shared/usecases/ledger.js';

function respond<T>(result: LedgerResult<T>, status: number, wrap: (value: T) => unknown): HttpResult {
  switch (result.kind) {
    case 'ok':
      return json(status, wrap(result.value));
    case 'invalid':
      throw badRequest(result.problems.map((p) => ({ path: p.path, code: 'invalid', message: p.message })));
    case 'forbidden':
      throw forbidden();
    case 'not_found':
      throw notFound('record');
    case 'conflict':
      throw conflict(result.message);
    case 'duplicate':
      throw new HttpError(409, 'duplicate', `她已在台账中 (already in the ledger${result.personId ? `: ${result.personId}` : ''})`);
  }
}

const personIdOf = (event: APIGatewayProxyEventV2): string => {
  const id = event.pathParameters?.personId ?? '';
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw notFound('record');
  return id;
};

const logged = (what: string, principal: Principal, personId?: string, caseId?: string) =>
  logger.info(what, { personId, ...(caseId ? { caseId } : {}), role: principal.role, divisionCode: principal.divisionCode, by: principal.subject });

const register = jsonEndpoint(registrationSchema, async (event) => {
  const p = principalOf(event);
  const result = await registerWoman(p.subject, p, event.validBody, await ledgerDependencies());
  if (result.kind === 'ok') logged('ledger record created', p, result.value.personId);
  return respond(result, 201, (woman) => ({ woman }));
});

const update = jsonEndpoint(ledgerUpdateSchema, async (event) => {
  const p = principalOf(event);
  const { expectedVersion, ...body } = event.validBody;
  const result = await updateWoman(p.subject, p, personIdOf(event), body, expectedVersion, await ledgerDependencies());
  if (result.kind === 'ok') logged('ledger record corrected', p, result.value.personId);
  return respond(result, 200, (woman) => ({ woman }));
});

const exit = jsonEndpoint(ledgerExitSchema, async (event) => {
  const p = principalOf(event);
  const result = await exitWoman(p.subject, p, personIdOf(event), event.validBody.reason, await ledgerDependencies());
  if (result.kind === 'ok') logged('ledger exit recorded', p, result.value.personId);
  return respond(result, 200, (woman) => ({ woman }));
});

const read = endpoint(async (event) => {
  const p = principalOf(event);
  return respond(await readWoman(p.subject, p, personIdOf(event), await ledgerDependencies()), 200, (woman) => ({ woman }));
});

const list = endpoint(async (event) => {
  const p = principalOf(event);
  const parsed = ledgerListQuery.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw badRequest(zodFields(parsed.error, ledgerListQuery));
  try {
    return respond(await listWomen(p.subject, p, parsed.data, await ledgerDependencies()), 200, (page) => page);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw badRequest([{ path: 'cursor', code: 'invalid', message: '分页标记无效 (invalid cursor)' }]);
    throw err;
  }
});

const visit = jsonEndpoint(visitBodySchema, async (event) => {
  const p = principalOf(event);
  const result = await recordVisit(p.subject, p, personIdOf(event), event.validBody, await visitDependencies());
  if (result.kind === 'ok') logged('ledger visit recorded', p, result.value.woman.personId, result.value.case?.caseId);
  return respond(result, 201, (v) => v);
});

const visits = endpoint(async (event) => {
  const p = principalOf(event);
  return respond(await visitsOf(p.subject, p, personIdOf(event), await ledgerDependencies()), 200, (items) => ({ items }));
});

const cases = endpoint(async (event) => {
  const p = principalOf(event);
  return respond(await casesOf(p.subject, p, personIdOf(event), { ...(await ledgerDependencies()), cases: herCases() }), 200, (items) => ({ items }));
});

const due = endpoint(async (event) => {
  const p = principalOf(event);
  const parsed = visitsDueQuery.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw badRequest(zodFields(parsed.error, visitsDueQuery));
  try {
    return respond(await visitsDue(p.subject, p, parsed.data, await ledgerDependencies()), 200, (page) => page);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw badRequest([{ path: 'cursor', code: 'invalid', message: '分页标记无效 (invalid cursor)' }]);
    throw err;
  }
});

function divisionOf(event: APIGatewayProxyEventV2): string {
  const parsed = ledgerDivisionQuery.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw badRequest(zodFields(parsed.error, ledgerDivisionQuery));
  return parsed.data.divisionCode;
}

const counts = endpoint(async (event) => {
  const p = principalOf(event);
  return respond(await countWomen(p.subject, p, divisionOf(event), await ledgerDependencies()), 200, (c) => c);
});

const download = endpoint(async (event) => {
  const p = principalOf(event);
  const divisionCode = divisionOf(event);
  const deps = await ledgerDependencies();
  const result = await exportCounty(p.subject, p, divisionCode, deps);
  if (result.kind !== 'ok') return respond(result, 200, () => null);
  const date = deps.now().toISOString().slice(0, 10);
  const title = `${deps.divisions.get(divisionCode)?.name ?? divisionCode}留守妇女信息台账（${date}）`;
  const { headers, rows } = exportRows(result.value);
  // The workbook writer and its zip library load on the first export, not at every cold start (as in the reports function).
  const { reportXlsx } = await import('../../shared/adapters/spreadsheet/report-xlsx.js');
  const file = await reportXlsx({ title, headers, kinds: headers.map(() => 'text'), rows }, '台账');
  logged('ledger exported', p);
  const filename = `台账-${divisionCode}-${date}.xlsx`;
  return {
    statusCode: 200,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="ledger-${divisionCode}-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
    body: file.toString('base64'),
    isBase64Encoded: true,
  };
});

const ROUTES: Record<string, (event: never, context: Context) => Promise<HttpResult>> = {
  'GET /ledger/counts': counts,
  'GET /ledger/export': download,
  'POST /ledger/women': register,
  'GET /ledger/women': list,
  'GET /ledger/women/{personId}': read,
  'PUT /ledger/women/{personId}': update,
  'POST /ledger/women/{personId}/exit': exit,
  'POST /ledger/women/{personId}/visits': visit,
  'GET /ledger/women/{personId}/visits': visits,
  'GET /ledger/women/{personId}/cases': cases,
  'GET /ledger/visits/due': due,
};

export const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
  const route = ROUTES[event.routeKey];
  if (!route) throw new Error(`ledger-api: no route ${event.routeKey}`);
  return route(event as never, context);
};
