// The county ledger's use cases: register a woman, read her record, list a county's records, correct
// a record, record her exit. Access is the ledger policy's (shared/domain/ledger/access.ts); every
// change, every read of one record and every refusal is recorded (who, when, which fields: never a
// value). Phone and ID numbers are found again only through keyed hashes.
import { authorizeLedger, type LedgerAction } from '../domain/ledger/access.js';
import { divisionWithin, type Actor, type DenyReason } from '../domain/access/policy.js';
import type { DivisionIndex } from '../domain/divisions/divisions.js';
import { changedFields, recordOf, type ExitReason, type LedgerActor, type LedgerEntry } from '../domain/ledger/entry.js';
import { checkIdNumber } from '../domain/ledger/id-number.js';
import type { PersonKeys } from '../domain/ledger/person-keys.js';
import { FOCUS_MARKERS, registrationProblems, type FocusMarker, type Registration, type RegistrationProblem } from '../domain/ledger/registration.js';
import { nextVisitDue, type VisitCycles, type VisitRecord } from '../domain/ledger/visits.js';

/** The keyed hashes a record is found by. */
export interface PersonKeysOf {
  phoneKey: string;
  idKey?: string;
}

export type LedgerEventType = 'ledger_registered' | 'ledger_updated' | 'ledger_exited' | 'ledger_visited' | 'ledger_viewed' | 'ledger_exported' | 'ledger_access_denied';

/** An audit event: who did what, when, to which record; the names of the fields changed, never a value. */
export interface LedgerEvent {
  eventId: string;
  type: LedgerEventType;
  at: string;
  actor: LedgerActor;
  personId?: string;
  action?: LedgerAction | 'list' | 'export';
  fields?: string[];
  reason?: DenyReason | ExitReason;
  /** The division asked for, on a refused list. */
  divisionCode?: string;
  /** A visit: the case it opened (id only). */
  caseId?: string;
}

export interface LedgerStore {
  /** Stores a new record with its key items and event, all or nothing; `duplicate` when a key is already someone's. */
  create(entry: LedgerEntry, keys: PersonKeysOf, event: LedgerEvent): Promise<{ kind: 'created' } | { kind: 'duplicate'; personId: string }>;
  load(personId: string): Promise<{ entry: LedgerEntry; keys: PersonKeysOf } | undefined>;
  /** Replaces a record while it is still at before.version, moving its key items; all or nothing. */
  save(change: {
    before: LedgerEntry;
    after: LedgerEntry;
    keysBefore: PersonKeysOf;
    keysAfter: PersonKeysOf | null;
    event: LedgerEvent;
  }): Promise<{ kind: 'saved' } | { kind: 'conflict' } | { kind: 'duplicate'; personId: string }>;
  /** Active records of a county, by township and village; a page at a time, without her phone number (her record has it). */
  list(query: { divisionCode: string; township?: string; limit: number; cursor?: string }): Promise<{ items: LedgerListItem[]; cursor?: string }>;
  /** The phone numbers of these records (for the county's export), by personId. */
  contacts(personIds: readonly string[]): Promise<Map<string, string>>;
  /** Records a read or a refusal (not part of a change). */
  record(event: LedgerEvent): Promise<void>;
  /** Adds a visit under her record and saves the record (its next visit date) while still at before.version; `visit_exists` when that visit was recorded already. */
  recordVisit(change: {
    before: LedgerEntry;
    after: LedgerEntry;
    keys: PersonKeysOf;
    visit: VisitRecord;
    event: LedgerEvent;
  }): Promise<{ kind: 'saved' } | { kind: 'conflict' } | { kind: 'visit_exists' }>;
  /** Her most recent visits, newest first. */
  visits(personId: string, limit: number): Promise<VisitRecord[]>;
  /** Active records of a county due a visit before the instant (earliest first), optionally of one township; without her phone. */
  visitsDue(query: { divisionCode: string; dueBefore: string; township?: string; limit: number; cursor?: string }): Promise<{ items: LedgerListItem[]; cursor?: string }>;
}

/** A record as a list shows it: everything but her phone number. */
export type LedgerListItem = Omit<LedgerEntry, 'phone'>;

export interface LedgerDependencies {
  store: LedgerStore;
  keys: PersonKeys;
  divisions: DivisionIndex;
  ids: { personId(): string; eventId(): string };
  now(): Date;
  /** Days an exited record is kept before its personal data is deleted. */
  retentionDays: number;
  /** How often she is visited (data/visit-cycles.json): sets her next visit date. */
  visitCycles: VisitCycles;
}

export type LedgerResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'invalid'; problems: RegistrationProblem[] }
  | { kind: 'forbidden' }
  | { kind: 'not_found' }
  | { kind: 'conflict'; message: string }
  /** The same woman is already in the ledger: her record's id when the caller may read it. */
  | { kind: 'duplicate'; personId?: string };

export const actorOf = (subject: string, actor: Actor): LedgerActor => ({ id: subject, role: actor.role });

async function refuse(
  deps: LedgerDependencies,
  subject: string,
  actor: Actor,
  action: LedgerAction | 'list' | 'export',
  reason: DenyReason,
  where: { personId?: string; divisionCode?: string },
): Promise<void> {
  await deps.store.record({ eventId: deps.ids.eventId(), type: 'ledger_access_denied', at: deps.now().toISOString(), actor: actorOf(subject, actor), action, reason, ...where });
}

/** Registration checks that need the divisions and the date: a county code, and the rules between fields. */
function problemsOf(r: Registration, deps: LedgerDependencies, today: Date): RegistrationProblem[] {
  const division = deps.divisions.get(r.divisionCode);
  const problems = registrationProblems(r, today);
  if (!division || division.level !== 'county') problems.unshift({ path: 'divisionCode', message: '应为本省的县（市、区）代码 (a county of the province)' });
  return problems;
}

function keysFor(r: Registration, deps: LedgerDependencies, today: Date, keep?: PersonKeysOf): PersonKeysOf {
  const phoneKey = deps.keys.phone(r.phone);
  if (phoneKey === null) throw new Error('registration: phone passed the schema but has no key');
  if (r.idNumber === undefined) return { phoneKey, ...(keep?.idKey ? { idKey: keep.idKey } : {}) };
  const id = r.idNumber === '' ? undefined : checkIdNumber(r.idNumber, today);
  return { phoneKey, ...(id?.ok ? { idKey: deps.keys.idNumber(id.idNumber) } : {}) };
}

/** The duplicate's id only when the caller may read that record: otherwise she learns only that the woman is registered. */
async function duplicateFor(deps: LedgerDependencies, actor: Actor, personId: string): Promise<LedgerResult<never>> {
  const other = await deps.store.load(personId);
  return other && authorizeLedger(actor, 'read', other.entry).allowed ? { kind: 'duplicate', personId } : { kind: 'duplicate' };
}

export async function registerWoman(subject: string, actor: Actor, body: Registration, deps: LedgerDependencies): Promise<LedgerResult<LedgerEntry>> {
  const decision = authorizeLedger(actor, 'register', body);
  if (!decision.allowed) {
    await refuse(deps, subject, actor, 'register', decision.reason, { divisionCode: body.divisionCode });
    return { kind: 'forbidden' };
  }
  const now = deps.now();
  const problems = problemsOf(body, deps, now);
  if (problems.length > 0) return { kind: 'invalid', problems };
  const at = now.toISOString();
  const by = actorOf(subject, actor);
  const registered: LedgerEntry = { ...recordOf(body, now), personId: deps.ids.personId(), version: 1, status: 'active', registeredAt: at, registeredBy: by, updatedAt: at, updatedBy: by };
  const entry: LedgerEntry = { ...registered, nextVisitDue: nextVisitDue(registered, deps.visitCycles) };
  const created = await deps.store.create(entry, keysFor(body, deps, now), { eventId: deps.ids.eventId(), type: 'ledger_registered', at, actor: by, personId: entry.personId });
  return created.kind === 'created' ? { kind: 'ok', value: entry } : duplicateFor(deps, actor, created.personId);
}

/**
 * Her record, for something the actor reads of it (the record, her visits, her cases): a refusal looks
 * like a missing record (404) and is recorded; the read is recorded, naming what was read besides the record.
 */
export async function loadToRead(subject: string, actor: Actor, personId: string, deps: LedgerDependencies, part?: string): Promise<LedgerResult<{ entry: LedgerEntry; keys: PersonKeysOf }>> {
  const loaded = await deps.store.load(personId);
  if (!loaded) return { kind: 'not_found' };
  const decision = authorizeLedger(actor, 'read', loaded.entry);
  if (!decision.allowed) {
    await refuse(deps, subject, actor, 'read', decision.reason, { personId });
    return { kind: 'not_found' };
  }
  await deps.store.record({ eventId: deps.ids.eventId(), type: 'ledger_viewed', at: deps.now().toISOString(), actor: actorOf(subject, actor), personId, ...(part ? { fields: [part] } : {}) });
  return { kind: 'ok', value: loaded };
}

/** Her record, for whoever may read it. */
export async function readWoman(subject: string, actor: Actor, personId: string, deps: LedgerDependencies): Promise<LedgerResult<LedgerEntry>> {
  const found = await loadToRead(subject, actor, personId, deps);
  return found.kind === 'ok' ? { kind: 'ok', value: found.value.entry } : found;
}

export interface LedgerListQuery {
  divisionCode?: string;
  township?: string;
  focus?: FocusMarker;
  cursor?: string;
  limit?: number;
}

/** The county a list is of (hers by default), if she may read it; a refusal is recorded. */
export async function countyToList(subject: string, actor: Actor, asked: string | undefined, deps: LedgerDependencies): Promise<LedgerResult<string>> {
  const divisionCode = asked ?? actor.divisionCode;
  if (!divisionCode || deps.divisions.get(divisionCode)?.level !== 'county')
    return { kind: 'invalid', problems: [{ path: 'divisionCode', message: '请选择一个县（市、区） (a county code is needed)' }] };
  const decision = authorizeLedger(actor, 'read', { divisionCode });
  if (!decision.allowed) {
    await refuse(deps, subject, actor, 'list', decision.reason, { divisionCode });
    return { kind: 'forbidden' };
  }
  return { kind: 'ok', value: divisionCode };
}

/** A county's active records (her own county by default), optionally one township and one focus marker. */
export async function listWomen(subject: string, actor: Actor, query: LedgerListQuery, deps: LedgerDependencies): Promise<LedgerResult<{ items: LedgerListItem[]; cursor?: string }>> {
  const county = await countyToList(subject, actor, query.divisionCode, deps);
  if (county.kind !== 'ok') return county;
  const divisionCode = county.value;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  // A focus marker filters what the store returns: read on until the page is full or the county ends.
  const items: LedgerListItem[] = [];
  let cursor = query.cursor;
  do {
    const page = await deps.store.list({ divisionCode, township: query.township, limit, cursor });
    items.push(...(query.focus ? page.items.filter((e) => e.focus.includes(query.focus!)) : page.items));
    cursor = page.cursor;
  } while (cursor && items.length < limit);
  return { kind: 'ok', value: { items: items.slice(0, limit), ...(cursor ? { cursor } : {}) } };
}

/**
 * Her record, for a change the actor may make to it (and, for a correction, where it would move to).
 * A refusal is recorded; it is a 403 to someone who may read the record and a missing record to anyone else.
 */
export async function loadToChange(
  subject: string,
  actor: Actor,
  personId: string,
  action: 'update' | 'exit' | 'visit',
  deps: LedgerDependencies,
  target?: { divisionCode: string },
): Promise<LedgerResult<{ entry: LedgerEntry; keys: PersonKeysOf }>> {
  const loaded = await deps.store.load(personId);
  if (!loaded) return { kind: 'not_found' };
  const decision = authorizeLedger(actor, action, loaded.entry);
  const reason = !decision.allowed ? decision.reason : target && !authorizeLedger(actor, action, target).allowed ? 'outside_division' : undefined;
  if (reason) {
    await refuse(deps, subject, actor, action, reason, { personId });
    return authorizeLedger(actor, 'read', loaded.entry).allowed ? { kind: 'forbidden' } : { kind: 'not_found' };
  }
  return { kind: 'ok', value: loaded };
}

/** Corrects a record; `expectedVersion` is the version the officer read (a stale one is a conflict). An absent idNumber keeps the one recorded, "" removes it. */
export async function updateWoman(subject: string, actor: Actor, personId: string, body: Registration, expectedVersion: number, deps: LedgerDependencies): Promise<LedgerResult<LedgerEntry>> {
  const found = await loadToChange(subject, actor, personId, 'update', deps, body);
  if (found.kind !== 'ok') return found;
  const loaded = found.value;
  if (loaded.entry.status !== 'active') return { kind: 'conflict', message: '她已退出台账，记录不能再修改 (she has left the ledger)' };
  if (loaded.entry.version !== expectedVersion) return { kind: 'conflict', message: `记录已被他人修改，请刷新后再改 (changed meanwhile: version ${loaded.entry.version})` };
  const now = deps.now();
  const problems = problemsOf(body, deps, now);
  if (problems.length > 0) return { kind: 'invalid', problems };
  const kept = body.idNumber === undefined && loaded.entry.idLast4 ? { idLast4: loaded.entry.idLast4 } : {};
  const after: LedgerEntry = { ...loaded.entry, ...recordOf(body, now), ...kept, version: expectedVersion + 1, updatedAt: now.toISOString(), updatedBy: actorOf(subject, actor) };
  if (body.idNumber === '') delete after.idLast4;
  // A focus marker added or removed changes how soon she is due a visit.
  after.nextVisitDue = nextVisitDue(after, deps.visitCycles);
  const event: LedgerEvent = { eventId: deps.ids.eventId(), type: 'ledger_updated', at: after.updatedAt, actor: after.updatedBy, personId, fields: changedFields(loaded.entry, after) };
  const saved = await deps.store.save({ before: loaded.entry, after, keysBefore: loaded.keys, keysAfter: keysFor(body, deps, now, loaded.keys), event });
  if (saved.kind === 'conflict') return { kind: 'conflict', message: '记录已被他人修改，请刷新后再改 (changed meanwhile)' };
  if (saved.kind === 'duplicate') return duplicateFor(deps, actor, saved.personId);
  return { kind: 'ok', value: after };
}

/** She leaves the ledger: out of every list and key, her personal data deleted after the retention period. */
export async function exitWoman(subject: string, actor: Actor, personId: string, reason: ExitReason, deps: LedgerDependencies): Promise<LedgerResult<LedgerEntry>> {
  const found = await loadToChange(subject, actor, personId, 'exit', deps);
  if (found.kind !== 'ok') return found;
  const loaded = found.value;
  if (loaded.entry.status !== 'active') return { kind: 'conflict', message: '她已退出台账 (she has already left the ledger)' };
  const now = deps.now();
  const at = now.toISOString();
  const by = actorOf(subject, actor);
  const after: LedgerEntry = {
    ...loaded.entry,
    status: 'exited',
    exit: { reason, at, by },
    purgeAt: new Date(now.getTime() + deps.retentionDays * 86_400_000).toISOString(),
    version: loaded.entry.version + 1,
    updatedAt: at,
    updatedBy: by,
  };
  const saved = await deps.store.save({
    before: loaded.entry,
    after,
    keysBefore: loaded.keys,
    keysAfter: null,
    event: { eventId: deps.ids.eventId(), type: 'ledger_exited', at, actor: by, personId, reason },
  });
  if (saved.kind !== 'saved') return { kind: 'conflict', message: '记录已被他人修改，请刷新后再试 (changed meanwhile)' };
  return { kind: 'ok', value: after };
}

/** Every active record of one county, page after page. */
async function allOf(deps: LedgerDependencies, divisionCode: string): Promise<LedgerListItem[]> {
  const items: LedgerListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.list({ divisionCode, limit: 200, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** The counties of a division (itself when it is one). */
const countiesOf = (deps: LedgerDependencies, divisionCode: string): string[] =>
  deps.divisions.get(divisionCode)?.level === 'county'
    ? [divisionCode]
    : deps.divisions.all.filter((d) => d.level === 'county' && d.code !== divisionCode && divisionWithin(d.code, divisionCode)).map((d) => d.code);

export interface LedgerCounts {
  divisionCode: string;
  /** By township for a county, by county for a prefecture or the province. */
  by: 'township' | 'county';
  rows: { key: string; women: number; focus: Record<FocusMarker, number> }[];
  totals: { women: number; focus: Record<FocusMarker, number> };
}

/** How many women are on the ledger, and how many of them with each focus marker: by township for a county, by county above. No names. */
export async function countWomen(subject: string, actor: Actor, divisionCode: string, deps: LedgerDependencies): Promise<LedgerResult<LedgerCounts>> {
  if (!deps.divisions.get(divisionCode)) return { kind: 'invalid', problems: [{ path: 'divisionCode', message: '不是本省的区划代码 (not a division of the province)' }] };
  const decision = authorizeLedger(actor, 'count', { divisionCode });
  if (!decision.allowed) {
    await refuse(deps, subject, actor, 'count', decision.reason, { divisionCode });
    return { kind: 'forbidden' };
  }
  const county = deps.divisions.get(divisionCode)!.level === 'county';
  const zero = (): Record<FocusMarker, number> => Object.fromEntries(FOCUS_MARKERS.map((f) => [f, 0])) as Record<FocusMarker, number>;
  const rows = new Map<string, { key: string; women: number; focus: Record<FocusMarker, number> }>();
  const totals = { women: 0, focus: zero() };
  for (const code of countiesOf(deps, divisionCode)) {
    for (const e of await allOf(deps, code)) {
      const key = county ? e.township : code;
      const row = rows.get(key) ?? { key, women: 0, focus: zero() };
      row.women++;
      totals.women++;
      for (const f of e.focus) {
        row.focus[f]++;
        totals.focus[f]++;
      }
      rows.set(key, row);
    }
  }
  return { kind: 'ok', value: { divisionCode, by: county ? 'township' : 'county', rows: [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), totals } };
}

/** The county's ledger (台账) as rows for its export, every active record with her phone number; recorded. */
export async function exportCounty(subject: string, actor: Actor, divisionCode: string, deps: LedgerDependencies): Promise<LedgerResult<LedgerEntry[]>> {
  if (deps.divisions.get(divisionCode)?.level !== 'county') return { kind: 'invalid', problems: [{ path: 'divisionCode', message: '请选择一个县（市、区） (a county code is needed)' }] };
  const decision = authorizeLedger(actor, 'read', { divisionCode });
  if (!decision.allowed) {
    await refuse(deps, subject, actor, 'export', decision.reason, { divisionCode });
    return { kind: 'forbidden' };
  }
  const items = await allOf(deps, divisionCode);
  const phones = await deps.store.contacts(items.map((e) => e.personId));
  await deps.store.record({ eventId: deps.ids.eventId(), type: 'ledger_exported', at: deps.now().toISOString(), actor: actorOf(subject, actor), action: 'export', divisionCode });
  return { kind: 'ok', value: items.map((e) => ({ ...e, phone: phones.get(e.personId) ?? '' })) };
}
