// Whose figures a caller may see, for the overview and the monthly reports alike. Pure.
//
// A caseworker or supervisor sees her department in her division; a coordinator her division and
// the divisions inside it; the provincial coordinator and admins the whole province. Each may narrow
// her scope (?divisionCode=, ?department=, ?need=) but never widen it.
import type { Actor } from '../../domain/access/policy.js';
import { divisionWithin, isProvincial } from '../../domain/access/policy.js';
import { MANUAL_TRIAGE, NEEDS, PROVINCE_CODE, RECEIVING_DEPARTMENTS } from '../../domain/model.js';

export const REPORTED_NEEDS: readonly string[] = [...NEEDS, MANUAL_TRIAGE];

export interface ScopeRequest {
  divisionCode?: string;
  department?: string;
  need?: string;
}

export interface Scope {
  /** The division whose subtree is counted. */
  divisionCode: string;
  department: string | null;
  need: string | null;
  /** The whole province, unnarrowed. */
  all: boolean;
  keep: (r: { divisionCode: string; department: string; need?: string }) => boolean;
}

export type ScopeDenial = 'incomplete_token' | 'outside_scope' | 'unknown_division' | 'unknown_department' | 'unknown_need';
export type ScopeDecision = ({ allowed: true } & Scope) | { allowed: false; reason: ScopeDenial };

export function statisticsScope(actor: Actor, req: ScopeRequest, divisionCodes: readonly string[]): ScopeDecision {
  if (req.divisionCode !== undefined && !divisionCodes.includes(req.divisionCode)) return { allowed: false, reason: 'unknown_division' };
  if (req.department !== undefined && !(RECEIVING_DEPARTMENTS as readonly string[]).includes(req.department)) return { allowed: false, reason: 'unknown_department' };
  if (req.need !== undefined && !REPORTED_NEEDS.includes(req.need)) return { allowed: false, reason: 'unknown_need' };
  const need = req.need ?? null;
  const keepNeed = (r: { need?: string }) => need === null || r.need === need;
  if (actor.role === 'caseworker' || actor.role === 'supervisor') {
    const { department, divisionCode } = actor;
    if (!department || !divisionCode) return { allowed: false, reason: 'incomplete_token' };
    if ((req.department ?? department) !== department || (req.divisionCode ?? divisionCode) !== divisionCode) return { allowed: false, reason: 'outside_scope' };
    return { allowed: true, divisionCode, department, need, all: false, keep: (r) => r.department === department && r.divisionCode === divisionCode && keepNeed(r) };
  }
  const home = isProvincial(actor) ? PROVINCE_CODE : actor.divisionCode;
  if (!home) return { allowed: false, reason: 'incomplete_token' };
  const root = req.divisionCode ?? home;
  if (!divisionWithin(root, home)) return { allowed: false, reason: 'outside_scope' };
  const department = req.department ?? null;
  return {
    allowed: true,
    divisionCode: root,
    department,
    need,
    all: isProvincial(actor) && !req.divisionCode && !req.department && !req.need,
    keep: (r) => divisionWithin(r.divisionCode, root) && (department === null || r.department === department) && keepNeed(r),
  };
}

/** The division one level below `root` that holds `code` (a prefecture of the province, a county of a prefecture); root itself for its own referrals. */
export function childDivisionOf(root: string, code: string): string {
  if (root.endsWith('0000')) return code.endsWith('0000') ? code : `${code.slice(0, 4)}00`;
  return code;
}
