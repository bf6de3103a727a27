// DynamoDB adapter for the referral lifecycle. Every change is one TransactWriteItems:
//   1. Update of the referral, conditional on the version read (version + 1), with its queue and
//      due index keys set or removed (both sparse indexes lose a closed referral);
//   2. Put of the immutable event (pk CASE#<caseId>, sk EVT#<iso>#<ulid>);
//   3. when the case's status changes: Update of the case item (conditional on its status) and
//      Put of a case_closed / case_reopened event;
//   4. ConditionChecks on the sibling referrals' versions when the case-status decision used them.
// Queues are read through the `queue` index and due work through the `due` index: no scans.
//
// Retention: a case item that closes enters the `due` index at its purge instant (dueSk
// `<purgeAt>#PURGE#<caseId>`, beside the referrals' `<instant>#<referralId>`); a reopen takes it out
// again, in the same transaction. The scheduled run purges it (purgeClosedCase): personal fields
// removed from the case at once, and the TTL attribute set on every item of the case.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { CaseRecord, CaseStatus } from '../../domain/case/case.js';
import type { DangerReview } from '../../domain/triage/danger-review.js';
import { tallyOf, type TallyEntry } from '../../domain/statistics/tally.js';
import { codesOnly, escalationTrack, redactClosedCase, ttlEpochSeconds, type PurgeableCase, type QueueRef, type TrackedReferral } from '../../domain/lifecycle/index.js';
import { ConcurrentChangeError, InvalidCursorError } from '../../usecases/referrals/errors.js';
import type {
  CaseChange,
  CaseState,
  CaseView,
  CorrectionRecord,
  DueEntry,
  DuePurge,
  DueRetention,
  LoadedCase,
  Placement,
  PurgeOutcome,
  QueuePage,
  ReferralChange,
  ReferralEvent,
  ReferralStore,
  RetentionWarning,
} from '../../usecases/referrals/ports.js';
import { DynamoCaseRepository } from './case-repository.js';
import {
  auditPk,
  caseKey,
  correctionKey,
  deadlineKeys,
  eventSk,
  idempotencyKey,
  purgeDueKeys,
  queuePkOf,
  queueSkOf,
  referenceKey,
  referralKey,
  retentionDueKeys,
  reviewItem,
  reviewKey,
} from './keys.js';
import { isConditionFailure } from './conditions.js';
import { INDEXES, TTL_ATTRIBUTE } from './table-definition.js';

const INDEX_ATTRIBUTES = ['queuePk', 'queueSk', 'duePk', 'dueSk', 'deadlinePk', 'deadlineSk'] as const;
const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', TTL_ATTRIBUTE, 'tally', ...INDEX_ATTRIBUTES]);

/** Due-index sort key of a closed case's purge. */
const PURGEABLE_STATUSES: unknown[] = ['closed', 'not_referred'];

export const purgeDueSk = (purgeAt: string, caseId: string) => purgeDueKeys(purgeAt, caseId).dueSk;
const PURGE_DUE_SK = /^(.+)#PURGE#([0-9A-HJKMNP-TV-Z]{26})$/;
const REVIEW_DUE_SK = /^(.+)#REVIEW#([0-9A-HJKMNP-TV-Z]{26})$/;
const RETAIN_DUE_SK = /^(.+)#RETAIN#([0-9A-HJKMNP-TV-Z]{26})$/;

/** Items whose TTL attribute one purge sets in parallel. */
const PURGE_CONCURRENCY = 8;

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
  const deadline = referralDeadlineKeys(r);
  if (deadline) {
    sets.push(`${name('deadlinePk')} = ${value(deadline.deadlinePk)}`, `${name('deadlineSk')} = ${value(deadline.deadlineSk)}`);
  } else {
    removes.push(name('deadlinePk'), name('deadlineSk'));
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

/** An event as stored; the tally (codes of the referrals it changed) feeds the statistics. */
const eventItem = (e: ReferralEvent, tally: TallyEntry[] = []) => ({
  pk: e.caseId ? caseKey(e.caseId).pk : auditPk(e.at),
  sk: eventSk(e.at, e.eventId),
  entity: 'event',
  ...e,
  ...(tally.length > 0 ? { tally } : {}),
});

/** The deadline index keys of a referral held to a deadline now; none once resolved or closed. */
export function referralDeadlineKeys(r: TrackedReferral): { deadlinePk: string; deadlineSk: string } | null {
  const track = escalationTrack(r);
  return track ? deadlineKeys(track.deadline, r.referralId) : null;
}

// ---- Cursors -------------------------------------------------------------------------------

const cursorSchema = z.strictObject({
  pk: z.string().regex(/^CASE#[0-9A-HJKMNP-TV-Z]{26}$/),
  sk: z.string().regex(/^REF#\d{3}$/),
  queuePk: z.string().max(120),
  queueSk: z.string().regex(/^\d#[0-9T:.\-Z]{24}#[0-9A-HJKMNP-TV-Z]{26}-\d{1,3}$/),
});

/** The opaque cursor: base64url of the LastEvaluatedKey. */
export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const openWorkCursorSchema = z.strictObject({
  pk: z.string().regex(/^CASE#[0-9A-HJKMNP-TV-Z]{26}$/),
  sk: z.string().regex(/^REF#\d{3}$/),
  duePk: z.literal('DUE'),
  dueSk: z.string().regex(/^[0-9T:.\-Z]{24}#[0-9A-HJKMNP-TV-Z]{26}-\d{1,3}$/),
});

/** An open-work cursor back; anything else is refused. */
function decodeOpenWorkCursor(cursor: string): Record<string, string> {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  try {
    const result = openWorkCursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (result.success) return result.data;
  } catch {
    // not JSON: refused below
  }
  throw new InvalidCursorError();
}

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
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ProjectionExpression: '#s, #p', ExpressionAttributeNames: { '#s': 'status', '#p': 'purgedAt' } })),
      readReferrals(),
    ]);
    // A purged case is gone for every purpose (its items are only waiting for TTL).
    if (!caseItem.Item || caseItem.Item.purgedAt !== undefined) return null;
    return {
      caseId,
      caseStatus: caseItem.Item.status as CaseStatus,
      referrals: referralItems.filter((i) => i.entity === 'referral').map(stripReferral),
    };
  }

  async commit(change: ReferralChange): Promise<void> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Update: referralUpdate(change, this.tableName) },
      { Put: { TableName: this.tableName, Item: eventItem(change.event, tallyOf([change])), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    if (change.caseStatus) {
      const { from, to, event, purgeAt } = change.caseStatus;
      if (to === 'closed' && !purgeAt) throw new Error('a closing case needs its purge instant');
      // Closing schedules the purge (the case enters the due index); reopening cancels it. Neither
      // applies to a case already purged.
      const update =
        to === 'closed'
          ? {
              UpdateExpression: 'SET #s = :to, closedAt = :at, #dp = :due, #ds = :dueSk, purgeAt = :purgeAt',
              ExpressionAttributeValues: { ':to': to, ':from': from, ':at': event.at, ':due': 'DUE', ':dueSk': purgeDueSk(purgeAt!, change.caseId), ':purgeAt': purgeAt },
            }
          : {
              // Open again: no purge of a closed case; the retention of open cases checks it at the next run.
              UpdateExpression: 'SET #s = :to, reopenedAt = :at, #dp = :due, #ds = :retainSk REMOVE closedAt, purgeAt',
              ExpressionAttributeValues: { ':to': to, ':from': from, ':at': event.at, ':due': 'DUE', ':retainSk': retentionDueKeys(event.at, change.caseId).dueSk },
            };
      items.push(
        {
          Update: {
            TableName: this.tableName,
            Key: caseKey(change.caseId),
            ...update,
            ConditionExpression: '#s = :from AND attribute_not_exists(#purged)',
            ExpressionAttributeNames: { '#s': 'status', '#dp': INDEXES.due.partitionKey, '#ds': INDEXES.due.sortKey, '#purged': 'purgedAt' },
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

  /**
   * Every open referral of a division, by next deadline: the sparse `due` index holds each open
   * referral once (cases and reviews are skipped by the filter). The cursor is the key of the last
   * item returned, so that nothing between pages is skipped.
   */
  async listOpenWork(divisionPrefix: string, limit: number, cursor?: string): Promise<QueuePage> {
    let start: Record<string, unknown> | undefined = cursor ? decodeOpenWorkCursor(cursor) : undefined;
    const items: Record<string, unknown>[] = [];
    let more = false;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.due.name,
          KeyConditionExpression: '#p = :due',
          FilterExpression: '#e = :referral AND begins_with(#d, :prefix)',
          ExpressionAttributeNames: { '#p': INDEXES.due.partitionKey, '#e': 'entity', '#d': 'divisionCode' },
          ExpressionAttributeValues: { ':due': 'DUE', ':referral': 'referral', ':prefix': divisionPrefix },
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(i);
      }
      start = page.LastEvaluatedKey;
      if (!more && items.length === limit && start) more = true;
    } while (start && !more);
    const last = items.at(-1);
    const next = more && last ? encodeCursor({ pk: last.pk, sk: last.sk, duePk: last.duePk, dueSk: last.dueSk }) : null;
    return { items: items.map(stripReferral), cursor: next };
  }

  async findDue(now: string, limit: number): Promise<DueEntry[]> {
    const found: DueEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.due.name,
          KeyConditionExpression: '#p = :due AND #s <= :now',
          ExpressionAttributeNames: { '#p': INDEXES.due.partitionKey, '#s': INDEXES.due.sortKey, '#c': 'caseId', '#q': 'seq', '#r': 'referralId', '#e': 'entity' },
          ExpressionAttributeValues: { ':due': 'DUE', ':now': now },
          ProjectionExpression: '#c, #q, #r, #e, #s',
          Limit: Math.min(100, limit - found.length),
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        if (i.entity === 'review') {
          const caseId = REVIEW_DUE_SK.exec(String(i.dueSk))?.[2];
          if (caseId && caseId === i.caseId) found.push({ kind: 'review', caseId });
        } else if (i.entity === 'case' && RETAIN_DUE_SK.test(String(i.dueSk))) {
          const caseId = RETAIN_DUE_SK.exec(String(i.dueSk))?.[2];
          if (caseId && caseId === i.caseId) found.push({ kind: 'retention', caseId, dueSk: String(i.dueSk) });
        } else if (i.entity === 'case') {
          const m = PURGE_DUE_SK.exec(String(i.dueSk));
          const [, purgeAt, caseId] = m ?? [];
          if (purgeAt && caseId && caseId === i.caseId) found.push({ kind: 'purge', caseId, purgeAt });
        } else if (typeof i.caseId === 'string' && typeof i.seq === 'number' && typeof i.referralId === 'string') {
          found.push({ kind: 'referral', caseId: i.caseId, seq: i.seq, referralId: i.referralId });
        }
      }
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  async loadCaseState(caseId: string): Promise<CaseState | null> {
    const key = caseKey(caseId);
    // Sort keys: CASE < EVT#… < NOTIFY#… < REF#… < REVIEW: the referrals and the review are the tail of the partition.
    const readTail = async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :ref',
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
    const [caseItem, tail] = await Promise.all([this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })), readTail()]);
    if (!caseItem.Item || caseItem.Item.purgedAt !== undefined) return null;
    const review = tail.find((i) => i.entity === 'review');
    return {
      case: stripReferral(caseItem.Item) as unknown as CaseRecord,
      referrals: tail.filter((i) => i.entity === 'referral').map(stripReferral),
      ...(review ? { review: stripReferral(review) as unknown as DangerReview } : {}),
    };
  }

  async commitCaseChange(change: CaseChange): Promise<void> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    const cu = change.caseUpdate;
    if (cu) {
      // Opening again cancels a scheduled purge; closing schedules one (the case enters the due index).
      // Opening again cancels a scheduled purge and has the retention of open cases check it at the next run.
      const reopen = cu.reopen
        ? ', #s = :open, reopenedAt = :at, #dp = :due, #ds = :retainSk REMOVE purgeAt'
        : cu.close
          ? ', #s = :closed, closedAt = :at, purgeAt = :purgeAt, #dp = :due, #ds = :dueSk'
          : '';
      items.push({
        Update: {
          TableName: this.tableName,
          Key: caseKey(change.caseId),
          UpdateExpression: `SET classification = :c, #rev = :next${cu.referralCount !== undefined ? ', referralCount = :n' : ''}${reopen}`,
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#purged) AND ${cu.expectedRevision === 0 ? 'attribute_not_exists(#rev)' : '#rev = :expected'}`,
          ExpressionAttributeNames: { '#rev': 'revision', '#purged': 'purgedAt', ...(cu.reopen || cu.close ? { '#s': 'status', '#dp': INDEXES.due.partitionKey, '#ds': INDEXES.due.sortKey } : {}) },
          ExpressionAttributeValues: {
            ':c': cu.classification,
            ':next': cu.expectedRevision + 1,
            ...(cu.expectedRevision === 0 ? {} : { ':expected': cu.expectedRevision }),
            ...(cu.referralCount !== undefined ? { ':n': cu.referralCount } : {}),
            ...(cu.reopen
              ? {
                  ':open': 'open',
                  ':at': change.events[0]?.at ?? new Date().toISOString(),
                  ':due': 'DUE',
                  ':retainSk': retentionDueKeys(change.events[0]?.at ?? new Date().toISOString(), change.caseId).dueSk,
                }
              : {}),
            ...(cu.close
              ? { ':closed': 'closed', ':at': change.events[0]?.at ?? new Date().toISOString(), ':purgeAt': cu.close.purgeAt, ':due': 'DUE', ':dueSk': purgeDueSk(cu.close.purgeAt, change.caseId) }
              : {}),
          },
        },
      });
    }
    if (change.review) {
      const { before, after, nextDueAt } = change.review;
      items.push({
        Put: {
          TableName: this.tableName,
          Item: reviewItem(after, nextDueAt),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': before.version },
        },
      });
    }
    for (const r of change.referrals) {
      items.push({ Update: referralUpdate({ caseId: change.caseId, before: r.before, after: r.after, placement: r.placement, event: change.events[0]!, siblingVersions: [] }, this.tableName) });
    }
    for (const { referral: r, placement } of change.added) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...referralKey(change.caseId, r.seq), entity: 'referral', ...r, ...placementKeys(r, placement) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    // The first event carries the tally of every referral the change moved (a reclassification is one event).
    const tally = tallyOf([...change.referrals, ...change.added.map((a) => ({ after: a.referral }))]);
    change.events.forEach((e, i) => items.push({ Put: { TableName: this.tableName, Item: eventItem(e, i === 0 ? tally : []), ConditionExpression: 'attribute_not_exists(pk)' } }));
    if (change.correction) items.push({ Put: { TableName: this.tableName, Item: { ...correctionKey(change.correction), entity: 'correction', ...change.correction } } });
    if (items.length === 0) return;
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new ConcurrentChangeError('stale');
      if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConcurrentChangeError('retry');
      throw err;
    }
  }

  async listPendingReviews(divisionPrefix: string): Promise<DangerReview[]> {
    const out: DangerReview[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.queue.name,
          KeyConditionExpression: '#q = :q',
          FilterExpression: 'begins_with(#d, :prefix)',
          ExpressionAttributeNames: { '#q': INDEXES.queue.partitionKey, '#d': 'divisionCode' },
          ExpressionAttributeValues: { ':q': 'Q#review', ':prefix': divisionPrefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) if (i.entity === 'review' && i.status === 'pending') out.push(stripReferral(i) as unknown as DangerReview);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async listCorrections(month: string): Promise<CorrectionRecord[]> {
    const out: CorrectionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CORRECTION#${month}` }, ExclusiveStartKey: start }),
      );
      for (const i of page.Items ?? []) out.push(stripReferral(i) as unknown as CorrectionRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async getCaseView(caseId: string): Promise<CaseView | null> {
    const view = (await this.cases.getCase(caseId)) as CaseView | null;
    // A purged case is not shown: what is left of it only waits for TTL.
    if (!view || (view.case as { purgedAt?: string }).purgedAt !== undefined) return null;
    return view;
  }

  /**
   * The purge of a closed case, in steps that can each be repeated:
   *   1. the case item, if still closed and still scheduled for this purge: personal fields
   *      redacted (redactClosedCase) and `purgedAt` set, which also refuses any later reopen;
   *   2. every other item of its partition (referrals, events, notifications) and its idempotency
   *      and reference items get the TTL attribute (never created: each write requires the item);
   *   3. the case item gets the TTL attribute and leaves the due index.
   * A run that stops half-way leaves the case in the due index, and the next run repeats the steps.
   * Two runs at once both pass step 1 (the same values), share step 2 (each item is written once)
   * and only one completes step 3.
   */
  async purgeClosedCase(due: DuePurge, now: Date): Promise<PurgeOutcome> {
    const key = caseKey(due.caseId);
    const dueSk = purgeDueSk(due.purgeAt, due.caseId);
    const found = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const stored = found.Item;
    // Closed cases, and cases recorded without referral (no consent), are the ones that are over.
    if (!stored || !PURGEABLE_STATUSES.includes(stored.status) || stored.dueSk !== dueSk) return { outcome: 'skipped' };

    const redaction = redactClosedCase(stored as unknown as PurgeableCase);
    const names: Record<string, string> = { '#s': 'status', '#ds': INDEXES.due.sortKey, '#purged': 'purgedAt', '#location': 'location', '#contact': 'contact', '#classification': 'classification' };
    redaction.remove.forEach((attr, i) => (names[`#r${i}`] = attr));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET #location = :location, #contact = :contact, #classification = :classification, #purged = if_not_exists(#purged, :at) REMOVE ${redaction.remove.map((_, i) => `#r${i}`).join(', ')}`,
          ConditionExpression: '#s IN (:closed, :notReferred) AND #ds = :dueSk',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...prefixed(redaction.set), ':at': now.toISOString(), ':closed': 'closed', ':notReferred': 'not_referred', ':dueSk': dueSk },
        }),
      );
    } catch (err) {
      // Reopened, rescheduled or completed by another run since it was read.
      if (isConditionFailure(err)) return { outcome: 'skipped' };
      throw err;
    }

    const expiresAt = ttlEpochSeconds(now);
    const targets: { key: Record<string, string>; caseId?: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeNames: { '#e': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':pk': key.pk },
          ProjectionExpression: 'pk, sk, #e',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        if (i.sk !== key.sk && i[TTL_ATTRIBUTE] === undefined) targets.push({ key: { pk: String(i.pk), sk: String(i.sk) } });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    if (typeof stored.channel === 'string' && typeof stored.externalId === 'string') targets.push({ key: idempotencyKey(stored.channel, stored.externalId), caseId: due.caseId });
    if (typeof stored.reference === 'string') targets.push({ key: referenceKey(stored.reference), caseId: due.caseId });

    let items = 0;
    const queue = [...targets];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) if (await this.expire(t.key, expiresAt, t.caseId)) items++;
    };
    await Promise.all(Array.from({ length: Math.min(PURGE_CONCURRENCY, Math.max(1, queue.length)) }, worker));

    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #e = if_not_exists(#e, :exp) REMOVE #dp, #ds',
          ConditionExpression: '#ds = :dueSk AND attribute_exists(#purged)',
          ExpressionAttributeNames: { '#e': TTL_ATTRIBUTE, '#dp': INDEXES.due.partitionKey, '#ds': INDEXES.due.sortKey, '#purged': 'purgedAt' },
          ExpressionAttributeValues: { ':exp': expiresAt, ':dueSk': dueSk },
        }),
      );
    } catch (err) {
      // Another run completed this purge first.
      if (isConditionFailure(err)) return { outcome: 'skipped' };
      throw err;
    }
    return { outcome: 'purged', items: items + 1 };
  }

  async rescheduleRetention(due: DueRetention, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: caseKey(due.caseId),
          UpdateExpression: 'SET #ds = :next, retentionCheckAt = :at',
          ConditionExpression: '#s = :open AND #ds = :dueSk',
          ExpressionAttributeNames: { '#s': 'status', '#ds': INDEXES.due.sortKey },
          ExpressionAttributeValues: { ':next': retentionDueKeys(at, due.caseId).dueSk, ':at': at, ':open': 'open', ':dueSk': due.dueSk },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async warnRetention(w: RetentionWarning): Promise<boolean> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Update: {
          TableName: this.tableName,
          Key: caseKey(w.caseId),
          // Looked at again at the purge instant.
          UpdateExpression: 'SET #ds = :next, retentionCheckAt = :purgeAt, retentionWarnedAt = :warnedAt, retentionPurgeAt = :purgeAt',
          ConditionExpression: '#s = :open AND #ds = :dueSk',
          ExpressionAttributeNames: { '#s': 'status', '#ds': INDEXES.due.sortKey },
          ExpressionAttributeValues: { ':next': retentionDueKeys(w.purgeAt, w.caseId).dueSk, ':purgeAt': w.purgeAt, ':warnedAt': w.warnedAt, ':open': 'open', ':dueSk': w.dueSk },
        },
      },
      // The version is not raised: the warning changes nothing a caseworker acts on, and her concurrent change keeps it.
      ...w.referrals.map((r) => ({
        Update: {
          TableName: this.tableName,
          Key: referralKey(w.caseId, r.seq),
          UpdateExpression: 'SET retentionWarnedAt = :warnedAt, retentionPurgeAt = :purgeAt',
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':warnedAt': w.warnedAt, ':purgeAt': w.purgeAt, ':v': r.version },
        },
      })),
      { Put: { TableName: this.tableName, Item: eventItem(w.event), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException || isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Personal data out of an open case, in steps that can each be repeated: the free text of its
   * events and of its review's decision note first, then (the step that ends it) the case redacted,
   * marked, out of the due index, with its `personal_data_purged` event, in one transaction.
   */
  async purgeOpenCase(due: DueRetention, now: Date, event: ReferralEvent): Promise<boolean> {
    const key = caseKey(due.caseId);
    const found = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const stored = found.Item;
    if (!stored || stored.status !== 'open' || stored.dueSk !== due.dueSk || stored.purgedAt !== undefined) return false;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': key.pk, ':evt': 'EVT#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const e of page.Items ?? []) {
        const details = (e.details ?? {}) as Record<string, unknown>;
        const kept = codesOnly(details);
        if (JSON.stringify(kept) === JSON.stringify(details)) continue;
        await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: { pk: e.pk, sk: e.sk }, UpdateExpression: 'SET details = :d', ExpressionAttributeValues: { ':d': kept } }));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: reviewKey(due.caseId), UpdateExpression: 'REMOVE note', ConditionExpression: 'attribute_exists(pk)' }));
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const redaction = redactClosedCase(stored as unknown as PurgeableCase);
    const names: Record<string, string> = {
      '#s': 'status',
      '#dp': INDEXES.due.partitionKey,
      '#ds': INDEXES.due.sortKey,
      '#location': 'location',
      '#contact': 'contact',
      '#classification': 'classification',
    };
    redaction.remove.forEach((attr, i) => (names[`#r${i}`] = attr));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: key,
                UpdateExpression: `SET #location = :location, #contact = :contact, #classification = :classification, personalDataPurgedAt = :at REMOVE ${redaction.remove.map((_, i) => `#r${i}`).join(', ')}, #dp, #ds, retentionCheckAt`,
                ConditionExpression: '#s = :open AND #ds = :dueSk',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ...prefixed(redaction.set), ':at': now.toISOString(), ':open': 'open', ':dueSk': due.dueSk },
              },
            },
            { Put: { TableName: this.tableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException || isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Sets the TTL attribute of an existing item that has none (of the given case, when it says which); false when there was nothing to set. */
  private async expire(key: Record<string, string>, expiresAt: number, caseId?: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #e = :exp',
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#e)${caseId ? ' AND #c = :c' : ''}`,
          ExpressionAttributeNames: { '#e': TTL_ATTRIBUTE, ...(caseId ? { '#c': 'caseId' } : {}) },
          ExpressionAttributeValues: { ':exp': expiresAt, ...(caseId ? { ':c': caseId } : {}) },
        }),
      );
      return true;
    } catch (err) {
      // Already set (a concurrent run), already deleted by TTL, or not this case's item.
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

/** Queue and due index keys of a new referral item. */
function placementKeys(r: TrackedReferral, p: Placement): Record<string, string> {
  return {
    ...(p.queue ? { queuePk: queuePkOf(p.queue.queue), queueSk: queueSkOf(r.urgency, p.queue.deadline, r.referralId) } : {}),
    ...(p.due ? { duePk: 'DUE', dueSk: `${p.due.at}#${r.referralId}` } : {}),
    ...(referralDeadlineKeys(r) ?? {}),
  };
}

const prefixed = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v]));
