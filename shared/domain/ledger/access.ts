// Who may do what with the county ledger (信息台账). Pure: the caller passes the actor (from the
// verified token) and the division of the record or of the list asked for. "In division": the
// record's county is the actor's division or lies inside it (GB/T 2260 codes are hierarchical), so a
// provincial officer (220000) covers the province.
//
// | action   | ledger officer | civil affairs, women's federation (caseworker, supervisor) | admin | anyone else |
// |----------|----------------|--------------------------------------------------------------|-------|-------------|
// | register | in division    | –                                                            | –     | –           |
// | read     | in division    | in division                                                  | –     | –           |
// | update   | in division    | –                                                            | –     | –           |
// | exit     | in division    | –                                                            | –     | –           |
// | visit    | in division    | –                                                            | –     | –           |
// | count    | in division    | in division                                                  | all   | –           |
//
// Counts (by township and focus marker) name nobody: administrators, who read the province's
// reports, see them everywhere.
// Measure (二十三) puts the ledger with civil affairs (lead) and the women's federation; the other
// departments work with a woman through referrals, not through the ledger. Anything else is denied;
// the caller answers 403 (404 for one record, so as not to say she is in the ledger) and records it.
import { divisionWithin, type Actor, type Decision } from '../access/policy.js';

export const LEDGER_ACTIONS = ['register', 'read', 'update', 'exit', 'visit', 'count'] as const;
export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

/** The departments whose caseworkers and supervisors read the ledger of their division. */
export const LEDGER_READER_DEPARTMENTS: readonly string[] = ['civil_affairs', 'womens_federation'];

export function authorizeLedger(actor: Actor, action: LedgerAction, scope: { divisionCode: string }): Decision {
  if (action === 'count' && actor.role === 'admin') return { allowed: true };
  const reader = (actor.role === 'caseworker' || actor.role === 'supervisor') && actor.department !== null && LEDGER_READER_DEPARTMENTS.includes(actor.department);
  const permitted = actor.role === 'ledger_officer' || (reader && (action === 'read' || action === 'count'));
  if (!permitted) return { allowed: false, reason: 'role_not_permitted' };
  if (actor.divisionCode === null || !divisionWithin(scope.divisionCode, actor.divisionCode)) return { allowed: false, reason: 'outside_division' };
  return { allowed: true };
}
