// Query of GET /reports/overview (the OpenAPI document is generated from it too).
import { z } from 'zod';

export const overviewQuery = z.object({
  divisionCode: z.string().regex(/^\d{6}$/, '须为六位行政区划代码 (a six-digit GB/T 2260 code)').optional(),
  department: z.string().regex(/^[a-z_]{2,40}$/, '须为部门代码 (a department code)').optional(),
});
