// GET and PUT /admin/roster/{department}/{divisionCode}: the duty roster of one department in one
// division, for administrators only. PUT replaces it and names the version it replaces
// (`expectedVersion`, 0 to create): a stale version is a 409. Phone numbers are in the bodies an
// administrator reads and writes, never in a log line.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type middy from '@middy/core';
import { logger } from '../../shared/adapters/logger.js';
import { rosterAdminDependencies } from '../../shared/config/notifier.js';
import { rosterPutSchema } from '../../shared/domain/roster/roster.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { badRequest, conflict, forbidden, notFound } from '../../shared/http/errors.js';
import { endpoint, json, jsonEndpoint, type HttpRequestEvent, type HttpResult } from '../../shared/http/middleware.js';
import { readRoster, replaceRoster, type RosterAdminResult } from '../../shared/usecases/notify-roster.js';

function respond(result: RosterAdminResult): HttpResult {
  switch (result.kind) {
    case 'forbidden':
      throw forbidden();
    case 'invalid_scope':
      throw badRequest(result.fields);
    case 'not_found':
      throw notFound('roster');
    case 'conflict':
      throw conflict(`the roster was changed meanwhile; reload it (current version ${result.currentVersion})`);
    case 'ok':
      return json(200, { roster: result.roster });
  }
}

const params = (event: APIGatewayProxyEventV2) => ({
  department: event.pathParameters?.department ?? '',
  divisionCode: event.pathParameters?.divisionCode ?? '',
});

/** 401/403 before the body is even looked at. */
const adminOnly: middy.MiddlewareObj<HttpRequestEvent, HttpResult> = {
  before: (request) => {
    if (principalOf(request.event).role !== 'admin') throw forbidden();
  },
};

const getRoster = endpoint(async (event) => {
  const p = params(event);
  return respond(await readRoster(principalOf(event), p.department, p.divisionCode, rosterAdminDependencies()));
});

const putRoster = jsonEndpoint(
  rosterPutSchema,
  async (event) => {
    const principal = principalOf(event);
    const p = params(event);
    const { expectedVersion, ...body } = event.validBody;
    const result = await replaceRoster(principal, p.department, p.divisionCode, body, expectedVersion, rosterAdminDependencies());
    if (result.kind === 'ok') {
      logger.info('roster replaced', { ...p, version: result.roster.version, caseworkers: result.roster.caseworkers.length, supervisor: result.roster.supervisor !== null, by: principal.subject });
    }
    return respond(result);
  },
  [adminOnly],
);

export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.requestContext.http.method === 'PUT' ? putRoster(event as Parameters<typeof putRoster>[0], context) : getRoster(event, context);
