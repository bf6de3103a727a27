// DynamoDB book-keeping of the bounds on SMS caused by public web posts. Every write is one
// conditional UpdateItem/PutItem keyed so that the same notification × recipient (requestId) always
// gets the same answer:
//   SMSCAP#<division>#<department> / <windowStart>      ids: the requestIds let through (a set), TTL
//   SMSDIGEST#<division>#<department>#<windowStart> / <recipient>   the one digest of the window
//   CASE#<caseId> / TEXTED#<recipient>                   one SMS per intake and person (purged with the case)
//   SMSNUM#<keyed hash> / SMSNUM                         one SMS per typed number and period, TTL
// No phone number is stored: recipients are roster ids, numbers keyed hashes.
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SmsGuard, SmsScope } from '../../usecases/notify-ports.js';
import { isConditionFailure } from './conditions.js';
import { TTL_ATTRIBUTE } from './table-definition.js';

const DAY_S = 86_400;

export class DynamoSmsGuard implements SmsGuard {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async firstFor(key: Record<string, string>, requestId: string, extra: Record<string, unknown> = {}): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'sms_guard', requestId, ...extra },
          ConditionExpression: 'attribute_not_exists(pk) OR requestId = :rid',
          ExpressionAttributeValues: { ':rid': requestId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async staffSlot(scope: SmsScope, windowStart: string, cap: number, requestId: string): Promise<'allowed' | 'capped'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SMSCAP#${scope.divisionCode}#${scope.department}`, sk: windowStart },
          UpdateExpression: 'ADD ids :one SET entity = :entity, #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(ids) OR size(ids) < :cap OR contains(ids, :rid)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': new Set([requestId]), ':rid': requestId, ':cap': cap, ':entity': 'sms_guard', ':ttl': Math.floor(Date.parse(windowStart) / 1000) + DAY_S },
        }),
      );
      return 'allowed';
    } catch (err) {
      if (isConditionFailure(err)) return 'capped';
      throw err;
    }
  }

  digestFor(scope: SmsScope, windowStart: string, recipient: string, requestId: string): Promise<boolean> {
    return this.firstFor({ pk: `SMSDIGEST#${scope.divisionCode}#${scope.department}#${windowStart}`, sk: recipient }, requestId, {
      [TTL_ATTRIBUTE]: Math.floor(Date.parse(windowStart) / 1000) + DAY_S,
    });
  }

  oncePerCase(caseId: string, recipient: string, requestId: string): Promise<boolean> {
    return this.firstFor({ pk: `CASE#${caseId}`, sk: `TEXTED#${recipient}` }, requestId);
  }

  async oncePerNumber(numberKey: string, requestId: string, now: Date, hours: number): Promise<boolean> {
    const until = now.getTime() + hours * 3600_000;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `SMSNUM#${numberKey}`, sk: 'SMSNUM', entity: 'sms_guard', requestId, untilMs: until, [TTL_ATTRIBUTE]: Math.ceil(until / 1000) },
          ConditionExpression: 'attribute_not_exists(pk) OR untilMs < :now OR requestId = :rid',
          ExpressionAttributeValues: { ':now': now.getTime(), ':rid': requestId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
