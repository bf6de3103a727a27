// The caseworker API: one Lambda for every /referrals route, dispatched on API Gateway's routeKey.
// One function because the routes share everything (table, deadline policy, access policy, IAM
// permissions) and a caseworker's session hits several of them in a row: one warm function serves
// them all. Each route is its own middy stack (body guards and schema), so the router is a map.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger } from '../../shared/adapters/logger.js';
import { referralDependencies } from '../../shared/config/referrals.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { badRequest, forbidden, HttpError, notFound } from '../../shared/http/errors.js';
import { authorisedJsonEndpoint, endpoint, json, parseJsonBody, zodFields, type HttpResult } from '../../shared/http/middleware.js';
import {
  AccessDeniedError,
  ConcurrentChangeError,
  InvalidCursorError,
  InvalidInputError,
  InvalidTransitionError,
  decideDangerReview,
  listPendingReviews,
  listQueue,
  performReferralAction,
  reclassifyCase,
  ReferralNotFoundError,
  type DeferredCommand,
  type ReferralCommand,
} from '../../shared/usecases/referrals/index.js';
import * as schema from '../../shared/http/schemas/referral-actions.js';
import { referralActionPath, STAFF_ACTION_TYPES, type StaffActionType } from '../../shared/domain/lifecycle/catalogue.js';

/** Maps the use cases' errors to HTTP; anything else is a 500 from the error responder. */
export function httpErrorOf(err: unknown): unknown {
  if (err instanceof ReferralNotFoundError) return notFound(err.what);
  // Out of her sight: the same 404 as for what does not exist. In sight but not hers to do: 403.
  if (err instanceof AccessDeniedError) return err.hidden ? notFound(err.hidden) : forbidden();
  if (err instanceof InvalidInputError) return badRequest([{ path: err.field, message: err.message }]);
  if (err instanceof InvalidCursorError) return badRequest([{ path: 'cursor', message: '无效的分页游标 (invalid cursor)' }]);
  if (err instanceof InvalidTransitionError) return new HttpError(409, 'invalid_state', err.message);
  if (err instanceof ConcurrentChangeError) {
    return new HttpError(409, 'version_conflict', '该转介刚被他人修改，请刷新后重试 (the referral was changed by someone else meanwhile; reload and retry)');
  }
  return err;
}

async function act(event: APIGatewayProxyEventV2, command: ReferralCommand | DeferredCommand): Promise<HttpResult> {
  const staff = principalOf(event);
  const referralId = event.pathParameters?.referralId ?? '';
  try {
    const referral = await performReferralAction(referralDependencies(), staff, referralId, command);
    logger.info('referral changed', { action: command.type, referralId, status: referral.status, version: referral.version, role: staff.role });
    return json(200, { referral });
  } catch (err) {
    if (err instanceof AccessDeniedError) logger.warn('referral action denied', { action: command.type, referralId, role: staff.role, reason: err.reason });
    throw httpErrorOf(err);
  }
}

type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/** A POST on a case: the use case (which reads the body once she is authorised), its result as JSON; refusals logged by code only. */
function caseEndpoint<S extends z.ZodMiniType, R>(
  s: S,
  action: string,
  run: (deps: ReturnType<typeof referralDependencies>, staff: ReturnType<typeof principalOf>, caseId: string, body: () => z.infer<S>) => Promise<R>,
  view: (result: R) => unknown,
): RouteHandler {
  return authorisedJsonEndpoint(async (event) => {
    const staff = principalOf(event);
    const caseId = event.pathParameters?.caseId ?? '';
    if (!CASE_ID.test(caseId)) throw notFound('case');
    try {
      const result = await run(referralDependencies(), staff, caseId, () => parseJsonBody(event.rawBody, s));
      logger.info('case changed', { action, caseId, role: staff.role });
      return json(200, view(result));
    } catch (err) {
      if (err instanceof AccessDeniedError) logger.warn('case action denied', { action, caseId, role: staff.role, reason: err.reason });
      throw httpErrorOf(err);
    }
  }) as unknown as RouteHandler;
}

/**
 * The route of a staff action from the lifecycle catalogue: authorised first, then its body
 * schema (if it takes a body), then the command built from the valid body.
 */
function actionEndpoint(type: StaffActionType): RouteHandler {
  const body = schema.ACTION_BODIES[type] as z.ZodMiniType<object> | undefined;
  if (!body) return endpoint(async (event) => act(event, { type } as ReferralCommand)) as unknown as RouteHandler;
  return authorisedJsonEndpoint(async (event) => act(event, { type, read: () => ({ type, ...parseJsonBody(event.rawBody, body) }) as ReferralCommand })) as unknown as RouteHandler;
}

const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const ROUTES: Record<string, RouteHandler> = {
  'GET /referrals': endpoint(async (event) => {
    const staff = principalOf(event);
    const parsed = schema.queueQuery.safeParse(event.queryStringParameters ?? {});
    if (!parsed.success) throw badRequest(zodFields(parsed.error, schema.queueQuery));
    try {
      const result = await listQueue(referralDependencies(), staff, parsed.data);
      return json(200, result);
    } catch (err) {
      throw httpErrorOf(err);
    }
  }),
  // Pending danger reviews in the caller's division, most pressing first (the console shows them before the queue).
  'GET /reviews': endpoint(async (event) => {
    try {
      return json(200, { items: await listPendingReviews(referralDependencies(), principalOf(event)) });
    } catch (err) {
      throw httpErrorOf(err);
    }
  }),
  // The lifecycle actions, one route each, from the catalogue.
  ...Object.fromEntries(STAFF_ACTION_TYPES.map((t) => [`POST ${referralActionPath(t)}`, actionEndpoint(t)])),
  // Case-level decisions of coordinators (and supervisors for danger reviews). A decision's answer
  // does not repeat her note (nothing sent comes back); the case view shows it.
  'POST /cases/{caseId}/danger-review': caseEndpoint(
    schema.dangerReviewBody,
    'danger_review',
    (deps, staff, caseId, b) => decideDangerReview(deps, staff, caseId, b),
    ({ note: _note, ...review }) => ({ review }),
  ),
  'POST /cases/{caseId}/classification': caseEndpoint(
    schema.classificationBody,
    'reclassify',
    (deps, staff, caseId, b) => reclassifyCase(deps, staff, caseId, b),
    (result) => result,
  ),
};

/** The route keys this function serves (shared/http/routes.ts lists the same). */
export const ROUTE_KEYS = Object.keys(ROUTES);

export const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
  const route = ROUTES[event.routeKey];
  if (!route) return json(404, { error: { code: 'not_found', message: '未找到该接口 (no such route)' } });
  return route(event, context);
};
