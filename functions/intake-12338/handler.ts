// POST /intake/12338: the women's-rights hotline, signed by its call system.
import { from12338, hotline12338Schema } from '../../shared/domain/intake/schemas.js';
import { signedBy } from '../../shared/http/hotline-intake.js';
import { intakeEndpoint } from '../../shared/http/intake-endpoint.js';

export const handler = intakeEndpoint({ channel: '12338', schema: hotline12338Schema, signature: signedBy('12338'), toCanonical: from12338 });
