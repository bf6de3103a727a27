// GET /reports/overview[?divisionCode=&department=]: open referrals by status, urgency and
// department, and the overdue ones, for the caller's scope (see shared/usecases/reports-overview.ts).
import { overviewQuery } from '../../shared/http/schemas/reports.js';
import { logger } from '../../shared/adapters/logger.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { badRequest, forbidden } from '../../shared/http/errors.js';
import { endpoint, json, zodFields } from '../../shared/http/middleware.js';
import { reportOverview } from '../../shared/usecases/reports-overview.js';
import { overviewDependencies } from './dependencies.js';


export const handler = endpoint(async (event) => {
  const principal = principalOf(event);
  const parsed = overviewQuery.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw badRequest(zodFields(parsed.error, overviewQuery));
  const result = await reportOverview(principal, parsed.data, overviewDependencies());
  if (result.kind === 'denied') {
    logger.info('overview refused', { role: principal.role, reason: result.reason });
    if (result.reason === 'unknown_division') throw badRequest([{ path: 'divisionCode', code: 'unknown_division', message: '未知的行政区划代码 (unknown division)' }]);
    if (result.reason === 'unknown_department') throw badRequest([{ path: 'department', code: 'unknown_department', message: '未知的部门 (unknown department)' }]);
    throw forbidden();
  }
  logger.info('overview served', { role: principal.role, total: result.overview.total, overdue: result.overview.overdue.count });
  return json(200, result.overview);
});
