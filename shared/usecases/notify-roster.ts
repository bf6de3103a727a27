// Use case: an administrator reads or replaces the duty roster of one department × division.
// Only admins; a replacement names the version it replaces, so two administrators editing at once
// cannot overwrite each other (the second gets a conflict and reloads).
import type { DivisionIndex } from '../domain/divisions/divisions.js';
import { isRosterDepartment, type Roster, type RosterBody, type RosterScope } from '../domain/roster/roster.js';

export type RosterWriteResult = { outcome: 'saved'; roster: Roster } | { outcome: 'conflict'; currentVersion: number };

/** A read of a roster (staff phone numbers) or a refused attempt, for the audit trail: who, when, which roster. */
export interface RosterAccess {
  type: 'roster_viewed' | 'access_denied';
  actor: { id: string; role: string };
  /** Null when the path named no valid roster. */
  scope: RosterScope | null;
  eventId: string;
  at: string;
}

export interface RosterStore {
  get(scope: RosterScope): Promise<Roster | null>;
  /** Records a read or a refusal in the day's audit partition. */
  recordAccess(access: RosterAccess): Promise<void>;
  put(scope: RosterScope, body: RosterBody, expectedVersion: number, actor: { id: string; role: string }, eventId: string, now: Date): Promise<RosterWriteResult>;
}

export interface RosterAdminDependencies {
  store: RosterStore;
  divisions: DivisionIndex;
  eventId: () => string;
  now: () => Date;
}

export interface RosterActor {
  subject: string;
  role: string;
}

export type RosterAdminResult =
  | { kind: 'forbidden' }
  | { kind: 'invalid_scope'; fields: { path: string; message: string }[] }
  | { kind: 'not_found' }
  | { kind: 'conflict'; currentVersion: number }
  | { kind: 'ok'; roster: Roster };

/** Which roster the path names; field problems for anything unknown. */
export function rosterScopeOf(department: string, divisionCode: string, divisions: DivisionIndex): RosterScope | { path: string; message: string }[] {
  const fields: { path: string; message: string }[] = [];
  if (!isRosterDepartment(department)) fields.push({ path: 'department', message: 'unknown department (a department code, or "coordinator")' });
  if (!/^\d{6}$/.test(divisionCode) || !divisions.get(divisionCode)) fields.push({ path: 'divisionCode', message: 'unknown division (a six-digit GB/T 2260 code of the province)' });
  return fields.length > 0 ? fields : { department: department as RosterScope['department'], divisionCode };
}

/** Reading a roster shows staff phone numbers: every read and every refusal is recorded first (no record, no data). */
export async function readRoster(actor: RosterActor, department: string, divisionCode: string, deps: RosterAdminDependencies): Promise<RosterAdminResult> {
  const scope = rosterScopeOf(department, divisionCode, deps.divisions);
  const access = (type: RosterAccess['type']) =>
    deps.store.recordAccess({ type, actor: { id: actor.subject, role: actor.role }, scope: Array.isArray(scope) ? null : scope, eventId: deps.eventId(), at: deps.now().toISOString() });
  if (actor.role !== 'admin') {
    await access('access_denied');
    return { kind: 'forbidden' };
  }
  if (Array.isArray(scope)) return { kind: 'invalid_scope', fields: scope };
  await access('roster_viewed');
  const roster = await deps.store.get(scope);
  return roster ? { kind: 'ok', roster } : { kind: 'not_found' };
}

export async function replaceRoster(
  actor: RosterActor,
  department: string,
  divisionCode: string,
  body: RosterBody,
  expectedVersion: number,
  deps: RosterAdminDependencies,
): Promise<RosterAdminResult> {
  if (actor.role !== 'admin') return { kind: 'forbidden' };
  const scope = rosterScopeOf(department, divisionCode, deps.divisions);
  if (Array.isArray(scope)) return { kind: 'invalid_scope', fields: scope };
  const result = await deps.store.put(scope, body, expectedVersion, { id: actor.subject, role: actor.role }, deps.eventId(), deps.now());
  return result.outcome === 'saved' ? { kind: 'ok', roster: result.roster } : { kind: 'conflict', currentVersion: result.currentVersion };
}
