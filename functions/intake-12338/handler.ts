// POST /intake/12338: the women's-rights hotline, signed by its call system.
import { from12338, hotline12338Schema } from '../../shared/domain/intake/schemas.js';
import { intakeEndpoint } from '../../shared/http/intake-endpoint.js';

export const handler = intakeEndpoint({ channel: '12338', schema: hotline12338Schema, signed: true, toCanonical: from12338 });
