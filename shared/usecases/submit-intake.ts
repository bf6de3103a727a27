// Use case: an intake from any channel becomes a classified, routed case, stored once.
import { createCase, type CaseRecord, type ContactNotice, type IdSource, type NewCase, type OperatorActionCatalogue, type ReferralRecord, type SignForDeadlines } from '../domain/case/case.js';
import { isSafetyRelated, linkContact, raiseForRepeat, type CaseLinks, type ContactLinkRules, type ContactMatch } from '../domain/case/contact-links.js';
import type { Classifier } from '../domain/classification/types.js';
import type { DivisionIndex } from '../domain/divisions/divisions.js';
import type { OpenCaseRetention } from '../domain/lifecycle/retention.js';
import type { CanonicalIntake } from '../domain/intake/schemas.js';
import { NEEDS, type Need } from '../domain/model.js';
import { resolveJurisdiction, route, type RoutingTable } from '../domain/routing/routing.js';
import type { DangerReview } from '../domain/triage/danger-review.js';
import { reviewReasons } from '../domain/triage/danger-review.js';
import type { DangerScreen } from '../domain/triage/danger-screen.js';
import { applyHumanSignals, type EmergencySignalTable } from '../domain/triage/human-signals.js';

export interface CaseStore {
  saveNewCase(created: NewCase, fingerprint: string): Promise<{ outcome: 'created' } | { outcome: 'duplicate'; caseId: string; fingerprint: string }>;
  getCase(caseId: string): Promise<{ case: CaseRecord; referrals: ReferralRecord[]; review?: DangerReview } | null>;
}

/** Her ledger entry and earlier cases, by the keyed hashes of her numbers (never the numbers). */
export interface ContactDirectory {
  /** The contact keys (`phone#<hmac>`, `id#<hmac>`) of her mobile number and of a valid ID number; none for a landline or a wrong ID number. */
  keysOf(numbers: { phone?: string; idNumber?: string }): Promise<string[]>;
  /** Her ledger entry and her `limit` most recent cases under one key, newest first. */
  find(key: string, limit: number): Promise<ContactMatch>;
}

export interface IntakeDependencies {
  classifier: Classifier;
  /** The broad danger screen beside the classifier. */
  screen: DangerScreen;
  /** Needs implied by human signals, and the minutes a danger review may take. */
  signals: EmergencySignalTable;
  routing: RoutingTable;
  divisions: DivisionIndex;
  operatorActions: OperatorActionCatalogue;
  deadlines: SignForDeadlines;
  ids: IdSource;
  now: () => Date;
  store: CaseStore;
  /** Days a case recorded without referral keeps her personal data (CLOSED_CASE_RETENTION_DAYS). */
  retentionDays: number;
  openCaseRetention: OpenCaseRetention;
  /** Raised by the store when a generated case reference is already taken; the use case draws another. */
  isReferenceCollision?: (err: unknown) => boolean;
  /** Linking across channels (data/contact-links.json); without both, no intake is linked. */
  contacts?: ContactDirectory;
  contactLinks?: ContactLinkRules;
  /** Told when her earlier contacts could not be looked up: the intake is recorded all the same, unlinked. */
  onContactLookupFailed?: (err: unknown) => void;
}

/** The intake response of the API, also what a duplicate delivery gets back. */
export interface IntakeReceipt {
  caseId: string;
  reference: string;
  status: CaseRecord['status'];
  needs: string[];
  urgency: string;
  divisionCode: string | null;
  explanation: CaseRecord['classification']['explanation'];
  consent: { shareWithDepartments: boolean; override: boolean };
  referrals: Array<Pick<ReferralRecord, 'referralId' | 'need' | 'department' | 'coDepartments' | 'divisionCode' | 'jurisdiction' | 'status' | 'signForBy' | 'completeBy'>>;
  operatorActions: CaseRecord['operatorActions'];
  /** Present while a person is asked to confirm or dismiss a possible emergency. */
  dangerReview?: { status: DangerReview['status']; dueAt: string };
  /** Her earlier cases (reference, channel, date: never what was said), on the hotlines only (data/contact-links.json tellChannels). */
  linkedCases?: { repeat: boolean; priorCases: CaseLinks['priorCases'] };
}

export type SubmitResult = { kind: 'created'; receipt: IntakeReceipt } | { kind: 'duplicate'; receipt: IntakeReceipt } | { kind: 'conflict'; caseId: string };

/** `tell`: the channel's operator is told about her earlier cases (never the public web form). */
export function receiptOf(c: CaseRecord, referrals: ReferralRecord[], review?: DangerReview, tell = false): IntakeReceipt {
  return {
    caseId: c.caseId,
    reference: c.reference,
    status: c.status,
    needs: c.classification.needs,
    urgency: c.classification.urgency,
    divisionCode: c.classification.divisionCode,
    explanation: c.classification.explanation,
    consent: { shareWithDepartments: c.consent.shareWithDepartments, override: c.consentOverride },
    referrals: [...referrals]
      .sort((a, b) => a.seq - b.seq)
      .map((r) => ({
        referralId: r.referralId,
        need: r.need,
        department: r.department,
        coDepartments: r.coDepartments,
        divisionCode: r.divisionCode,
        jurisdiction: r.jurisdiction,
        status: r.status,
        signForBy: r.signForBy,
        completeBy: r.completeBy,
      })),
    operatorActions: c.operatorActions,
    ...(review?.status === 'pending' ? { dangerReview: { status: review.status, dueAt: review.dueAt } } : {}),
    ...(tell && c.links && c.links.priorCases.length > 0 ? { linkedCases: { repeat: c.links.repeat, priorCases: c.links.priorCases } } : {}),
  };
}

/** Her numbers' keys and what they found (merged); undefined when there is no number to link by, or the lookup failed. */
async function lookUpContact(intake: CanonicalIntake, deps: IntakeDependencies): Promise<{ keys: string[]; match: ContactMatch } | undefined> {
  // A smoke test of a deployment is never linked to anyone.
  const numbers = { phone: intake.person.phone, idNumber: intake.identity?.idNumber };
  if (!deps.contacts || !deps.contactLinks || (!numbers.phone && !numbers.idNumber) || intake.test) return undefined;
  const limit = deps.contactLinks.maxLinkedCases;
  try {
    const keys = await deps.contacts.keysOf(numbers);
    if (keys.length === 0) return undefined;
    const found = await Promise.all(keys.map((k) => deps.contacts!.find(k, limit)));
    // The same case found by her phone and her ID number is one earlier case.
    const prior = new Map(found.flatMap((m) => m.prior).map((p) => [p.caseId, p]));
    const personId = found.find((m) => m.personId)?.personId;
    return { keys, match: { ...(personId ? { personId } : {}), prior: [...prior.values()] } };
  } catch (err) {
    // Linking helps; it never costs her the intake.
    deps.onContactLookupFailed?.(err);
    return undefined;
  }
}

/** The classifier, the people's signals (the highest urgency wins), then the broad screen for what both missed. */
function triage(intake: CanonicalIntake, deps: Pick<IntakeDependencies, 'classifier' | 'signals' | 'screen'>) {
  const machine = deps.classifier.classify({
    channel: intake.channel,
    text: intake.text,
    divisionCode: intake.location.divisionCode ?? null,
    categoryHint: intake.categoryHint ?? null,
  });
  const signalled = applyHumanSignals(machine, intake.signals, deps.signals);
  const screened = deps.screen.screen(intake.text);
  return { signalled, screened, reasons: reviewReasons(signalled, screened, intake.signals.safeNow) };
}

/** Whether an intake would be referred to anyone: a need found or signalled, or a possible emergency to review (a visit with neither is only recorded). */
export function wouldRefer(intake: CanonicalIntake, deps: Pick<IntakeDependencies, 'classifier' | 'signals' | 'screen'>): boolean {
  const { signalled, reasons } = triage(intake, deps);
  return signalled.needs.length > 0 || signalled.urgency === 'emergency' || reasons.length > 0;
}

// Node's, declared here so that the console's type check (DOM types, which read this module's types) knows it.
declare function setImmediate(callback: () => void): unknown;
/** One turn of the event loop: a request started before it is on the wire after it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function submitIntake(intake: CanonicalIntake, fingerprint: string, deps: IntakeDependencies): Promise<SubmitResult> {
  // Her earlier contacts are looked up while the text is classified: the table answers the Query
  // while this process works.
  const lookup = lookUpContact(intake, deps);
  if (deps.contacts && (intake.person.phone || intake.identity)) await nextTurn();
  const { signalled, screened, reasons } = triage(intake, deps);
  const flagged = screened.possibleEmergency ? { ...signalled, explanation: { ...signalled.explanation, screenCues: screened.cues } } : signalled;
  // Her earlier contacts: a second safety-related one within the window is raised (never lowered).
  const found = await lookup;
  let contact: { links?: CaseLinks; keys: string[]; safety: boolean; notice: ContactNotice } | undefined;
  if (found && deps.contactLinks) {
    const safety = isSafetyRelated(flagged, reasons.length > 0, deps.contactLinks);
    const links = linkContact(found.match, deps.now(), safety, deps.contactLinks);
    const told = deps.contactLinks.tellChannels.includes(intake.channel) && !!links && links.priorCaseIds.length > 0;
    contact = { keys: found.keys, safety, ...(links ? { links } : {}), notice: !told ? 'none' : links.repeat ? 'repeat' : 'prior' };
  }
  const classification = contact?.links?.repeat && deps.contactLinks ? raiseForRepeat(flagged, deps.contactLinks) : flagged;
  const review =
    reasons.length > 0
      ? {
          reasons,
          cues: screened.cues,
          impliedNeeds: impliedNeeds(screened.impliedNeeds, reasons.includes('caller_unsure') ? deps.signals.notSafeNow : []),
          reviewMinutes: deps.signals.reviewMinutes,
          divisionCode: resolveJurisdiction(classification.divisionCode, deps.divisions).divisionCode,
        }
      : undefined;
  const tell = deps.contactLinks?.tellChannels.includes(intake.channel) ?? false;
  const routed = route({ needs: classification.needs, divisionCode: classification.divisionCode, text: intake.text }, deps.routing, deps.divisions);
  for (let attempt = 1; ; attempt++) {
    const created = createCase({
      intake,
      classification,
      routed,
      routing: deps.routing,
      actions: deps.operatorActions,
      deadlines: deps.deadlines,
      ids: deps.ids,
      now: deps.now(),
      retentionDays: deps.retentionDays,
      openCaseRetention: deps.openCaseRetention,
      review,
      ...(contact ? { contact } : {}),
    });
    let saved;
    try {
      saved = await deps.store.saveNewCase(created, fingerprint);
    } catch (err) {
      if (attempt < 3 && deps.isReferenceCollision?.(err)) continue;
      throw err;
    }
    if (saved.outcome === 'created') return { kind: 'created', receipt: receiptOf(created.case, created.referrals, created.review, tell) };
    if (saved.fingerprint !== fingerprint) return { kind: 'conflict', caseId: saved.caseId };
    const existing = await deps.store.getCase(saved.caseId);
    if (!existing) throw new Error('idempotency item points to a missing case');
    return { kind: 'duplicate', receipt: receiptOf(existing.case, existing.referrals, existing.review, tell) };
  }
}

/** What a confirmed review adds: the screen cues' needs and, for a caller unsure she is safe, what "not safe" implies. */
const impliedNeeds = (a: readonly Need[], b: readonly Need[]): Need[] => NEEDS.filter((n) => a.includes(n) || b.includes(n));
