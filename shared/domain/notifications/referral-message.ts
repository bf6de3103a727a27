// The message published to the `referrals` SNS topic, one per referral (and again when it is
// re-routed). Department queues subscribe with filter policies on the attributes. Pure. The body is
// built field by field from the referral, so nothing personal can slip in: no name, phone, address
// or narrative exists on a referral, and only these fields are copied.
import type { ReferralSnapshot } from './referral-change.js';

/** referral_raised: its urgency rose to emergency (a confirmed danger review, a reclassification). */
export type ReferralMessageType = 'referral_created' | 'referral_rerouted' | 'referral_raised';

export interface ReferralMessageBody {
  type: ReferralMessageType;
  reference: string;
  referralId: string;
  caseId: string;
  need: string;
  department: string;
  coDepartments: string[];
  divisionCode: string;
  urgency: string;
  signForBy: string;
  completeBy: string | null;
  /** Path of the case in the API (GET, staff token): integrators prefix their API base URL. */
  casePath: string;
  /** Present on a deployment's smoke test (npm run smoke): consumers ignore it; the smoke test removes it. */
  test?: true;
}

export interface ReferralMessage {
  body: ReferralMessageBody;
  /** SNS message attributes (String): what the queues' filter policies match on. */
  attributes: { department: string; divisionCode: string; need: string; urgency: string };
}

export function referralMessage(r: ReferralSnapshot, type: ReferralMessageType): ReferralMessage {
  return {
    body: {
      type,
      reference: r.reference,
      referralId: r.referralId,
      caseId: r.caseId,
      need: r.need,
      department: r.department,
      coDepartments: [...r.coDepartments],
      divisionCode: r.divisionCode,
      urgency: r.urgency,
      signForBy: r.signForBy,
      completeBy: r.completeBy ?? null,
      casePath: `/cases/${r.caseId}`,
      ...(r.test ? { test: true as const } : {}),
    },
    attributes: { department: r.department, divisionCode: r.divisionCode, need: r.need, urgency: r.urgency },
  };
}
