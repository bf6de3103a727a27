// The ledger store's contract in memory, for the use-case tests: a record's key items are unique
// (a key already someone's refuses the whole change), a change applies only at the version it was
// read at, and every change is whole or nothing. The DynamoDB adapter is held to the same contract
// by test/integration/ledger.test.ts.
import type { LedgerEntry } from '../../shared/domain/ledger/entry.js';
import type { VisitRecord } from '../../shared/domain/ledger/visits.js';
import type { LedgerEvent, LedgerStore, PersonKeysOf } from '../../shared/usecases/ledger.js';

export class InMemoryLedgerStore implements LedgerStore {
  readonly entries = new Map<string, { entry: LedgerEntry; keys: PersonKeysOf }>();
  /** keyed hash → personId */
  readonly keyItems = new Map<string, string>();
  readonly events: LedgerEvent[] = [];
  /** personId → her visits by visitedAt */
  readonly visitsBy = new Map<string, Map<string, VisitRecord>>();

  private static keyList(k: PersonKeysOf | null): string[] {
    return k ? [`phone#${k.phoneKey}`, ...(k.idKey ? [`id#${k.idKey}`] : [])] : [];
  }

  async create(entry: LedgerEntry, keys: PersonKeysOf, event: LedgerEvent) {
    for (const k of InMemoryLedgerStore.keyList(keys)) {
      const owner = this.keyItems.get(k);
      if (owner) return { kind: 'duplicate' as const, personId: owner };
    }
    for (const k of InMemoryLedgerStore.keyList(keys)) this.keyItems.set(k, entry.personId);
    this.entries.set(entry.personId, { entry: structuredClone(entry), keys: { ...keys } });
    this.events.push(event);
    return { kind: 'created' as const };
  }

  async load(personId: string) {
    const found = this.entries.get(personId);
    return found ? structuredClone(found) : undefined;
  }

  async save(change: { before: LedgerEntry; after: LedgerEntry; keysBefore: PersonKeysOf; keysAfter: PersonKeysOf | null; event: LedgerEvent }) {
    const current = this.entries.get(change.before.personId);
    if (!current || current.entry.version !== change.before.version) return { kind: 'conflict' as const };
    const old = InMemoryLedgerStore.keyList(change.keysBefore);
    for (const k of InMemoryLedgerStore.keyList(change.keysAfter)) {
      const owner = this.keyItems.get(k);
      if (owner && owner !== change.before.personId) return { kind: 'duplicate' as const, personId: owner };
    }
    for (const k of old) this.keyItems.delete(k);
    for (const k of InMemoryLedgerStore.keyList(change.keysAfter)) this.keyItems.set(k, change.before.personId);
    this.entries.set(change.before.personId, { entry: structuredClone(change.after), keys: change.keysAfter ?? change.keysBefore });
    this.events.push(change.event);
    return { kind: 'saved' as const };
  }

  async list(query: { divisionCode: string; township?: string; limit: number; cursor?: string }) {
    const sortKey = (e: LedgerEntry) => `${e.township}#${e.village}#${e.personId}`;
    const all = [...this.entries.values()]
      .map((x) => x.entry)
      .filter((e) => e.status === 'active' && e.divisionCode === query.divisionCode && (!query.township || e.township === query.township))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    const start = query.cursor ? all.findIndex((e) => sortKey(e) > query.cursor!) : 0;
    const page = start < 0 ? [] : all.slice(start, start + query.limit);
    const more = start >= 0 && start + query.limit < all.length;
    return { items: page.map(({ phone: _phone, ...rest }) => structuredClone(rest)), ...(more ? { cursor: sortKey(page[page.length - 1]!) } : {}) };
  }

  async contacts(personIds: readonly string[]) {
    return new Map(personIds.flatMap((id) => (this.entries.has(id) ? [[id, this.entries.get(id)!.entry.phone] as const] : [])));
  }

  async record(event: LedgerEvent) {
    this.events.push(event);
  }

  async recordVisit(change: { before: LedgerEntry; after: LedgerEntry; keys: PersonKeysOf; visit: VisitRecord; event: LedgerEvent }) {
    const id = change.before.personId;
    const hers = this.visitsBy.get(id) ?? new Map<string, VisitRecord>();
    if (hers.has(change.visit.visitedAt)) return { kind: 'visit_exists' as const };
    const current = this.entries.get(id);
    if (!current || current.entry.version !== change.before.version) return { kind: 'conflict' as const };
    hers.set(change.visit.visitedAt, structuredClone(change.visit));
    this.visitsBy.set(id, hers);
    this.entries.set(id, { entry: structuredClone(change.after), keys: current.keys });
    this.events.push(change.event);
    return { kind: 'saved' as const };
  }

  async visits(personId: string, limit: number) {
    return [...(this.visitsBy.get(personId)?.values() ?? [])]
      .sort((a, b) => (a.visitedAt < b.visitedAt ? 1 : -1))
      .slice(0, limit)
      .map((v) => structuredClone(v));
  }

  async visitsDue(query: { divisionCode: string; dueBefore: string; township?: string; limit: number; cursor?: string }) {
    const sortKey = (e: LedgerEntry) => `${e.nextVisitDue}#${e.personId}`;
    const all = [...this.entries.values()]
      .map((x) => x.entry)
      .filter((e) => e.status === 'active' && e.divisionCode === query.divisionCode && !!e.nextVisitDue && e.nextVisitDue < query.dueBefore && (!query.township || e.township === query.township))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    const start = query.cursor ? all.findIndex((e) => sortKey(e) > query.cursor!) : 0;
    const page = start < 0 ? [] : all.slice(start, start + query.limit);
    const more = start >= 0 && start + query.limit < all.length;
    return { items: page.map(({ phone: _phone, ...rest }) => structuredClone(rest)), ...(more ? { cursor: sortKey(page[page.length - 1]!) } : {}) };
  }
}
