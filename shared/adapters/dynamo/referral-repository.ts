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
// again, in the same transaction. The scheduled run purges it (purgeClosedCase, in
// ./retention-repository.ts with the retention of open cases). Item shapes: ./referral-items.ts;
// queue cursors: ./referral-cursors.ts.
import type { ContactMatch } from '../../domain/case/contact-links.js';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord, CaseStatus } from '../../domain/case/case.js';
import type { DangerReview } from '../../domain/triage/danger-review.js';
import { tallyOf } from '../../domain/statistics/tally.js';
import { type QueueRef } from '../../domain/lifecycle/index.js';
import { ConcurrentChangeError } from '../../usecases/referrals/errors.js';
import type {
  CaseChange,
  CaseState,
  CaseView,
  CorrectionRecord,
  DueEntry,
  DuePurge,
  DueRetention,
  LoadedCase,
  PurgeOutcome,
  QueuePage,
  ReferralChange,
  ReferralEvent,
  ReferralStore,
  RetentionWarning,
} from '../../usecases/referrals/ports.js';
import { DynamoCaseRepository } from './case-repository.js';
import { caseKey, correctionKey, queuePkOf, referralKey, retentionDueKeys, reviewItem } from './keys.js';
import { INDEXES } from './table-definition.js';
import { decodeCursor, decodeOpenWorkCursor, encodeCursor } from './referral-cursors.js';
import { eventItem, PURGE_DUE_SK, placementKeys, purgeDueSk, referralUpdate, RETAIN_DUE_SK, REVIEW_DUE_SK, stripReferral } from './referral-items.js';
import { DynamoRetentionRepository } from './retention-repository.js';

export class DynamoReferralRepository implements ReferralStore {
  private readonly cases: DynamoCaseRepository;
  private readonly retention: DynamoRetentionRepository;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.cases = new DynamoCaseRepository(db, tableName);
    this.retention = new DynamoRetentionRepository(db, tableName);
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

  findContacts(key: string, limit: number): Promise<ContactMatch> {
    return this.cases.findContacts(key, limit);
  }

  // Retention: its own adapter (./retention-repository.ts), behind the same port.
  purgeClosedCase(due: DuePurge, now: Date): Promise<PurgeOutcome> {
    return this.retention.purgeClosedCase(due, now);
  }

  rescheduleRetention(due: DueRetention, at: string): Promise<boolean> {
    return this.retention.rescheduleRetention(due, at);
  }

  warnRetention(w: RetentionWarning): Promise<boolean> {
    return this.retention.warnRetention(w);
  }

  purgeOpenCase(due: DueRetention, now: Date, event: ReferralEvent): Promise<boolean> {
    return this.retention.purgeOpenCase(due, now, event);
  }
}
