// A woman's record in the county ledger as kept, and how it changes. Pure. Her ID number is never
// kept: only the last four characters (to read back to her) and, with the store's key items, a keyed
// hash. Her phone number is kept for the officers who call on her; the store keeps it out of every
// index.
import type { Registration } from './registration.js';
import { checkIdNumber } from './id-number.js';
import { normalizeMobile } from '../mobile-numbers.js';

export const LEDGER_STATUSES = ['active', 'exited'] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** Why she leaves the ledger. */
export const EXIT_REASONS = ['husband_returned', 'moved_away', 'deceased', 'other'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];
export const EXIT_REASON_LABELS: Record<ExitReason, string> = { husband_returned: '丈夫返乡', moved_away: '迁出本地', deceased: '去世', other: '其他' };

/** Who made a change: an id and a role, never a name. */
export interface LedgerActor {
  id: string;
  role: string;
}

export interface LedgerEntry extends Omit<Registration, 'idNumber' | 'phone'> {
  personId: string;
  version: number;
  status: LedgerStatus;
  /** E.164 (+86…). */
  phone: string;
  idLast4?: string;
  registeredAt: string;
  registeredBy: LedgerActor;
  updatedAt: string;
  updatedBy: LedgerActor;
  exit?: { reason: ExitReason; at: string; by: LedgerActor };
  /** When an exited record's personal data is deleted (the retention period after her exit). */
  purgeAt?: string;
  /** Her latest visit (走访). */
  lastVisitedAt?: string;
  /** When she is due her next visit (data/visit-cycles.json); overdue ones are in the township officer's queue. */
  nextVisitDue?: string;
}

/** The registration as it is kept: phone normalised, ID number reduced to its last four. The registration must have passed registrationProblems. */
export function recordOf(r: Registration, today: Date): Omit<LedgerEntry, 'personId' | 'version' | 'status' | 'registeredAt' | 'registeredBy' | 'updatedAt' | 'updatedBy'> {
  const { idNumber, phone, ...rest } = r;
  const id = idNumber ? checkIdNumber(idNumber, today) : undefined;
  return { ...rest, phone: normalizeMobile(phone) ?? phone, ...(id?.ok ? { idLast4: id.last4 } : {}) };
}

/** The fields whose values differ between two versions: what an audit event names (never the values). */
export function changedFields(before: LedgerEntry, after: LedgerEntry): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  // What the officer changed: not the bookkeeping, nor the visit date that follows from her focus markers.
  const skip = new Set(['version', 'updatedAt', 'updatedBy', 'nextVisitDue']);
  return [...keys].filter((k) => !skip.has(k) && JSON.stringify(before[k as keyof LedgerEntry]) !== JSON.stringify(after[k as keyof LedgerEntry])).sort();
}

/**
 * What is left of her record once an exited record's retention has ended (PIPL art. 19, 47): the facts
 * a county's history needs (her county and township, her focus markers, when she was registered and
 * left, and why) and nothing that names or finds her. The store also drops her contact item and her
 * visits' notes at once, and hands every item of her record to TTL.
 */
export const PURGED_LEDGER_FIELDS = [
  'name',
  'idLast4',
  'village',
  'birthYear',
  'husbandAway',
  'household',
  'legalBasis',
  'lastVisitedAt',
  'nextVisitDue',
] as const satisfies readonly (keyof LedgerEntry)[];
