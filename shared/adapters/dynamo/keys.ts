// Key layout of the single table (see docs/architecture.md, "Data").
import type { Urgency } from '../../domain/model.js';

export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
export const referralSk = (seq: number) => `REF#${String(seq).padStart(3, '0')}`;
export const referralKey = (caseId: string, seq: number) => ({ pk: `CASE#${caseId}`, sk: referralSk(seq) });
export const eventSk = (at: string, eventId: string) => `EVT#${at}#${eventId}`;
export const idempotencyKey = (channel: string, externalId: string) => ({ pk: `EXT#${channel}#${externalId}`, sk: 'EXT' });
export const referenceKey = (reference: string) => ({ pk: `CASEREF#${reference}`, sk: 'CASEREF' });

/**
 * The partition of one keyed hash of a phone or ID number (shared/domain/ledger/person-keys.ts): the
 * ledger's key item (sk PERSONKEY, her personId) and a link item per case of that number
 * (sk CASE#<createdAt>#<caseId>), newest last. One Query finds her ledger entry and her earlier cases.
 */
export const personKeyPk = (kind: 'phone' | 'id', hash: string) => `PERSONKEY#${kind}#${hash}`;
export const ledgerKeyItemKey = (kind: 'phone' | 'id', hash: string) => ({ pk: personKeyPk(kind, hash), sk: 'PERSONKEY' });
/** A contact key: the kind of number and its keyed hash, `phone#<hmac>` or `id#<hmac>` (what a case's contactKeys hold). */
export const contactKeyOf = (kind: 'phone' | 'id', hash: string) => `${kind}#${hash}`;
export const contactKeyPk = (contactKey: string) => `PERSONKEY#${contactKey}`;
export const contactLinkKey = (contactKey: string, createdAt: string, caseId: string) => ({ pk: contactKeyPk(contactKey), sk: `CASE#${createdAt}#${caseId}` });

const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Queue index keys: a department's queue in a division, most urgent first, then earliest deadline. */
export function queueKeys(r: { department: string; divisionCode: string; urgency: Urgency; deadline: string; referralId: string }) {
  return {
    queuePk: `Q#${r.department}#${r.divisionCode}`,
    queueSk: `${URGENCY_RANK[r.urgency]}#${r.deadline}#${r.referralId}`,
  };
}

/** Due index keys of a case's purge, once it is over: at closedAt (or, never referred, createdAt) + retention. */
export const purgeDueKeys = (purgeAt: string, caseId: string) => ({ duePk: 'DUE', dueSk: `${purgeAt}#PURGE#${caseId}` });

/** Due index keys of an open case's retention check (see shared/domain/lifecycle/retention.ts). */
export const retentionDueKeys = (at: string, caseId: string) => ({ duePk: 'DUE', dueSk: `${at}#RETAIN#${caseId}` });

/** Due index keys of an exited ledger record's purge (its own partition of the due index). */
export const LEDGER_DUE_PK = 'LEDGERDUE';
export const ledgerPurgeDueKeys = (purgeAt: string, personId: string) => ({ duePk: LEDGER_DUE_PK, dueSk: `${purgeAt}#${personId}` });

/** Due index keys: every open referral by its next deadline, one partition (volumes are thousands, not millions). */
export function dueKeys(r: { deadline: string; referralId: string }) {
  return { duePk: 'DUE', dueSk: `${r.deadline}#${r.referralId}` };
}

/** Deadline index keys of an open referral held to a deadline (see INDEXES.deadline). */
export const deadlineKeys = (deadline: string, referralId: string) => ({ deadlinePk: 'DEADLINE', deadlineSk: `${deadline}#${referralId}` });

/** Partition of a work queue: a department's, a division coordinator's (returned referrals), or a follow-up (回访) queue. */
export function queuePkOf(
  q: { kind: 'department'; department: string; divisionCode: string } | { kind: 'coordinator'; divisionCode: string } | { kind: 'followup'; department: string; divisionCode: string },
): string {
  switch (q.kind) {
    case 'department':
      return `Q#${q.department}#${q.divisionCode}`;
    case 'coordinator':
      return `Q#coordinator#${q.divisionCode}`;
    case 'followup':
      return `Q#followup#${q.department}#${q.divisionCode}`;
  }
}

/** Queue sort key: most urgent first, then earliest deadline (the same layout as queueKeys). */
export const queueSkOf = (urgency: Urgency, deadline: string, referralId: string) => `${URGENCY_RANK[urgency]}#${deadline}#${referralId}`;

/** Audit events that belong to no case (e.g. a refused queue listing), one partition per China day. */
export const auditPk = (at: string) => `AUDIT#${new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10)}`;

/** A case's danger review: one item beside the case, while pending in the due index at its next escalation. */
export const reviewKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'REVIEW' });
export const reviewDueKeys = (at: string, caseId: string) => ({ duePk: 'DUE', dueSk: `${at}#REVIEW#${caseId}` });
/** Pending reviews of the whole province in one queue partition, by decision deadline (they are few at any time). */
export const reviewQueueKeys = (dueAt: string, caseId: string) => ({ queuePk: 'Q#review', queueSk: `${dueAt}#${caseId}` });

/** A review as stored: in the due index at its next escalation, in the review queue while pending. */
export function reviewItem(review: { caseId: string; status: string; dueAt: string }, nextDueAt: string | null) {
  return {
    ...reviewKey(review.caseId),
    entity: 'review',
    ...review,
    ...(nextDueAt ? reviewDueKeys(nextDueAt, review.caseId) : {}),
    ...(review.status === 'pending' ? reviewQueueKeys(review.dueAt, review.caseId) : {}),
  };
}

/** Corrections of a month, for the export: codes only, the text stays on its case (and goes with its purge). */
export const correctionKey = (c: { at: string; caseId: string; eventId: string }) => ({ pk: `CORRECTION#${c.at.slice(0, 7)}`, sk: `${c.at}#${c.caseId}#${c.eventId}` });
