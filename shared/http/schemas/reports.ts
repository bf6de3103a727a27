// Queries of the /reports routes (the OpenAPI document is generated from them too).
import * as z from 'zod/mini';
import '../../domain/validation/messages.js';

const divisionCode = z.optional(z.string().check(z.regex(/^\d{6}$/, '须为六位行政区划代码 (a six-digit GB/T 2260 code)')));
const department = z.optional(z.string().check(z.regex(/^[a-z_]{2,40}$/, '须为部门代码 (a department code)')));
const need = z.optional(z.string().check(z.regex(/^[a-z_]{2,40}$/, '须为需求代码 (a need code)')));
const month = z.string().check(z.regex(/^(20\d{2})-(0[1-9]|1[0-2])$/, '须为 YYYY-MM 格式的月份 (a month, YYYY-MM)'));

export const overviewQuery = z.object({ divisionCode, department });

export const monthlyQuery = z.object({
  month,
  divisionCode,
  department,
  need,
  by: z.optional(z.enum(['division', 'department', 'need'], { message: '须为 division、department 或 need (rows by division, department or need)' })),
  format: z.optional(z.enum(['json', 'csv', 'xlsx'], { message: '须为 json、csv 或 xlsx (json, csv or xlsx)' })),
});

export const trendQuery = z.object({ month, divisionCode, department, need });
