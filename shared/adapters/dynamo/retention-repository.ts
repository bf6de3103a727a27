// DynamoDB adapter of retention: the purge of closed cases and the retention of open cases without
// activity (warning, then the purge of her personal data), each step conditional so that a run that
// stops half-way, or two runs at once, leave nothing half-done. The steps are described on each method.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { codesOnly, redactClosedCase, ttlEpochSeconds, type PurgeableCase } from '../../domain/lifecycle/index.js';
import type { DuePurge, DueRetention, PurgeOutcome, ReferralEvent, RetentionWarning } from '../../usecases/referrals/ports.js';
import { caseKey, contactLinkKey, idempotencyKey, referenceKey, referralKey, retentionDueKeys, reviewKey } from './keys.js';

/** The link items of a stored case (one per keyed hash it was linked under): they go with her personal data. */
const linkItemKeysOf = (stored: Record<string, unknown>) =>
  Array.isArray(stored.contactKeys) && typeof stored.createdAt === 'string' && typeof stored.caseId === 'string'
    ? stored.contactKeys.filter((k): k is string => typeof k === 'string').map((k) => contactLinkKey(k, stored.createdAt as string, stored.caseId as string))
    : [];
import { isConditionFailure } from './conditions.js';
import { INDEXES, TTL_ATTRIBUTE } from './table-definition.js';
import { eventItem, PURGE_CONCURRENCY, PURGEABLE_STATUSES, prefixed, purgeDueSk } from './referral-items.js';

export class DynamoRetentionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The purge of a closed case, in steps that can each be repeated:
   *   0. the link items of her number's keyed hashes (contactKeys) get the TTL attribute;
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

    // Her number's link items first: step 1 removes the case's record of them.
    for (const k of linkItemKeysOf(stored)) await this.expire(k, ttlEpochSeconds(now), due.caseId);

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
   * events and of its review's decision note first, and the link items of her number, then (the step that ends it) the case redacted,
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
    // Her number's link to this case goes before the case forgets which links it had.
    for (const k of linkItemKeysOf(stored)) await this.expire(k, ttlEpochSeconds(now), due.caseId);
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
