// Fixtures for the referral and escalation integration tests: cases written by the real intake
// code (createCase + the DynamoDB case repository) at a chosen time, with a given classification,
// so that deadlines are known; HTTP helpers for the staff API; reads of what is stored.
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../shared/adapters/dynamo/case-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamo/client.js';
import { caseKey, referralKey } from '../../shared/adapters/dynamo/keys.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { loadDivisions, readJsonDataFile } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import { createCase, type NewCase, type OperatorActionCatalogue } from '../../shared/domain/case/case.js';
import type { Need, Urgency } from '../../shared/domain/model.js';
import { parseRoutingTable, route } from '../../shared/domain/routing/routing.js';
import { readResponse } from './local-api.js';

let counter = 0;

export const PERSON = { name: '测试姓名丁', phone: '13912345678' };
export const NARRATIVE = '测试叙述：她说邻居家的狗很吵，这是一段不应出现在日志里的文字。';

export async function seedCase(db: DynamoDBDocumentClient, tableName: string, opts: { needs: Need[]; urgency: Urgency; divisionCode: string; now?: Date }): Promise<NewCase> {
  const now = opts.now ?? new Date();
  const routing = parseRoutingTable(readJsonDataFile('routing.json'));
  const classification = { needs: opts.needs, urgency: opts.urgency, divisionCode: opts.divisionCode, explanation: { needs: {}, urgency: [], division: 'test fixture' } };
  const routed = route({ needs: opts.needs, divisionCode: opts.divisionCode, text: NARRATIVE }, routing, loadDivisions());
  const created = createCase({
    intake: {
      channel: 'web',
      externalId: `seed-${Date.now().toString(36)}-${++counter}`,
      receivedAt: now.toISOString(),
      text: NARRATIVE,
      person: { ...PERSON },
      location: { divisionCode: opts.divisionCode },
      contact: { safeToSms: false },
      consent: { shareWithDepartments: true },
      signals: {},
    },
    classification,
    routed,
    routing,
    actions: readJsonDataFile<OperatorActionCatalogue>('operator-actions.json'),
    deadlines: loadDeadlinePolicy(),
    ids: ulidIds,
    now,
    retentionDays: 1096,
    openCaseRetention: { maxDaysSinceLastActivity: 365, warnDaysBefore: 30 },
  });
  const saved = await new DynamoCaseRepository(db, tableName).saveNewCase(created, `fp-${counter}`);
  if (saved.outcome !== 'created') throw new Error('seed case not created');
  return created;
}

/** A DocumentClient like the functions' (undefined values removed). */
export const documentClientFor = (endpoint: string) => createDocumentClient({ endpoint });

export async function api(baseUrl: string, method: 'GET' | 'POST', path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  return readResponse(await fetch(`${baseUrl}${path}`, init));
}

export async function eventsOf(db: DynamoDBDocumentClient, tableName: string, caseId: string): Promise<Record<string, any>[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).pk, ':e': 'EVT#' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

export async function storedReferral(db: DynamoDBDocumentClient, tableName: string, referralId: string): Promise<Record<string, any> | undefined> {
  const m = /^(.{26})-(\d+)$/.exec(referralId)!;
  const out = await db.send(new GetCommand({ TableName: tableName, Key: referralKey(m[1]!, Number(m[2])), ConsistentRead: true }));
  return out.Item;
}

export async function storedCase(db: DynamoDBDocumentClient, tableName: string, caseId: string): Promise<Record<string, any> | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }));
  return out.Item;
}
