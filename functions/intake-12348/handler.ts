// POST /intake/12348: the public-legal-service hotline, signed by its ticket system.
import { from12348, hotline12348Schema } from '../../shared/domain/intake/schemas.js';
import { signedBy } from '../../shared/http/hotline-intake.js';
import { intakeEndpoint } from '../../shared/http/intake-endpoint.js';

export const handler = intakeEndpoint({ channel: '12348', schema: hotline12348Schema, signature: signedBy('12348'), toCanonical: from12348 });
