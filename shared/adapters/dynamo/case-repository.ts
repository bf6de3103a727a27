// DynamoDB adapter for cases: the whole new case in one transaction, and reads of a case.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent, CaseRecord, NewCase, ReferralRecord } from '../../domain/case/case.js';
import type { ContactMatch, PriorContact } from '../../domain/case/contact-links.js';
import type { DangerReview } from '../../domain/triage/danger-review.js';
import { tallyOf } from '../../domain/statistics/tally.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import { caseKey, contactKeyPk, contactLinkKey, deadlineKeys, dueKeys, eventSk, idempotencyKey, purgeDueKeys, queueKeys, referenceKey, referralKey, retentionDueKeys, reviewItem } from './keys.js';

export type SaveOutcome = { outcome: 'created' } | { outcome: 'duplicate'; caseId: string; fingerprint: string };

export interface CaseView {
  case: CaseRecord;
  referrals: ReferralRecord[];
  events: CaseEvent[];
  review?: DangerReview;
}

export class ReferenceCollisionError extends Error {}

const strip = <T extends Record<string, unknown>>(item: T) => {
  const { pk, sk, entity, queuePk, queueSk, duePk, dueSk, deadlinePk, deadlineSk, tally, ...rest } = item;
  return rest;
};

export class DynamoCaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes case, referrals, events, the idempotency item and the reference item atomically.
   * A second delivery of the same external id finds the idempotency item and writes nothing.
   */
  async saveNewCase(created: NewCase, fingerprint: string): Promise<SaveOutcome> {
    const c = created.case;
    const ext = idempotencyKey(c.channel, c.externalId);
    const items = [
      { Put: { TableName: this.tableName, Item: { ...ext, entity: 'idempotency', caseId: c.caseId, fingerprint, createdAt: c.createdAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: { ...referenceKey(c.reference), entity: 'reference', caseId: c.caseId }, ConditionExpression: 'attribute_not_exists(pk)' } },
      // A case recorded without referral is over at once: it waits in the due index for its purge. An
      // open one waits there for its retention check.
      {
        Put: {
          TableName: this.tableName,
          Item: { ...caseKey(c.caseId), entity: 'case', ...c, ...(c.purgeAt ? purgeDueKeys(c.purgeAt, c.caseId) : c.retentionCheckAt ? retentionDueKeys(c.retentionCheckAt, c.caseId) : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...created.referrals.map((r) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...referralKey(r.caseId, r.seq),
            entity: 'referral',
            ...r,
            ...queueKeys({ ...r, deadline: r.signForBy }),
            ...dueKeys({ deadline: r.signForBy, referralId: r.referralId }),
            ...deadlineKeys(r.signForBy, r.referralId),
          },
        },
      })),
      // Later contacts of the same number find this case by its link item (no number in it: the key is a keyed hash).
      ...(created.contactLink?.keys ?? []).map((key) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...contactLinkKey(key, c.createdAt, c.caseId),
            entity: 'contact_link',
            caseId: c.caseId,
            reference: c.reference,
            channel: c.channel,
            createdAt: c.createdAt,
            urgency: c.classification.urgency,
            safety: created.contactLink!.safety,
          } satisfies Record<string, unknown> & PriorContact,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      // A pending danger review waits in the due index for its first escalation (its decision deadline).
      ...(created.review ? [{ Put: { TableName: this.tableName, Item: reviewItem(created.review, created.review.dueAt) } }] : []),
      // The first event (case_created) carries the tally of the referrals it creates, for the statistics.
      ...created.events.map((e, i) => {
        const tally = i === 0 ? tallyOf(created.referrals.map((r) => ({ after: r }))) : [];
        return { Put: { TableName: this.tableName, Item: { pk: caseKey(e.caseId).pk, sk: eventSk(e.at, e.eventId), entity: 'event', ...e, ...(tally.length > 0 ? { tally } : {}) } } };
      }),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { outcome: 'created' };
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = err.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: ext, ConsistentRead: true }));
          if (existing.Item) return { outcome: 'duplicate', caseId: existing.Item.caseId as string, fingerprint: existing.Item.fingerprint as string };
        }
        if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new ReferenceCollisionError('case reference already taken');
        // Concurrent deliveries of the same intake conflict inside DynamoDB; retry and one of them wins.
        const conflict = reasons.some((r) => r.Code === 'TransactionConflict') || reasons[0]?.Code === 'ConditionalCheckFailed';
        if (!conflict || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 40 * attempt));
      }
    }
  }

  /** Her ledger entry and her `limit` most recent cases under a contact key (`phone#<hmac>`, `id#<hmac>`): one Query. */
  async findContacts(key: string, limit: number): Promise<ContactMatch> {
    // Newest first: PERSONKEY (the ledger's key item) sorts after every CASE#…, so it comes first.
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': contactKeyPk(key) }, ScanIndexForward: false, Limit: limit + 1 }),
    );
    const items = out.Items ?? [];
    const ledger = items.find((i) => i.sk === 'PERSONKEY');
    const prior = items
      // A purged case's link item waits for TTL: it links nothing any more.
      .filter((i) => i.entity === 'contact_link' && i[TTL_ATTRIBUTE] === undefined)
      .slice(0, limit)
      .map((i) => ({ caseId: i.caseId, reference: i.reference, channel: i.channel, createdAt: i.createdAt, urgency: i.urgency, safety: i.safety === true }) as PriorContact);
    return { ...(typeof ledger?.personId === 'string' ? { personId: ledger.personId } : {}), prior };
  }

  async getCase(caseId: string): Promise<CaseView | null> {
    const items: Record<string, unknown>[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': caseKey(caseId).pk },
          ExclusiveStartKey: cursor,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    const record = items.find((i) => i.entity === 'case');
    if (!record) return null;
    const review = items.find((i) => i.entity === 'review');
    return {
      case: strip(record) as unknown as CaseRecord,
      referrals: items.filter((i) => i.entity === 'referral').map((i) => strip(i) as unknown as ReferralRecord),
      events: items.filter((i) => i.entity === 'event').map((i) => strip(i) as unknown as CaseEvent),
      ...(review ? { review: strip(review) as unknown as DangerReview } : {}),
    };
  }
}
