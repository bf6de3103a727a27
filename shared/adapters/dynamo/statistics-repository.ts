// DynamoDB adapter of the statistics: counter items in the single table, and the overdue referrals
// from the `deadline` index. Codes and counts only: nothing here is personal.
//
//   STATS#<YYYY-MM> / <division>#<department>#<need>#<urgency>   monthly counters (entity stats_month)
//   STATS#OPEN      / <division>#<department>                    open-work counters (entity stats_open)
//   STATSEEN#<eventId> / STATSEEN                                an event already counted (TTL 30 days)
//
// One event's counts are one transaction: the "seen" item (conditional on its absence) and an ADD
// per counter item, so a redelivered event adds nothing and a failed write adds nothing either.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Counts, EventCounts, MonthlyKey, OpenKey } from '../../domain/statistics/counters.js';
import type { DeadlineEntry, MonthlyRow, OpenRow, OverdueReader, StatisticsStore } from '../../usecases/statistics/ports.js';
import { INDEXES, TTL_ATTRIBUTE } from './table-definition.js';

/** How long an event's "seen" mark is kept: longer than a stream record can be redelivered (24 h) or redriven. */
const SEEN_DAYS = 30;

export const monthlyStatsKey = (k: MonthlyKey) => ({ pk: `STATS#${k.month}`, sk: `${k.divisionCode}#${k.department}#${k.need}#${k.urgency}` });
export const openStatsKey = (k: OpenKey) => ({ pk: 'STATS#OPEN', sk: `${k.divisionCode}#${k.department}` });
export const seenKey = (eventId: string) => ({ pk: `STATSEEN#${eventId}`, sk: 'STATSEEN' });
export const seenExpiry = (at: string) => Math.floor(Date.parse(at) / 1000) + SEEN_DAYS * 86_400;

const COUNTER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** An Update that adds counts to a counter item and (re)writes its key fields. */
export function counterUpdate(tableName: string, key: { pk: string; sk: string }, fields: Record<string, string>, counts: Counts) {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = {};
  const sets = ['#entity = :entity'];
  values[':entity'] = key.pk === 'STATS#OPEN' ? 'stats_open' : 'stats_month';
  Object.entries(fields).forEach(([f, v], i) => {
    names[`#k${i}`] = f;
    values[`:k${i}`] = v;
    sets.push(`#k${i} = :k${i}`);
  });
  const adds = Object.entries(counts).map(([f, n], i) => {
    if (!COUNTER_NAME.test(f)) throw new Error(`not a counter name: ${f}`);
    names[`#c${i}`] = f;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const KEY_FIELDS = new Set(['pk', 'sk', 'entity', 'month', 'divisionCode', 'department', 'need', 'urgency']);
const countsOf = (item: Record<string, unknown>): Counts => Object.fromEntries(Object.entries(item).filter(([k, v]) => !KEY_FIELDS.has(k) && typeof v === 'number')) as Counts;

const DEADLINE_ATTRIBUTES = INDEXES.deadline.include;

export class DynamoStatisticsRepository implements StatisticsStore, OverdueReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async applyOnce(eventId: string, at: string, counts: EventCounts): Promise<boolean> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: { ...seenKey(eventId), entity: 'stats_seen', at, [TTL_ATTRIBUTE]: seenExpiry(at) }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    for (const row of counts.monthly) {
      items.push({ Update: counterUpdate(this.tableName, monthlyStatsKey(row.key), { ...row.key }, row.counts) });
    }
    for (const row of counts.open) items.push({ Update: counterUpdate(this.tableName, openStatsKey(row.key), { ...row.key }, row.counts) });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  monthRows(month: string): Promise<MonthlyRow[]> {
    return this.queryAll(`STATS#${month}`, (i) => ({
      key: { month, divisionCode: String(i.divisionCode), department: String(i.department), need: String(i.need), urgency: i.urgency as MonthlyKey['urgency'] },
      counts: countsOf(i),
    }));
  }

  openRows(): Promise<OpenRow[]> {
    return this.queryAll('STATS#OPEN', (i) => ({ key: { divisionCode: String(i.divisionCode), department: String(i.department) }, counts: countsOf(i) }));
  }

  async overdueBefore(now: string, max: number): Promise<{ items: DeadlineEntry[]; more: boolean }> {
    const items: DeadlineEntry[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.deadline.name,
          KeyConditionExpression: '#pk = :pk AND #sk < :now',
          ProjectionExpression: DEADLINE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: { '#pk': INDEXES.deadline.partitionKey, '#sk': INDEXES.deadline.sortKey, ...Object.fromEntries(DEADLINE_ATTRIBUTES.map((a, i) => [`#a${i}`, a])) },
          ExpressionAttributeValues: { ':pk': 'DEADLINE', ':now': now },
          Limit: max - items.length + 1,
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...((page.Items ?? []) as DeadlineEntry[]));
      cursor = page.LastEvaluatedKey;
    } while (cursor && items.length <= max);
    return { items: items.slice(0, max), more: items.length > max || cursor !== undefined };
  }

  private async queryAll<T>(pk: string, map: (item: Record<string, unknown>) => T): Promise<T[]> {
    const out: T[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: cursor }));
      for (const i of page.Items ?? []) out.push(map(i));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return out;
  }
}
