// The supervisors' figures, one function for the /reports routes (dispatched on routeKey):
//   GET /reports/overview  open and overdue work of the caller's scope (shared/usecases/reports-overview.ts)
//   GET /reports/monthly   the monthly KPIs with drill-down rows, as JSON, CSV or XLSX
//   GET /reports/trend     the KPIs of the last 12 months of one scope
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger } from '../../shared/adapters/logger.js';
import { reportCsv } from '../../shared/adapters/spreadsheet/report-sheet.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { badRequest, forbidden, notFound } from '../../shared/http/errors.js';
import { endpoint, json, SECURITY_HEADERS, zodFields, type HttpResult } from '../../shared/http/middleware.js';
import { monthlyQuery, overviewQuery, trendQuery } from '../../shared/http/schemas/reports.js';
import { reportOverview } from '../../shared/usecases/reports-overview.js';
import { monthlyReport, trendReport } from '../../shared/usecases/statistics/monthly-report.js';
import { reportTable } from '../../shared/usecases/statistics/report-table.js';
import type { ScopeDenial } from '../../shared/usecases/statistics/scope.js';
import { reportsDependencies } from './dependencies.js';

const UNKNOWN: Partial<Record<ScopeDenial, { path: string; message: string }>> = {
  unknown_division: { path: 'divisionCode', message: '未知的行政区划代码 (unknown division)' },
  unknown_department: { path: 'department', message: '未知的部门 (unknown department)' },
  unknown_need: { path: 'need', message: '未知的需求类别 (unknown need)' },
};

function refused(route: string, role: string, reason: ScopeDenial): never {
  logger.info('report refused', { route, role, reason });
  const field = UNKNOWN[reason];
  if (field) throw badRequest([{ path: field.path, code: reason, message: field.message }]);
  throw forbidden();
}

function query<S extends z.ZodMiniType>(schema: S, event: APIGatewayProxyEventV2): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw badRequest(zodFields(parsed.error, schema));
  return parsed.data;
}

const download = (body: string | Buffer, contentType: string, filename: string): HttpResult => ({
  statusCode: 200,
  headers: {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    // An ASCII name for old clients, the Chinese one (RFC 6266 / 5987) for the rest: header values must be ASCII.
    'content-disposition': `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '').replace(/^-+/, 'report-')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  },
  ...(typeof body === 'string' ? { body } : { body: body.toString('base64'), isBase64Encoded: true }),
});

export const handler = endpoint(async (event) => {
  const principal = principalOf(event);
  const deps = reportsDependencies();
  switch (event.routeKey) {
    case 'GET /reports/overview': {
      const result = await reportOverview(principal, query(overviewQuery, event), deps);
      if (result.kind === 'denied') refused('overview', principal.role, result.reason);
      logger.info('overview served', { role: principal.role, total: result.overview.total, overdue: result.overview.overdue.count });
      return json(200, result.overview);
    }
    case 'GET /reports/monthly': {
      const { format, ...req } = query(monthlyQuery, event);
      const result = await monthlyReport(principal, req, deps);
      if (result.kind === 'denied') refused('monthly', principal.role, result.reason);
      logger.info('monthly report served', { role: principal.role, month: req.month, format: format ?? 'json', rows: result.report.rows.length });
      if (!format || format === 'json') return json(200, result.report);
      const table = reportTable(result.report, deps.divisions);
      const name = `考核月报-${result.report.scope.divisionCode}-${result.report.month}`;
      if (format === 'csv') return download(reportCsv(table), 'text/csv; charset=utf-8', `${name}.csv`);
      // The workbook writer and its zip library load on the first Excel download, not at every cold start.
      const { reportXlsx } = await import('../../shared/adapters/spreadsheet/report-xlsx.js');
      return download(await reportXlsx(table), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${name}.xlsx`);
    }
    case 'GET /reports/trend': {
      const result = await trendReport(principal, query(trendQuery, event), deps);
      if (result.kind === 'denied') refused('trend', principal.role, result.reason);
      return json(200, result.report);
    }
    default:
      throw notFound('route');
  }
});
