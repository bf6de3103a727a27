// GET /cases/{caseId}: a case with its referrals and audit events, for those allowed to see it.
// Every read is recorded as a `case_viewed` event, every refusal as `access_denied`.
import { referralDependencies } from '../../shared/config/referrals.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { notFound } from '../../shared/http/errors.js';
import { endpoint, json } from '../../shared/http/middleware.js';
import { AccessDeniedError, ReferralNotFoundError, viewCase } from '../../shared/usecases/referrals/index.js';

const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const handler = endpoint(async (event) => {
  const principal = principalOf(event);
  const caseId = event.pathParameters?.caseId ?? '';
  if (!CASE_ID.test(caseId)) throw notFound('case');
  try {
    return json(200, await viewCase(referralDependencies(), principal, caseId));
  } catch (err) {
    if (err instanceof ReferralNotFoundError) throw notFound('case');
    // Out of her sight is the same answer as not there (the refusal is recorded all the same).
    if (err instanceof AccessDeniedError) throw notFound('case');
    throw err;
  }
});
