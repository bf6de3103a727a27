// DynamoDB adapter for notification claims and delivery records, and the one read of the woman's
// contact choices the notifier makes.
//
// A notification item sits in the case's partition beside its referral, separate from it (the
// referral's `version` is the caseworkers' to bump, never the notifier's):
//   pk CASE#<caseId>, sk NOTIFY#<referralId>#<kind>#<discriminator>, entity 'notification',
//   status 'pending' | 'done', leaseOwner, leaseUntil (epoch ms), attempts, recipients (map of
//   recipient id → channel, role, status, attempts, messageId, error; never a phone number).
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent } from '../../domain/case/case.js';
import {
  RetryableNotificationError,
  type CaseContactReader,
  type ClaimResult,
  type ClientContact,
  type NotificationKey,
  type NotificationStore,
  type RecipientRecord,
} from '../../usecases/notify-ports.js';
import { caseKey, eventSk } from './keys.js';

export const notificationKey = (k: NotificationKey) => ({ pk: `CASE#${k.caseId}`, sk: `NOTIFY#${k.referralId}#${k.kind}#${k.discriminator}` });

const NAMES = { '#status': 'status', '#entity': 'entity', '#kind': 'kind', '#disc': 'discriminator', '#owner': 'leaseOwner', '#until': 'leaseUntil', '#attempts': 'attempts' };

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: NotificationKey, owner: string, leaseUntil: number, now: number, plan: Record<string, RecipientRecord>): Promise<ClaimResult> {
    const nowIso = new Date(now).toISOString();
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: notificationKey(key),
          UpdateExpression:
            'SET #entity = :entity, caseId = :caseId, referralId = :referralId, #kind = :kind, #disc = :disc, #status = :pending, ' +
            '#owner = :owner, #until = :until, #attempts = if_not_exists(#attempts, :zero) + :one, createdAt = if_not_exists(createdAt, :nowIso), updatedAt = :nowIso, ' +
            'recipients = if_not_exists(recipients, :plan)',
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :pending AND #until < :now)',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':entity': 'notification',
            ':caseId': key.caseId,
            ':referralId': key.referralId,
            ':kind': key.kind,
            ':disc': key.discriminator,
            ':pending': 'pending',
            ':owner': owner,
            ':until': leaseUntil,
            ':zero': 0,
            ':one': 1,
            ':nowIso': nowIso,
            ':now': now,
            ':plan': plan,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = out.Attributes ?? {};
      return { state: 'acquired', attempts: Number(item.attempts ?? 1), recipients: (item.recipients as Record<string, RecipientRecord> | undefined) ?? null };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: notificationKey(key), ConsistentRead: true }));
      return existing.Item?.status === 'done' ? { state: 'done' } : { state: 'busy' };
    }
  }

  async advance(key: NotificationKey, owner: string, served: [string, RecipientRecord] | null, next: [string, RecipientRecord] | null): Promise<void> {
    const sets: string[] = ['updatedAt = :at'];
    const names: Record<string, string> = { '#owner': 'leaseOwner', '#status': 'status' };
    const values: Record<string, unknown> = { ':at': new Date().toISOString(), ':owner': owner, ':pending': 'pending' };
    // Recipient ids contain "/" and "."; they are always passed as attribute names.
    if (served) {
      names['#served'] = served[0];
      values[':served'] = served[1];
      sets.push('recipients.#served = :served');
    }
    if (next) {
      names['#next'] = next[0];
      values[':next'] = next[1];
      sets.push('recipients.#next = :next');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: notificationKey(key),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#owner = :owner AND #status = :pending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      // The lease expired and another delivery took the notification over: it will finish it.
      if (err instanceof ConditionalCheckFailedException) throw new RetryableNotificationError('lease lost before sending');
      throw err;
    }
  }

  async recordSkipped(key: NotificationKey, event: CaseEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...notificationKey(key),
                  entity: 'notification',
                  caseId: key.caseId,
                  referralId: key.referralId,
                  kind: key.kind,
                  discriminator: key.discriminator,
                  status: 'done',
                  attempts: 1,
                  recipients: {},
                  createdAt: event.at,
                  completedAt: event.at,
                  lastEventId: event.eventId,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: caseKey(event.caseId).pk, sk: eventSk(event.at, event.eventId), entity: 'event', ...event },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      // Already recorded by an earlier delivery of the record.
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  async finish(key: NotificationKey, owner: string, recipients: Record<string, RecipientRecord>, done: boolean, event: CaseEvent): Promise<void> {
    const at = event.at;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: notificationKey(key),
                UpdateExpression: done
                  ? 'SET recipients = :r, #status = :done, #until = :zero, updatedAt = :at, completedAt = :at, lastEventId = :eventId'
                  : 'SET recipients = :r, #until = :zero, updatedAt = :at, lastEventId = :eventId',
                ConditionExpression: '#owner = :owner AND #status = :pending',
                ExpressionAttributeNames: { '#owner': 'leaseOwner', '#status': 'status', '#until': 'leaseUntil' },
                ExpressionAttributeValues: {
                  ':r': recipients,
                  ':at': at,
                  ':zero': 0,
                  ':owner': owner,
                  ':pending': 'pending',
                  ':eventId': event.eventId,
                  ...(done ? { ':done': 'done' } : {}),
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: caseKey(event.caseId).pk, sk: eventSk(event.at, event.eventId), entity: 'event', ...event },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (err) {
      // The lease expired and another delivery took the notification over: it will finish it.
      if (err instanceof TransactionCanceledException) throw new RetryableNotificationError('lease lost before recording the result');
      throw err;
    }
  }
}

/** Reads the woman's SMS-relevant contact data from the case item, and nothing else of it. */
export class DynamoCaseContactReader implements CaseContactReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async contactOf(caseId: string): Promise<ClientContact | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: caseKey(caseId),
        ProjectionExpression: '#pk, #person.#phone, #contact.#sms, #contact.#dnc',
        ExpressionAttributeNames: { '#pk': 'pk', '#person': 'person', '#phone': 'phone', '#contact': 'contact', '#sms': 'safeToSms', '#dnc': 'doNotContact' },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return null;
    const person = (out.Item.person ?? {}) as { phone?: unknown };
    const contact = (out.Item.contact ?? {}) as { safeToSms?: unknown; doNotContact?: unknown };
    return {
      phone: typeof person.phone === 'string' ? person.phone : undefined,
      safeToSms: contact.safeToSms === true,
      doNotContact: contact.doNotContact === true,
    };
  }
}
