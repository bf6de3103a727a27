// DynamoDB adapter for the referral lifecycle. Every change is one TransactWriteItems:
//   1. Update of the referral, conditional on the version read (version + 1), with its queue and
//      due index keys set or removed (both sparse indexes lose a closed referral);
//   2. Put of the immutable event (pk CASE#<caseId>, sk EVT#<iso>#<ulid>);
//   3. when the case's status changes: Update of the case item (conditional on its status) and
//      Put of a case_closed / case_reopened event;
//   4. ConditionChecks on the sibling referrals' versions when the case-status decision used them.
// Queues are read through the `queue` index and due work through the `due` index: no scans.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CaseStatus } from '../../domain/case/case.js';
import type { QueueRef, TrackedReferral } from '../../domain/lifecycle/index.js';
import { ConcurrentChangeError, InvalidCursorError } from '../../usecases/referrals/errors.js';
import type { CaseView, DueReferral, LoadedCase, QueuePage, ReferralChange, ReferralEvent, ReferralStore } from '../../usecases/referrals/ports.js';
import { DynamoCaseRepository } from './case-repository.js';
import { auditPk, caseKey, eventSk, queuePkOf, queueSkOf, referralKey } from './keys.js';
import { INDEXES } from './table-definition.js';

const INDEX_ATTRIBUTES = ['queuePk', 'queueSk', 'duePk', 'dueSk'] as const;
const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', ...INDEX_ATTRIBUTES]);

function stripReferral(item: Record<string, unknown>): TrackedReferral {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!ITEM_ATTRIBUTES.has(k)) out[k] = v;
  return out as unknown as TrackedReferral;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An Update that turns the stored `before` into `after` (SET what changed, REMOVE what is gone), plus index keys. */
export function referralUpdate(change: ReferralChange, tableName: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const byName = new Map<string, string>();
  const name = (attr: string) => {
    let p = byName.get(attr);
    if (!p) {
      p = `#n${byName.size}`;
      byName.set(attr, p);
      names[p] = attr;
    }
    return p;
  };
  let v = 0;
  const value = (x: unknown) => {
    const p = `:v${v++}`;
    values[p] = x;
    return p;
  };
  const sets: string[] = [];
  const removes: string[] = [];
  const before = change.before as unknown as Record<string, unknown>;
  const after = change.after as unknown as Record<string, unknown>;
  for (const [k, x] of Object.entries(after)) {
    if (ITEM_ATTRIBUTES.has(k) || x === undefined) continue;
    if (k !== 'version' && same(before[k], x)) continue;
    sets.push(`${name(k)} = ${value(x)}`);
  }
  for (const k of Object.keys(before)) {
    if (!ITEM_ATTRIBUTES.has(k) && after[k] === undefined) removes.push(name(k));
  }
  const r = change.after;
  const { queue, due } = change.placement;
  if (queue) {
    sets.push(`${name('queuePk')} = ${value(queuePkOf(queue.queue))}`, `${name('queueSk')} = ${value(queueSkOf(r.urgency, queue.deadline, r.referralId))}`);
  } else {
    removes.push(name('queuePk'), name('queueSk'));
  }
  if (due) {
    sets.push(`${name('duePk')} = ${value('DUE')}`, `${name('dueSk')} = ${value(`${due.at}#${r.referralId}`)}`);
  } else {
    removes.push(name('duePk'), name('dueSk'));
  }
  const expected = value(change.before.version);
  return {
    TableName: tableName,
    Key: referralKey(change.caseId, change.before.seq),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `${name('version')} = ${expected}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const eventItem = (e: ReferralEvent) => ({
  pk: e.caseId ? caseKey(e.caseId).pk : auditPk(e.at),
  sk: eventSk(e.at, e.eventId),
  entity: 'event',
  ...e,
});

// ---- Cursors -------------------------------------------------------------------------------

const cursorSchema = z.strictObject({
  pk: z.string().regex(/^CASE#[0-9A-HJKMNP-TV-Z]{26}$/),
  sk: z.string().regex(/^REF#\d{3}$/),
  queuePk: z.string().max(120),
  queueSk: z.string().regex(/^\d#[0-9T:.\-Z]{24}#[0-9A-HJKMNP-TV-Z]{26}-\d{1,3}$/),
});

/** The opaque cursor: base64url of the LastEvaluatedKey. */
export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** Reads a cursor back; anything not issued for this queue is refused. */
export function decodeCursor(cursor: string, queuePk: string): Record<string, string> {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.queuePk !== queuePk) throw new InvalidCursorError();
  return result.data;
}

export class DynamoReferralRepository implements ReferralStore {
  private readonly cases: DynamoCaseRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.cases = new DynamoCaseRepository(db, tableName);
  }

  async loadCase(caseId: string): Promise<LoadedCase | null> {
    const key = caseKey(caseId);
    const readReferrals = async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ref)',
            ExpressionAttributeValues: { ':pk': key.pk, ':ref': 'REF#' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const [caseItem, referralItems] = await Promise.all([
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } })),
      readReferrals(),
    ]);
    if (!caseItem.Item) return null;
    return {
      caseId,
      caseStatus: caseItem.Item.status as CaseStatus,
      referrals: referralItems.filter((i) => i.entity === 'referral').map(stripReferral),
    };
  }

  async commit(change: ReferralChange): Promise<void> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Update: referralUpdate(change, this.tableName) },
      { Put: { TableName: this.tableName, Item: eventItem(change.event), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    if (change.caseStatus) {
      const { from, to, event } = change.caseStatus;
      items.push(
        {
          Update: {
            TableName: this.tableName,
            Key: caseKey(change.caseId),
            UpdateExpression: to === 'closed' ? 'SET #s = :to, closedAt = :at' : 'SET #s = :to, reopenedAt = :at REMOVE closedAt',
            ConditionExpression: '#s = :from',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':to': to, ':from': from, ':at': event.at },
          },
        },
        { Put: { TableName: this.tableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      );
    }
    for (const s of change.siblingVersions) {
      items.push({
        ConditionCheck: {
          TableName: this.tableName,
          Key: referralKey(change.caseId, s.seq),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': s.version },
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new ConcurrentChangeError('stale');
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw new ConcurrentChangeError('retry');
      throw err;
    }
  }

  async recordEvent(event: ReferralEvent): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async listQueue(queue: QueueRef, limit: number, cursor?: string): Promise<QueuePage> {
    const queuePk = queuePkOf(queue);
    const start = cursor ? decodeCursor(cursor, queuePk) : undefined;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.queue.name,
        KeyConditionExpression: '#q = :q',
        ExpressionAttributeNames: { '#q': INDEXES.queue.partitionKey },
        ExpressionAttributeValues: { ':q': queuePk },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = (page.Items ?? []).filter((i) => i.entity === 'referral').map(stripReferral);
    return { items, cursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : null };
  }

  async findDue(now: string, limit: number): Promise<DueReferral[]> {
    const found: DueReferral[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.due.name,
          KeyConditionExpression: '#p = :due AND #s <= :now',
          ExpressionAttributeNames: { '#p': INDEXES.due.partitionKey, '#s': INDEXES.due.sortKey, '#c': 'caseId', '#q': 'seq', '#r': 'referralId' },
          ExpressionAttributeValues: { ':due': 'DUE', ':now': now },
          ProjectionExpression: '#c, #q, #r',
          Limit: Math.min(100, limit - found.length),
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        if (typeof i.caseId === 'string' && typeof i.seq === 'number' && typeof i.referralId === 'string') found.push({ caseId: i.caseId, seq: i.seq, referralId: i.referralId });
      }
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  async getCaseView(caseId: string): Promise<CaseView | null> {
    return (await this.cases.getCase(caseId)) as CaseView | null;
  }
}
