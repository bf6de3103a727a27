// GET /cases/{caseId}: a case with its referrals and audit events, for those allowed to see it.
import { canViewCase } from '../../shared/domain/access/case-access.js';
import { caseRepository } from '../../shared/config/intake.js';
import { principalOf } from '../../shared/http/auth/principal.js';
import { forbidden, notFound } from '../../shared/http/errors.js';
import { endpoint, json } from '../../shared/http/middleware.js';

const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const handler = endpoint(async (event) => {
  const principal = principalOf(event);
  const caseId = event.pathParameters?.caseId ?? '';
  if (!CASE_ID.test(caseId)) throw notFound('case');
  const view = await caseRepository().getCase(caseId);
  if (!view) throw notFound('case');
  if (!canViewCase(principal, view.referrals)) throw forbidden();
  return json(200, view);
});
