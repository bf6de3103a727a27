// GET /openapi.json: the integrator contract, built once per process from the route table and the
// schemas the handlers validate with (shared/http/openapi.ts). Public: it holds no data.
import { endpoint, json } from '../../shared/http/middleware.js';
import { openApiDocument } from '../../shared/http/openapi.js';

let document: Record<string, unknown> | undefined;

export const handler = endpoint(async () => json(200, (document ??= openApiDocument())));
