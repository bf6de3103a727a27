// POST /intake/web: the public web form; no signature, retried safely by its clientRequestId.
import { fromWeb, webIntakeSchema } from '../../shared/domain/intake/schemas.js';
import { intakeEndpoint } from '../../shared/http/intake-endpoint.js';

export const handler = intakeEndpoint({ channel: 'web', schema: webIntakeSchema, toCanonical: fromWeb });
