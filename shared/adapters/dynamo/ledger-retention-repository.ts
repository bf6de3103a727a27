// DynamoDB adapter of the ledger's retention: an exited record waits in the due index
// (LEDGERDUE / <purgeAt>#<personId>) until its purge, which runs in steps that can each be repeated:
//   1. her contact item loses her phone number and her visits their notes; every item of her
//      partition but the record gets the TTL attribute;
//   2. the record loses the fields PURGED_LEDGER_FIELDS names, gets `purgedAt` and the TTL attribute,
//      and leaves the due index, on the condition that it is still exited and still due then.
// A run that stops half-way leaves the record in the due index, and the next run repeats the steps.
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ttlEpochSeconds } from '../../domain/lifecycle/retention.js';
import { PURGED_LEDGER_FIELDS } from '../../domain/ledger/entry.js';
import type { DueExit, LedgerRetentionStore } from '../../usecases/ledger-retention.js';
import { isConditionFailure } from './conditions.js';
import { LEDGER_DUE_PK, ledgerPurgeDueKeys } from './keys.js';
import { INDEXES, TTL_ATTRIBUTE } from './table-definition.js';

const DUE_SK = /^(.+)#([0-9A-HJKMNP-TV-Z]{26})$/;

export class DynamoLedgerRetentionRepository implements LedgerRetentionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findDueExits(now: string, limit: number): Promise<DueExit[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.due.name,
        KeyConditionExpression: '#p = :due AND #s <= :now',
        ExpressionAttributeNames: { '#p': INDEXES.due.partitionKey, '#s': INDEXES.due.sortKey },
        ExpressionAttributeValues: { ':due': LEDGER_DUE_PK, ':now': `${now}#~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).flatMap((i) => {
      const [, purgeAt, personId] = DUE_SK.exec(String(i.dueSk)) ?? [];
      return purgeAt && personId && purgeAt <= now ? [{ personId, purgeAt }] : [];
    });
  }

  async purgeExited(due: DueExit, now: Date): Promise<boolean> {
    const pk = `PERSON#${due.personId}`;
    const expiresAt = ttlEpochSeconds(now);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === 'PERSON' || item[TTL_ATTRIBUTE] !== undefined) continue;
        // Her phone number and her visits' notes go at once; the rest waits for TTL.
        const remove = item.sk === 'CONTACT' ? ' REMOVE phone' : String(item.sk).startsWith('VISIT#') ? ' REMOVE #text' : '';
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `SET #e = :exp${remove}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#e': TTL_ATTRIBUTE, ...(remove.includes('#text') ? { '#text': 'text' } : {}) },
            ExpressionAttributeValues: { ':exp': expiresAt },
          }),
        );
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const names: Record<string, string> = { '#s': 'status', '#dp': INDEXES.due.partitionKey, '#ds': INDEXES.due.sortKey, '#e': TTL_ATTRIBUTE };
    PURGED_LEDGER_FIELDS.forEach((f, i) => (names[`#r${i}`] = f));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk: 'PERSON' },
          UpdateExpression: `SET purgedAt = :at, #e = :exp REMOVE #dp, #ds, ${PURGED_LEDGER_FIELDS.map((_, i) => `#r${i}`).join(', ')}`,
          ConditionExpression: '#s = :exited AND #ds = :dueSk',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':at': now.toISOString(), ':exp': expiresAt, ':exited': 'exited', ':dueSk': ledgerPurgeDueKeys(due.purgeAt, due.personId).dueSk },
        }),
      );
      return true;
    } catch (err) {
      // Purged by a concurrent run.
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
