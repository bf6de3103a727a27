// Who may see a case: the caseworkers and supervisors of a department it is referred to, in that
// referral's division; the coordinators of a division it is referred to; provincial coordinators
// and admins see all.
import { PROVINCE_CODE } from '../model.js';

export interface Actor {
  role: 'caseworker' | 'supervisor' | 'coordinator' | 'admin';
  department: string | null;
  divisionCode: string | null;
}

export interface ReferralScope {
  department: string;
  divisionCode: string;
}

export const isProvincial = (a: Actor) => a.role === 'admin' || (a.role === 'coordinator' && a.divisionCode === PROVINCE_CODE);

export function canViewCase(actor: Actor, referrals: readonly ReferralScope[]): boolean {
  if (isProvincial(actor)) return true;
  if (actor.role === 'coordinator') return referrals.some((r) => r.divisionCode === actor.divisionCode);
  return referrals.some((r) => r.department === actor.department && r.divisionCode === actor.divisionCode);
}
