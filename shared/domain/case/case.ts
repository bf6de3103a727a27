// The case aggregate as the intake creates it: the case, one referral per routed need, and the
// `created` audit event. Pure: clock, ids and deadlines are passed in.
import type { Classification } from '../classification/types.js';
import type { CaseLinks } from './contact-links.js';
import type { CanonicalIntake } from '../intake/schemas.js';
import type { Need, Urgency } from '../model.js';
import { purgeAtOf, REMOVED_CASE_FIELDS, retentionCheckAtOf, type OpenCaseRetention } from '../lifecycle/retention.js';
import type { RoutedReferral, RoutingTable } from '../routing/routing.js';
import { cueIds, newReview, type DangerReview, type ReviewReason } from '../triage/danger-review.js';

export const CASE_STATUSES = ['open', 'not_referred', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A referral's statuses, defined once. `cancelled`: withdrawn by a reclassification (the need was removed); out of every queue, like closed. */
export const REFERRAL_STATUSES = ['referred', 'accepted', 'returned', 'resolved', 'closed', 'reopened', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** The statuses of open work (everything but closed and cancelled), in the order reports show them. */
export const OPEN_STATUSES = ['referred', 'accepted', 'reopened', 'returned', 'resolved'] as const satisfies readonly ReferralStatus[];

export interface OperatorAction {
  code: string;
  text: string;
}

export interface CaseRecord {
  caseId: string;
  reference: string;
  channel: CanonicalIntake['channel'];
  externalId: string;
  receivedAt: string;
  createdAt: string;
  operatorId?: string;
  text: string;
  categoryHint?: string;
  person: CanonicalIntake['person'];
  location: CanonicalIntake['location'];
  contact: CanonicalIntake['contact'];
  consent: CanonicalIntake['consent'];
  classification: Classification;
  /** Referred for an emergency although she did not consent to sharing. */
  consentOverride: boolean;
  status: CaseStatus;
  operatorActions: OperatorAction[];
  referralCount: number;
  /** When a case that is over (here: recorded without referral) has its personal data purged. */
  purgeAt?: string;
  /** An open case: when the scheduled run next checks how long it has been without activity (retention). */
  retentionCheckAt?: string;
  /** An open case whose personal data the retention of open cases purged (it stays open for the work). */
  personalDataPurgedAt?: string;
  reopenedAt?: string;
  /** Raised by every change of the classification after intake (optimistic concurrency). */
  revision?: number;
  /** A smoke test of a deployment (npm run smoke): nobody is texted about it. */
  test?: true;
  /** Her ledger entry and earlier cases, found by the keyed hash of her phone number (shared/domain/case/contact-links.ts). */
  links?: CaseLinks;
  /** The contact keys (`phone#<hmac>`, `id#<hmac>`) this case is linked under (its link items' partitions): how the purge finds them. Never a number. */
  contactKeys?: string[];
}

/** A case as read back: once the retention purged her personal data, her words and details are gone. */
export type StoredCase = Omit<CaseRecord, (typeof REMOVED_CASE_FIELDS)[number]> & Partial<Pick<CaseRecord, (typeof REMOVED_CASE_FIELDS)[number]>>;

export interface ReferralRecord extends RoutedReferral {
  referralId: string;
  caseId: string;
  reference: string;
  /** Where the intake came from: what the notifier may bound (a public web post) and what it never bounds (a hotline). */
  channel?: CanonicalIntake['channel'];
  /** A smoke test of a deployment: published to the topic like any referral, texted to nobody. */
  test?: true;
  seq: number;
  urgency: Urgency;
  status: ReferralStatus;
  referredAt: string;
  signForBy: string;
  /** The completion clock starts on acceptance (签收): null until then. */
  completeBy: string | null;
  consentOverride: boolean;
  version: number;
}

export interface CaseEvent {
  caseId: string;
  eventId: string;
  at: string;
  type: string;
  actor: { id: string; role: string };
  referralId?: string;
  details: Record<string, unknown>;
}

export interface NewCase {
  case: CaseRecord;
  /** The link item that lets later contacts of the same number find this case (written with it). */
  contactLink?: { keys: string[]; safety: boolean };
  referrals: ReferralRecord[];
  events: CaseEvent[];
  /** A danger review a person must decide within minutes (the screen flagged what the classifier did not call an emergency). */
  review?: DangerReview;
}

export interface IdSource {
  caseId(): string;
  eventId(): string;
  /** A short human reference for SMS and phone calls, e.g. 261129-7K3QXA. */
  reference(now: Date): string;
}

export interface SignForDeadlines {
  signForBy(referredAt: Date, urgency: Urgency): Date;
}

export interface OperatorActionCatalogue {
  emergency: Partial<Record<Need | 'any', OperatorAction[]>>;
  consentWithheld: OperatorAction[];
  consentOverride: OperatorAction[];
  noNeed: OperatorAction[];
  /** A danger review is pending: what the operator does meanwhile. */
  reviewPending?: OperatorAction[];
  /** She contacted about her safety before, within the window (a repeat): told on the hotlines only. */
  repeatContact?: OperatorAction[];
  /** Her number has earlier cases (not a repeat): told on the hotlines only. */
  priorContact?: OperatorAction[];
}

/** What the operator is told about her earlier contacts: nothing (the web form), earlier cases, or a repeat. */
export type ContactNotice = 'none' | 'prior' | 'repeat';

export function referralIdOf(caseId: string, seq: number): string {
  return `${caseId}-${seq}`;
}

export function parseReferralId(referralId: string): { caseId: string; seq: number } | null {
  const m = /^([0-9A-HJKMNP-TV-Z]{26})-(\d{1,3})$/.exec(referralId);
  return m ? { caseId: m[1]!, seq: Number(m[2]) } : null;
}

/** Which routed referrals are sent, given consent: all with consent; an emergency's override needs without it. */
export function referralsToSend(routed: RoutedReferral[], consent: boolean, urgency: Urgency, table: Pick<RoutingTable, 'consentOverrideNeeds'>): { send: RoutedReferral[]; override: boolean } {
  if (consent) return { send: routed, override: false };
  if (urgency !== 'emergency') return { send: [], override: false };
  const urgentOnes = routed.filter((r) => (table.consentOverrideNeeds as string[]).includes(r.need));
  return { send: urgentOnes.length > 0 ? urgentOnes : routed, override: true };
}

export function operatorActionsFor(
  classification: Classification,
  sent: { count: number; override: boolean },
  consent: boolean,
  catalogue: OperatorActionCatalogue,
  reviewPending = false,
  contact: ContactNotice = 'none',
): OperatorAction[] {
  const actions: OperatorAction[] = [];
  if (classification.urgency === 'emergency') {
    actions.push(...(catalogue.emergency.any ?? []));
    for (const need of classification.needs) actions.push(...(catalogue.emergency[need] ?? []));
  } else if (reviewPending) {
    actions.push(...(catalogue.reviewPending ?? []));
  }
  if (contact === 'repeat') actions.push(...(catalogue.repeatContact ?? []));
  else if (contact === 'prior') actions.push(...(catalogue.priorContact ?? []));
  if (sent.override) actions.push(...catalogue.consentOverride);
  else if (!consent) actions.push(...catalogue.consentWithheld);
  if (classification.needs.length === 0 && sent.count > 0) actions.push(...catalogue.noNeed);
  const seen = new Set<string>();
  return actions.filter((a) => !seen.has(a.code) && seen.add(a.code));
}

export function createCase(args: {
  intake: CanonicalIntake;
  classification: Classification;
  routed: RoutedReferral[];
  routing: Pick<RoutingTable, 'consentOverrideNeeds'>;
  actions: OperatorActionCatalogue;
  deadlines: SignForDeadlines;
  ids: IdSource;
  now: Date;
  /** Days a case recorded without referral keeps her data; it is over at once, like a closed case. */
  retentionDays: number;
  /** How long an open case without activity keeps her data (data/retention.json). */
  openCaseRetention: OpenCaseRetention;
  /** Ask a person to confirm or dismiss a possible emergency (see shared/domain/triage/danger-review.ts). */
  review?: { reasons: ReviewReason[]; cues: string[]; impliedNeeds: Need[]; reviewMinutes: number; divisionCode: string };
  /** Her ledger entry and earlier cases, the keyed hash they were found under, and what the operator is told of them. */
  contact?: { links?: CaseLinks; keys: string[]; safety: boolean; notice: ContactNotice };
}): NewCase {
  const { intake, classification, now, ids } = args;
  const consent = intake.consent.shareWithDepartments;
  const { send, override } = referralsToSend(args.routed, consent, classification.urgency, args.routing);
  const caseId = ids.caseId();
  const reference = ids.reference(now);
  const at = now.toISOString();
  const referrals: ReferralRecord[] = send.map((r, i) => ({
    ...r,
    referralId: referralIdOf(caseId, i + 1),
    caseId,
    reference,
    channel: intake.channel,
    seq: i + 1,
    urgency: classification.urgency,
    status: 'referred',
    referredAt: at,
    signForBy: args.deadlines.signForBy(now, classification.urgency).toISOString(),
    completeBy: null,
    consentOverride: override,
    version: 1,
    ...(intake.test ? { test: true as const } : {}),
  }));
  const record: CaseRecord = {
    caseId,
    reference,
    channel: intake.channel,
    externalId: intake.externalId,
    receivedAt: intake.receivedAt,
    createdAt: at,
    operatorId: intake.operatorId,
    text: intake.text,
    categoryHint: intake.categoryHint,
    person: intake.person,
    location: intake.location,
    contact: intake.contact,
    consent: intake.consent,
    classification,
    consentOverride: override,
    status: referrals.length > 0 ? 'open' : 'not_referred',
    operatorActions: operatorActionsFor(classification, { count: referrals.length, override }, consent, args.actions, !!args.review, args.contact?.notice),
    referralCount: referrals.length,
    ...(intake.test ? { test: true as const } : {}),
    ...(args.contact ? { contactKeys: args.contact.keys, ...(args.contact.links ? { links: args.contact.links } : {}) } : {}),
    ...(referrals.length === 0 ? { purgeAt: purgeAtOf(at, args.retentionDays) } : { retentionCheckAt: retentionCheckAtOf(at, args.openCaseRetention) }),
  };
  // Who made the case: the hotline operator, the ledger officer who visited her, or the channel itself.
  const actor = { id: intake.operatorId ?? `channel:${intake.channel}`, role: intake.operatorId ? (intake.operatorRole ?? 'operator') : 'channel' };
  const events: CaseEvent[] = [
    {
      caseId,
      eventId: ids.eventId(),
      at,
      type: 'case_created',
      actor,
      details: {
        channel: intake.channel,
        needs: classification.needs,
        urgency: classification.urgency,
        divisionCode: classification.divisionCode,
        referralIds: referrals.map((r) => r.referralId),
        consent,
        // Ids and counts only: the link says who she may be, never her number.
        ...(args.contact?.links
          ? {
              priorCases: args.contact.links.priorCaseIds.length,
              repeat: args.contact.links.repeat,
              ...(args.contact.links.repeatOf ? { repeatOf: args.contact.links.repeatOf } : {}),
              inLedger: !!args.contact.links.personId,
            }
          : {}),
      },
    },
  ];
  if (override) {
    events.push({
      caseId,
      eventId: ids.eventId(),
      at,
      type: 'consent_overridden',
      actor,
      details: { reason: 'emergency', referredNeeds: referrals.map((r) => r.need) },
    });
  }
  let review: DangerReview | undefined;
  if (args.review && args.review.reasons.length > 0) {
    review = newReview({ caseId, reference, ...args.review, now, channel: intake.channel });
    events.push({
      caseId,
      eventId: ids.eventId(),
      at,
      type: 'danger_review_requested',
      actor,
      // Cue ids only in the audit trail: the cue's words are fragments of her story.
      details: { reasons: review.reasons, cues: cueIds(review.cues), dueAt: review.dueAt, divisionCode: review.divisionCode },
    });
  }
  return { case: record, referrals, events, ...(review ? { review } : {}), ...(args.contact ? { contactLink: { keys: args.contact.keys, safety: args.contact.safety } } : {}) };
}
