// The vocabulary of the platform, shared by every domain module. Pure TypeScript: no AWS here.

/** Where a case comes from: the two hotlines, the public web form, and a ledger officer's visit (走访, docs/ledger.md). */
export const CHANNELS = ['12338', '12348', 'web', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The seven need codes of the taxonomy (docs/taxonomy.md). */
export const NEEDS = ['legal_aid', 'psychological_support', 'health_screening', 'social_assistance', 'safety_protection', 'employment_training', 'family_education'] as const;
export type Need = (typeof NEEDS)[number];

export const URGENCIES = ['emergency', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** Higher is more pressing: what "the highest urgency wins" compares. */
export const urgencyRank = (u: Urgency): number => (u === 'emergency' ? 2 : u === 'urgent' ? 1 : 0);

/** The thirteen departments of the provincial plan (finance funds services, receives no referrals). */
export const DEPARTMENTS = [
  'civil_affairs',
  'public_security',
  'justice',
  'finance',
  'hrss',
  'agriculture',
  'culture_tourism',
  'health',
  'sports',
  'rural_revitalization',
  'wccw',
  'womens_federation',
  'disabled_federation',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** A referral with no recognisable need goes to this pseudo-department's queue for a person to triage. */
export const MANUAL_TRIAGE = 'manual_triage' as const;
export type ReferralNeed = Need | typeof MANUAL_TRIAGE;
export type ReferralDepartment = Department | typeof MANUAL_TRIAGE;

/** The departments that receive referrals (finance funds services and receives none) and the manual-triage queue: defined once. */
export const RECEIVING_DEPARTMENTS: readonly ReferralDepartment[] = [...DEPARTMENTS.filter((d) => d !== 'finance'), MANUAL_TRIAGE];

/** Province code: the provincial triage queue when no division is known. */
export const PROVINCE_CODE = '220000';

/**
 * Staff roles (the identity provider's `role` claim): caseworkers and supervisors of a department in a
 * division, coordinators of a division, administrators, and the ledger officers who keep the county
 * ledger of left-behind women (信息台账) of their division.
 */
export const ROLES = ['caseworker', 'supervisor', 'coordinator', 'admin', 'ledger_officer'] as const;
export type ActorRole = (typeof ROLES)[number];

/** Risks an operator can flag on a hotline intake; any of them makes the case an emergency. */
export const RISKS = ['violence_now', 'threat_to_kill', 'weapon', 'suicide_risk', 'child_in_danger', 'medical_emergency', 'held_captive', 'call_cut_off'] as const;
export type Risk = (typeof RISKS)[number];

/** The web form's "are you safe now?" answer. */
export const SAFE_NOW = ['yes', 'no', 'unsure'] as const;
export type SafeNow = (typeof SAFE_NOW)[number];

/** Who decided a case's urgency: the highest signal wins and none can lower another. */
/** `repeat_contact`: a second safety-related contact within the window (data/contact-links.json) raised it. */
export const URGENCY_SOURCES = ['classifier', 'operator', 'caller', 'review', 'staff', 'repeat_contact'] as const;
export type UrgencySource = (typeof URGENCY_SOURCES)[number];
