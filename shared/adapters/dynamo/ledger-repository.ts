// DynamoDB adapter of the county ledger (shared/usecases/ledger.ts). Her partition PERSON#<personId>:
//   PERSON            the record (entity 'ledger_entry'), with a version for conditional change; while
//                     she is on the ledger it carries the queue index's keys LEDGER#<county> /
//                     <township>#<village>#<personId>, so a county is listed without a scan;
//   CONTACT           her phone number (entity 'ledger_contact'), kept apart so that no index holds it;
//   EVT#<at>#<id>     the audit of changes and reads (entity 'ledger_event'; field names, never values).
// Key items PERSONKEY#phone#<hmac> and PERSONKEY#id#<hmac> (entity 'person_key') hold her personId:
// created with her record on the condition that they do not exist, moved with her numbers, deleted at
// her exit. Refusals with no record to file them under go to the day's AUDIT#<date> partition.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../domain/ledger/entry.js';
import type { VisitRecord } from '../../domain/ledger/visits.js';
import type { LedgerEvent, LedgerListItem, LedgerStore, PersonKeysOf } from '../../usecases/ledger.js';
import { auditPk, eventSk, ledgerKeyItemKey, ledgerPurgeDueKeys } from './keys.js';
import { INDEXES } from './table-definition.js';

export const personKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PERSON' });
export const contactKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'CONTACT' });
export const ledgerListKeys = (e: Pick<LedgerEntry, 'divisionCode' | 'township' | 'village' | 'personId'>) => ({
  queuePk: `LEDGER#${e.divisionCode}`,
  queueSk: `${e.township}#${e.village}#${e.personId}`,
});
/** The county's visit queue on the deadline index: who is due a visit (走访), earliest first. */
export const visitDueKeys = (e: Pick<LedgerEntry, 'divisionCode' | 'personId'> & { nextVisitDue: string }) => ({
  deadlinePk: `VISITDUE#${e.divisionCode}`,
  deadlineSk: `${e.nextVisitDue}#${e.personId}`,
});
export const visitKey = (personId: string, visitedAt: string) => ({ pk: `PERSON#${personId}`, sk: `VISIT#${visitedAt}` });

const keyItemsOf = (k: PersonKeysOf | null): { pk: string; sk: string }[] => (k ? [ledgerKeyItemKey('phone', k.phoneKey), ...(k.idKey ? [ledgerKeyItemKey('id', k.idKey)] : [])] : []);
const sameKey = (a: { pk: string }, b: { pk: string }) => a.pk === b.pk;

/** An opaque page cursor: the index position, checked when it comes back (a client cannot point it elsewhere). */
function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}
/** A cursor back from a client: the index position of a record of this county's list or visit queue, nothing else. */
function decodeCursor(cursor: string, index: { pk: 'queuePk' | 'deadlinePk'; sk: 'queueSk' | 'deadlineSk'; value: string }): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ok = typeof key.pk === 'string' && key.pk.startsWith('PERSON#') && key.sk === 'PERSON' && key[index.pk] === index.value && typeof key[index.sk] === 'string' && Object.keys(key).length === 4;
    if (ok) return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('invalid cursor');
}

function entryItem(e: LedgerEntry, keys: PersonKeysOf | null): Record<string, unknown> {
  const { phone: _phone, ...rest } = e;
  return {
    ...personKey(e.personId),
    entity: 'ledger_entry',
    ...rest,
    ...(keys ? { phoneKey: keys.phoneKey, ...(keys.idKey ? { idKey: keys.idKey } : {}) } : {}),
    ...(e.status === 'active' ? ledgerListKeys(e) : {}),
    ...(e.status === 'active' && e.nextVisitDue ? visitDueKeys({ ...e, nextVisitDue: e.nextVisitDue }) : {}),
    // An exited record waits in the due index for the purge of her personal data.
    ...(e.status === 'exited' && e.purgeAt ? ledgerPurgeDueKeys(e.purgeAt, e.personId) : {}),
  };
}

function listItemOf(item: Record<string, unknown>): LedgerListItem {
  const { pk: _pk, sk: _sk, entity: _entity, queuePk: _q, queueSk: _qs, deadlinePk: _d, deadlineSk: _ds, duePk: _u, dueSk: _us, phoneKey: _p, idKey: _i, ...rest } = item;
  return rest as unknown as LedgerListItem;
}

function eventItem(e: LedgerEvent): Record<string, unknown> {
  return { pk: e.personId ? personKey(e.personId).pk : auditPk(e.at), sk: eventSk(e.at, e.eventId), entity: 'ledger_event', ...e };
}

export class DynamoLedgerRepository implements LedgerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Sends a transaction, again (up to four times, after a short random wait) when DynamoDB cancelled
   * it only because another transaction was touching the same items: two officers registering the
   * same woman at once. The second then finds her key items and is told she is registered.
   */
  private async transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (err) {
        const reasons = err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : [];
        const onlyConflicts = reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None' || !r.Code);
        if (!onlyConflicts || attempt >= 4) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 30 * attempt));
      }
    }
  }

  private put(Item: Record<string, unknown>, ConditionExpression?: string) {
    return { Put: { TableName: this.tableName, Item, ...(ConditionExpression ? { ConditionExpression } : {}) } };
  }

  /** Whose a key item is (after a transaction refused it). */
  private async ownerOf(key: { pk: string; sk: string }): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item?.personId as string | undefined;
  }

  /** The personId holding one of `keys`, when the transaction was refused on one of them (items at `offset` on). */
  private async duplicateOwner(err: unknown, keys: { pk: string; sk: string }[], offset: number): Promise<string | undefined> {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const reasons = err.CancellationReasons ?? [];
    for (let i = 0; i < keys.length; i++) {
      if (reasons[offset + i]?.Code === 'ConditionalCheckFailed') return this.ownerOf(keys[i]!);
    }
    return undefined;
  }

  async create(entry: LedgerEntry, keys: PersonKeysOf, event: LedgerEvent) {
    const keyItems = keyItemsOf(keys);
    try {
      await this.transact([
        ...keyItems.map((k) => this.put({ ...k, entity: 'person_key', personId: entry.personId }, 'attribute_not_exists(pk)')),
        this.put(entryItem(entry, keys), 'attribute_not_exists(pk)'),
        this.put({ ...contactKey(entry.personId), entity: 'ledger_contact', phone: entry.phone }),
        this.put(eventItem(event)),
      ]);
      return { kind: 'created' as const };
    } catch (err) {
      const owner = await this.duplicateOwner(err, keyItems, 0);
      if (owner) return { kind: 'duplicate' as const, personId: owner };
      throw err;
    }
  }

  async load(personId: string) {
    const [entry, contact] = await Promise.all([personKey(personId), contactKey(personId)].map((Key) => this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))));
    if (!entry!.Item) return undefined;
    const item = entry!.Item;
    const keys: PersonKeysOf = { phoneKey: item.phoneKey as string, ...(item.idKey ? { idKey: item.idKey as string } : {}) };
    return { entry: { ...listItemOf(item), phone: (contact!.Item?.phone as string | undefined) ?? '' } as LedgerEntry, keys };
  }

  async save(change: { before: LedgerEntry; after: LedgerEntry; keysBefore: PersonKeysOf; keysAfter: PersonKeysOf | null; event: LedgerEvent }) {
    const id = change.before.personId;
    const old = keyItemsOf(change.keysBefore);
    const next = keyItemsOf(change.keysAfter);
    const added = next.filter((k) => !old.some((o) => sameKey(o, k)));
    const removed = old.filter((k) => !next.some((n) => sameKey(n, k)));
    try {
      await this.transact([
        ...added.map((k) => this.put({ ...k, entity: 'person_key', personId: id }, 'attribute_not_exists(pk)')),
        {
          Put: {
            TableName: this.tableName,
            Item: entryItem(change.after, change.keysAfter),
            ConditionExpression: 'version = :before',
            ExpressionAttributeValues: { ':before': change.before.version },
          },
        },
        this.put({ ...contactKey(id), entity: 'ledger_contact', phone: change.after.phone }),
        ...removed.map((k) => ({ Delete: { TableName: this.tableName, Key: k, ConditionExpression: 'personId = :me', ExpressionAttributeValues: { ':me': id } } })),
        this.put(eventItem(change.event)),
      ]);
      return { kind: 'saved' as const };
    } catch (err) {
      const owner = await this.duplicateOwner(err, added, 0);
      if (owner && owner !== id) return { kind: 'duplicate' as const, personId: owner };
      if (err instanceof TransactionCanceledException) return { kind: 'conflict' as const };
      throw err;
    }
  }

  async list(query: { divisionCode: string; township?: string; limit: number; cursor?: string }) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.queue.name,
        KeyConditionExpression: query.township ? 'queuePk = :pk AND begins_with(queueSk, :township)' : 'queuePk = :pk',
        ExpressionAttributeValues: { ':pk': `LEDGER#${query.divisionCode}`, ...(query.township ? { ':township': `${query.township}#` } : {}) },
        Limit: query.limit,
        ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor, { pk: 'queuePk', sk: 'queueSk', value: `LEDGER#${query.divisionCode}` }) } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(listItemOf), ...(cursor ? { cursor } : {}) };
  }

  async contacts(personIds: readonly string[]) {
    const phones = new Map<string, string>();
    for (const item of await this.batchGet(personIds.map(contactKey), true)) phones.set(String(item.pk).slice('PERSON#'.length), item.phone as string);
    return phones;
  }

  /** Items by key: BatchGetItem takes 100 keys at a time and may leave some unprocessed, which are asked again. */
  private async batchGet(allKeys: Record<string, unknown>[], consistent: boolean): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < allKeys.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = allKeys.slice(i, i + 100);
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: consistent } } }));
        items.push(...(out.Responses?.[this.tableName] ?? []));
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return items;
  }

  async recordVisit(change: { before: LedgerEntry; after: LedgerEntry; keys: PersonKeysOf; visit: VisitRecord; event: LedgerEvent }) {
    const id = change.before.personId;
    try {
      await this.transact([
        this.put({ ...visitKey(id, change.visit.visitedAt), entity: 'ledger_visit', personId: id, ...change.visit }, 'attribute_not_exists(pk)'),
        {
          Put: {
            TableName: this.tableName,
            Item: entryItem(change.after, change.keys),
            ConditionExpression: 'version = :before',
            ExpressionAttributeValues: { ':before': change.before.version },
          },
        },
        this.put(eventItem(change.event)),
      ]);
      return { kind: 'saved' as const };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      return err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed' ? { kind: 'visit_exists' as const } : { kind: 'conflict' as const };
    }
  }

  async visits(personId: string, limit: number) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :visit)',
        ExpressionAttributeValues: { ':pk': personKey(personId).pk, ':visit': 'VISIT#' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(({ pk: _pk, sk: _sk, entity: _e, personId: _id, ...visit }) => visit as VisitRecord);
  }

  async visitsDue(query: { divisionCode: string; dueBefore: string; township?: string; limit: number; cursor?: string }) {
    // The deadline index keeps keys and codes only: each due woman's record is read for the page.
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.deadline.name,
        KeyConditionExpression: 'deadlinePk = :pk AND deadlineSk < :before',
        ExpressionAttributeValues: { ':pk': `VISITDUE#${query.divisionCode}`, ':before': `${query.dueBefore}#~` },
        Limit: query.limit,
        ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor, { pk: 'deadlinePk', sk: 'deadlineSk', value: `VISITDUE#${query.divisionCode}` }) } : {}),
      }),
    );
    const ids = (out.Items ?? []).map((i) => String(i.pk).slice('PERSON#'.length));
    const entries = await this.entries(ids);
    const items = ids.map((id) => entries.get(id)).filter((e): e is LedgerListItem => !!e && e.status === 'active' && (!query.township || e.township === query.township));
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }

  /** Records by id (without her phone). */
  private async entries(personIds: readonly string[]): Promise<Map<string, LedgerListItem>> {
    return new Map((await this.batchGet(personIds.map(personKey), false)).map((item) => [String(item.pk).slice('PERSON#'.length), listItemOf(item)]));
  }

  async record(event: LedgerEvent) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
  }
}
