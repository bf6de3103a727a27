// `npm run smoke -- --api <ApiUrl> --table <TableName> --queue <QueueUrljustice> --key-id <id>`
// (secret in SMOKE_KEY_SECRET) — the last step of a deployment: a signed 12338 intake marked as a
// test goes through the deployed platform (signature, classification, routing, the table, the
// stream, the notifier, the topic, the justice department's queue), is checked at each step, and is
// removed again. A test intake texts nobody. Needs AWS credentials that may read and delete in the
// table and receive and delete in that queue.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { caseKey, idempotencyKey, referenceKey } from '../shared/adapters/dynamo/keys.js';
import { signatureHeader } from '../shared/http/signature.js';

export interface SmokeOptions {
  api: string;
  table: string;
  queueUrl: string;
  keyId: string;
  secret: string;
  /** How long the queue may take to receive the referral. */
  queueWaitSeconds?: number;
  /** How long the notifier may take to record its notification before the clean-up (so that nothing is written after it). */
  settleSeconds?: number;
}

export interface SmokeStep {
  step: string;
  ok: boolean;
  detail: string;
}

/** A legal-aid question the classifier routes to justice, worded so that it is never an emergency. */
export const SMOKE_SUMMARY = '部署后自检：来电人咨询离婚诉讼需要准备哪些材料。';

export async function runSmoke(o: SmokeOptions, db: DynamoDBDocumentClient, sqs: SQSClient, now = () => Date.now()): Promise<SmokeStep[]> {
  const steps: SmokeStep[] = [];
  const callId = `smoke-${new Date(now()).toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({
    callId,
    receivedAt: new Date(now()).toISOString(),
    operatorId: 'smoke-test',
    summary: SMOKE_SUMMARY,
    location: { divisionCode: '220182' },
    contact: { safeToCall: false, safeToSms: false, doNotContact: true },
    consent: { shareWithDepartments: true },
    test: true,
  });
  let caseId: string | undefined;
  let reference: string | undefined;
  try {
    const started = now();
    const res = await fetch(`${o.api.replace(/\/$/, '')}/intake/12338`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-key-id': o.keyId, 'x-signature': signatureHeader(o.secret, Math.floor(now() / 1000), body) },
      body,
    });
    const receipt = (await res.json().catch(() => ({}))) as { caseId?: string; reference?: string; referrals?: { referralId: string; department: string }[] };
    caseId = receipt.caseId;
    reference = receipt.reference;
    const justice = receipt.referrals?.find((r) => r.department === 'justice');
    steps.push({
      step: 'intake',
      ok: res.status === 201 && !!justice,
      detail: `HTTP ${res.status} in ${now() - started} ms${justice ? `, referred to justice (${justice.referralId})` : ', no justice referral'}`,
    });
    if (!caseId) return steps;

    const stored = await db.send(new GetCommand({ TableName: o.table, Key: caseKey(caseId), ConsistentRead: true }));
    steps.push({
      step: 'case stored',
      ok: stored.Item?.test === true && stored.Item.status === 'open',
      detail: stored.Item ? `status ${String(stored.Item.status)}, marked as a test: ${String(stored.Item.test === true)}` : 'not found',
    });

    // The stream → notifier → topic → the justice queue, filtered on the department attribute.
    const deadline = now() + (o.queueWaitSeconds ?? 60) * 1000;
    let delivered: string | undefined;
    while (!delivered && now() < deadline) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 10, VisibilityTimeout: 30 }));
      for (const m of got.Messages ?? []) {
        const message = JSON.parse(m.Body ?? '{}') as { caseId?: string; test?: boolean };
        // Only our own message is taken out of the department's queue; any other is left for its consumer.
        if (message.caseId === caseId && message.test === true && m.ReceiptHandle) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: m.ReceiptHandle }));
          delivered = `in ${now() - started} ms after the intake`;
        }
      }
    }
    steps.push({ step: 'published to the justice queue', ok: !!delivered, detail: delivered ?? `not within ${o.queueWaitSeconds ?? 60} s` });
    // The notifier records its notification after publishing: let it finish before the clean-up.
    const settleBy = now() + (o.settleSeconds ?? 10) * 1000;
    while (now() < settleBy) {
      const events = await db.send(
        new QueryCommand({
          TableName: o.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': caseKey(caseId).pk, ':evt': 'EVT#' },
          ConsistentRead: true,
        }),
      );
      if ((events.Items ?? []).some((e) => String(e.type).startsWith('notification_'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return steps;
  } finally {
    if (caseId) steps.push(await cleanUp(o.table, db, caseId, callId, reference));
  }
}

/** Removes every item of the test case: its partition, its idempotency and reference items. */
async function cleanUp(table: string, db: DynamoDBDocumentClient, caseId: string, callId: string, reference: string | undefined): Promise<SmokeStep> {
  const keys: Record<string, string>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': caseKey(caseId).pk }, ProjectionExpression: 'pk, sk', ExclusiveStartKey: start }),
    );
    keys.push(...((page.Items ?? []) as Record<string, string>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  keys.push(idempotencyKey('12338', callId), ...(reference ? [referenceKey(reference)] : []));
  for (const Key of keys) await db.send(new DeleteCommand({ TableName: table, Key }));
  return { step: 'cleaned up', ok: true, detail: `${keys.length} items deleted` };
}

if (process.argv[1]?.endsWith('smoke.ts')) {
  const { values } = parseArgs({ options: { api: { type: 'string' }, table: { type: 'string' }, queue: { type: 'string' }, 'key-id': { type: 'string' }, region: { type: 'string' } } });
  const secret = process.env.SMOKE_KEY_SECRET;
  if (!values.api || !values.table || !values.queue || !values['key-id'] || !secret) {
    console.error('usage: SMOKE_KEY_SECRET=<12338 secret> npm run smoke -- --api <ApiUrl> --table <TableName> --queue <QueueUrljustice> --key-id <12338 key id> [--region <region>]');
    process.exit(2);
  }
  const region = values.region ? { region: values.region } : {};
  const steps = await runSmoke(
    { api: values.api, table: values.table, queueUrl: values.queue, keyId: values['key-id'], secret },
    DynamoDBDocumentClient.from(new DynamoDBClient(region)),
    new SQSClient(region),
  );
  for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}: ${s.detail}`);
  process.exit(steps.every((s) => s.ok) && steps.length >= 4 ? 0 : 1);
}
