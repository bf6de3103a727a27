// DynamoDB adapter for duty rosters: pk ROSTER#<department>#<divisionCode>, sk ROSTER, with a
// version for conditional replacement. Each change also writes an audit item in the roster's
// partition (sk EVT#<iso>#<ulid>, entity 'roster_event') with who changed it and counts, never phones.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Roster, RosterBody, RosterScope } from '../../domain/roster/roster.js';
import { rosterScopeKey, type RosterReader } from '../../usecases/notify-ports.js';
import type { RosterAccess, RosterStore, RosterWriteResult } from '../../usecases/notify-roster.js';
import { auditPk, eventSk } from './keys.js';

export const rosterKey = (s: RosterScope) => ({ pk: `ROSTER#${s.department}#${s.divisionCode}`, sk: 'ROSTER' });

function toRoster(item: Record<string, unknown>): Roster {
  return {
    department: item.department as Roster['department'],
    divisionCode: item.divisionCode as string,
    caseworkers: (item.caseworkers as Roster['caseworkers'] | undefined) ?? [],
    supervisor: (item.supervisor as Roster['supervisor'] | undefined) ?? null,
    version: Number(item.version ?? 0),
    updatedAt: String(item.updatedAt ?? ''),
    updatedBy: String(item.updatedBy ?? ''),
  };
}

export class DynamoRosterRepository implements RosterReader, RosterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(scope: RosterScope): Promise<Roster | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: rosterKey(scope), ConsistentRead: true }));
    return out.Item ? toRoster(out.Item) : null;
  }

  async recordAccess(a: RosterAccess): Promise<void> {
    const item = {
      pk: auditPk(a.at),
      sk: eventSk(a.at, a.eventId),
      entity: 'event',
      caseId: '',
      eventId: a.eventId,
      at: a.at,
      type: a.type,
      actor: a.actor,
      details: {
        action: 'view_roster',
        ...(a.scope ? { department: a.scope.department, divisionCode: a.scope.divisionCode } : {}),
        ...(a.type === 'access_denied' ? { reason: 'role_not_permitted' } : {}),
      },
    };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async getRosters(scopes: readonly RosterScope[]): Promise<Map<string, Roster>> {
    const found = await Promise.all(scopes.map(async (s) => [rosterScopeKey(s), await this.get(s)] as const));
    return new Map(found.filter((e): e is readonly [string, Roster] => e[1] !== null));
  }

  async put(scope: RosterScope, body: RosterBody, expectedVersion: number, actor: { id: string; role: string }, eventId: string, now: Date): Promise<RosterWriteResult> {
    const at = now.toISOString();
    const roster: Roster = { ...scope, caseworkers: body.caseworkers, supervisor: body.supervisor ?? null, version: expectedVersion + 1, updatedAt: at, updatedBy: actor.id };
    const key = rosterKey(scope);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...key, entity: 'roster', ...roster },
                ...(expectedVersion === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: key.pk,
                  sk: eventSk(at, eventId),
                  entity: 'roster_event',
                  eventId,
                  at,
                  type: 'roster_updated',
                  actor,
                  details: { ...scope, version: roster.version, caseworkers: roster.caseworkers.length, supervisor: roster.supervisor !== null },
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'saved', roster };
    } catch (err) {
      // A stale version, or another administrator's write of the same roster at the same moment.
      const code = err instanceof TransactionCanceledException ? err.CancellationReasons?.[0]?.Code : undefined;
      if (code === 'ConditionalCheckFailed' || code === 'TransactionConflict') {
        const current = await this.get(scope);
        return { outcome: 'conflict', currentVersion: current?.version ?? 0 };
      }
      throw err;
    }
  }

  /** Seeds a roster unless one exists (the local runtime's demo roster never overwrites an edit). */
  async seed(roster: RosterScope & RosterBody, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...rosterKey(roster),
            entity: 'roster',
            department: roster.department,
            divisionCode: roster.divisionCode,
            caseworkers: roster.caseworkers,
            supervisor: roster.supervisor ?? null,
            version: 1,
            updatedAt: now.toISOString(),
            updatedBy: 'seed',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
