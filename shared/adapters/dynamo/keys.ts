// Key layout of the single table (see ../shared/ARCHITECTURE.md, "Data").
import type { Urgency } from '../../domain/model.js';

export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
export const referralSk = (seq: number) => `REF#${String(seq).padStart(3, '0')}`;
export const referralKey = (caseId: string, seq: number) => ({ pk: `CASE#${caseId}`, sk: referralSk(seq) });
export const eventSk = (at: string, eventId: string) => `EVT#${at}#${eventId}`;
export const idempotencyKey = (channel: string, externalId: string) => ({ pk: `EXT#${channel}#${externalId}`, sk: 'EXT' });
export const referenceKey = (reference: string) => ({ pk: `CASEREF#${reference}`, sk: 'CASEREF' });

const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Queue index keys: a department's queue in a division, most urgent first, then earliest deadline. */
export function queueKeys(r: { department: string; divisionCode: string; urgency: Urgency; deadline: string; referralId: string }) {
  return {
    queuePk: `Q#${r.department}#${r.divisionCode}`,
    queueSk: `${URGENCY_RANK[r.urgency]}#${r.deadline}#${r.referralId}`,
  };
}

/** Due index keys: every open referral by its next deadline, one partition (volumes are thousands, not millions). */
export function dueKeys(r: { deadline: string; referralId: string }) {
  return { duePk: 'DUE', dueSk: `${r.deadline}#${r.referralId}` };
}
