// DynamoDB adapter of the statistics rebuild (npm run reports:rebuild), an administrator's batch
// job: it scans the table for tallied events once and rewrites the counter items. Kept apart from
// the functions' repository: no function is granted Scan or BatchWriteItem.
import { BatchWriteCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrackedReferral } from '../../domain/lifecycle/index.js';
import { isConditionFailure } from './conditions.js';
import { referralDeadlineKeys } from './referral-items.js';
import type { TallyEntry } from '../../domain/statistics/tally.js';
import type { MonthlyRow, OpenRow, StatisticsRebuildStore } from '../../usecases/statistics/ports.js';
import { monthlyStatsKey, openStatsKey, seenExpiry, seenKey } from './statistics-repository.js';
import { INDEXES, TTL_ATTRIBUTE } from './table-definition.js';

type Request = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export class DynamoStatisticsRebuild implements StatisticsRebuildStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *talliedEvents(): AsyncIterable<{ eventId: string; at: string; tally: readonly TallyEntry[] }> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#e = :event AND attribute_exists(#t)',
          ProjectionExpression: '#id, #at, #t',
          ExpressionAttributeNames: { '#e': 'entity', '#t': 'tally', '#id': 'eventId', '#at': 'at' },
          ExpressionAttributeValues: { ':event': 'event' },
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      for (const i of page.Items ?? []) yield { eventId: String(i.eventId), at: String(i.at), tally: i.tally as TallyEntry[] };
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  /**
   * Open referrals written before the `deadline` index existed carry no key for it: give them one
   * (conditional on the version read, so a concurrent change wins). Returns how many were keyed.
   */
  async backfillDeadlineKeys(): Promise<number> {
    let keyed = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#e = :referral AND attribute_not_exists(#dp)',
          ExpressionAttributeNames: { '#e': 'entity', '#dp': INDEXES.deadline.partitionKey },
          ExpressionAttributeValues: { ':referral': 'referral' },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) {
        const keys = referralDeadlineKeys(item as unknown as TrackedReferral);
        if (!keys) continue;
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET #dp = :dp, #ds = :ds',
              ConditionExpression: '#v = :v AND attribute_not_exists(#dp)',
              ExpressionAttributeNames: { '#dp': INDEXES.deadline.partitionKey, '#ds': INDEXES.deadline.sortKey, '#v': 'version' },
              ExpressionAttributeValues: { ':dp': keys.deadlinePk, ':ds': keys.deadlineSk, ':v': item.version },
            }),
          );
          keyed++;
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return keyed;
  }

  /** Months that have counter rows: one more scan of this batch job, so that no live write keeps a registry of them. */
  async storedMonths(): Promise<string[]> {
    const months = new Set<string>();
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#e = :month',
          ProjectionExpression: '#m',
          ExpressionAttributeNames: { '#e': 'entity', '#m': 'month' },
          ExpressionAttributeValues: { ':month': 'stats_month' },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const i of page.Items ?? []) months.add(String(i.month));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return [...months];
  }

  async replace(months: Map<string, MonthlyRow[]>, open: OpenRow[], events: readonly { eventId: string; at: string }[]): Promise<void> {
    const requests: Request[] = [];
    const put = (Item: Record<string, unknown>) => requests.push({ PutRequest: { Item } });
    for (const [month, rows] of months) {
      const fresh = new Set(rows.map((r) => monthlyStatsKey(r.key).sk));
      for (const k of await this.keysOf(`STATS#${month}`)) if (!fresh.has(k.sk)) requests.push({ DeleteRequest: { Key: k } });
      for (const r of rows) put({ ...monthlyStatsKey(r.key), entity: 'stats_month', ...r.key, ...r.counts });
    }
    const freshOpen = new Set(open.map((r) => openStatsKey(r.key).sk));
    for (const k of await this.keysOf('STATS#OPEN')) if (!freshOpen.has(k.sk)) requests.push({ DeleteRequest: { Key: k } });
    for (const r of open) put({ ...openStatsKey(r.key), entity: 'stats_open', ...r.key, ...r.counts });
    // Every event just counted is marked, so that a late stream delivery of one adds nothing.
    for (const e of events) put({ ...seenKey(e.eventId), entity: 'stats_seen', at: e.at, [TTL_ATTRIBUTE]: Math.max(seenExpiry(e.at), seenExpiry(new Date().toISOString())) });
    for (let i = 0; i < requests.length; i += 25) {
      let batch: Request[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; batch && batch.length > 0; attempt++) {
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }));
        batch = out.UnprocessedItems?.[this.tableName] as Request[] | undefined;
        if (batch?.length) await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
  }

  private async keysOf(pk: string): Promise<{ pk: string; sk: string }[]> {
    const out: { pk: string; sk: string }[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ProjectionExpression: 'pk, sk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: cursor }),
      );
      for (const i of page.Items ?? []) out.push({ pk: String(i.pk), sk: String(i.sk) });
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return out;
  }
}
