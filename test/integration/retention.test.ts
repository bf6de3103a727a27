// Retention of closed cases against DynamoDB Local with a fake clock: a case closed through the
// lifecycle is purged by the scheduled run once closedAt + retention has passed (personal fields
// gone from the case at once, every item of the case handed to TTL), not before, not after a
// reopen; parallel runs and a run that stops half-way are fine; the notifier, fed the purge's real
// stream records, notifies nothing.
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { lambdaContext } from '../../local/http-server.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from '../../local/services/stream-reader.js';
import { ensureTable } from '../../local/table.js';
import { caseKey, contactLinkKey, idempotencyKey, referenceKey } from '../../shared/adapters/dynamo/keys.js';
import { purgeDueSk } from '../../shared/adapters/dynamo/referral-items.js';
import { DynamoReferralRepository } from '../../shared/adapters/dynamo/referral-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import type { TrackedReferral } from '../../shared/domain/lifecycle/index.js';
import { performReferralAction, ReferralNotFoundError, runEscalation, viewCase, type ReferralDependencies, type StaffMember } from '../../shared/usecases/referrals/index.js';
import { DynamoCaseRepository } from '../../shared/adapters/dynamo/case-repository.js';
import { contactDirectory, intakeDependencies } from '../../shared/config/intake.js';
import { readJsonDataFile } from '../../shared/config/data-files.js';
import { parseContactLinkRules } from '../../shared/domain/case/contact-links.js';
import { hmacPersonKeys } from '../../shared/adapters/person-keys.js';
import { DEV_PERSON_KEY } from '../../local/dev-config.js';
import { fromWeb, webIntakeSchema } from '../../shared/domain/intake/schemas.js';
import { submitIntake } from '../../shared/usecases/submit-intake.js';
import { postIntake, startTestRuntime } from '../support/local-api.js';
import { api, documentClientFor, eventsOf, NARRATIVE, PERSON, seedCase, storedCase } from '../support/referrals-fixtures.js';
import { logger } from '../../shared/adapters/logger.js';
import { cst } from '../support/deadline-helpers.js';

// The notifier's final sends go to the console sinks (its claims and events still go to the table).
process.env.SMS_ADAPTER = 'console';
process.env.REFERRAL_PUBLISHER = 'console';

const RETENTION_DAYS = 30;
const DAY = 86_400_000;

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
let admin: DynamoDBClient;
const tables: string[] = [];
const logs: string[] = [];

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  for (const stream of [process.stdout, process.stderr] as const) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
      logs.push(String(chunk));
      return write(chunk, ...rest);
    });
  }
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
      original(...args);
    });
  }
  rt = await startTestRuntime('retention');
  db = documentClientFor(rt.dynamoEndpoint);
  admin = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint });
});
afterAll(async () => {
  for (const t of tables) await admin.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
  admin?.destroy();
  await rt?.stop();
  vi.restoreAllMocks();
});

const plus = (at: Date | string, ms: number) => new Date(new Date(at).getTime() + ms);
const epoch = (at: Date) => Math.floor(at.getTime() / 1000);
const caseworker = (r: Pick<TrackedReferral, 'department' | 'divisionCode'>): StaffMember => ({
  subject: `cw-${r.department}`,
  role: 'caseworker',
  department: r.department,
  divisionCode: r.divisionCode,
});

/** Use-case dependencies on a table, with a clock the test sets and a 30-day retention. */
function worldOn(tableName: string) {
  const clock = { now: new Date(0) };
  const store = new DynamoReferralRepository(db, tableName);
  const deps: ReferralDependencies = { store, clock: loadDeadlinePolicy(), divisions: loadDivisions(), ids: ulidIds, now: () => clock.now, closedCaseRetentionDays: RETENTION_DAYS };
  const runAt = (at: Date) => {
    clock.now = at;
    return runEscalation(deps);
  };
  const act = (at: Date, r: TrackedReferral, command: Parameters<typeof performReferralAction>[3]) => {
    clock.now = at;
    return performReferralAction(deps, caseworker(r), r.referralId, command);
  };
  /** Accept, resolve and follow up every referral of the case from `start`; returns the closing instant. */
  const close = async (caseId: string, start: Date) => {
    const loaded = await store.loadCase(caseId);
    let at = start;
    for (const r of loaded!.referrals) {
      if (r.status === 'referred') await act((at = plus(at, 60_000)), r, { type: 'accept' });
      const current = (await store.loadCase(caseId))!.referrals.find((x) => x.seq === r.seq)!;
      await act((at = plus(at, 3600_000)), current, { type: 'resolve', outcome: 'service_provided', summary: '已提供就业培训信息' });
      const resolved = (await store.loadCase(caseId))!.referrals.find((x) => x.seq === r.seq)!;
      await act((at = plus(at, 3600_000)), resolved, { type: 'follow_up', reached: true, satisfaction: 5 });
    }
    return at;
  };
  const referrals = async (caseId: string) => (await store.loadCase(caseId))!.referrals;
  return { tableName, clock, deps, store, runAt, act, close, referrals };
}

async function world() {
  const tableName = `ret-${randomUUID().slice(0, 8)}`;
  tables.push(tableName);
  const streamArn = await ensureTable(admin, tableName);
  return { ...worldOn(tableName), streamArn };
}

/** Every item of a case: its partition (case, referrals, events, notifications), then its idempotency and reference items. */
async function everything(tableName: string, c: { caseId: string; channel: string; externalId: string; reference: string }) {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': caseKey(c.caseId).pk }, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  for (const key of [idempotencyKey(c.channel, c.externalId), referenceKey(c.reference)]) {
    const got = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (got.Item) items.push(got.Item);
  }
  return items;
}

const withoutTtl = (i: Record<string, any>) => {
  const { expiresAt: _expiresAt, ...rest } = i;
  return rest;
};

describe('a case taken in by the 12338 hotline and closed through the lifecycle', () => {
  const callId = `ret-${Date.now().toString(36)}`;
  const TEXT = '来电人说想参加村里的技能培训找工作，住在新安镇北屯村，希望晚上八点后联系。';
  const PERSONAL = ['测试姓名乙', '13900002222', '新安镇', '北屯村', '晚上八点后', '技能培训', '找工作', TEXT];

  it('is purged by the scheduled run once closedAt + retention has passed, and the notifier notifies nothing for it', async () => {
    const reader = new LocalStreamReader(streamsClient(rt.dynamoEndpoint), rt.streamArn!);
    const { handler: notifier } = await import('../../functions/notifier/handler.js');
    const intake = await postIntake(rt.api.url, '12338', {
      callId,
      receivedAt: new Date().toISOString(),
      operatorId: 'op-ret',
      summary: TEXT,
      category: '就业帮扶',
      caller: { name: '测试姓名乙', phone: '13900002222', age: 34 },
      location: { divisionCode: '220122', township: '新安镇', village: '北屯村' },
      contact: { safeToCall: true, safeToSms: false, preferredTime: '晚上八点后' },
      consent: { shareWithDepartments: true },
    });
    expect(intake.status).toBe(201);
    const caseId: string = intake.body.caseId;
    const ids = { caseId, channel: '12338', externalId: callId, reference: intake.body.reference as string };
    const w = worldOn(rt.tableName);

    // The notifier, fed the intake's stream records, notifies the new referral (its claims land in
    // the case's partition): the harness sees a notification when there is one.
    const intakeRecords = await reader.drain();
    const printedBefore = logs.length;
    expect((await notifier(toStreamEvent(intakeRecords, rt.streamArn!), lambdaContext('notifier'))).batchItemFailures).toEqual([]);
    const notified = (await everything(rt.tableName, ids)).filter((i) => String(i.sk).startsWith('NOTIFY#'));
    expect(notified.length).toBeGreaterThan(0);
    expect(logs.slice(printedBefore).some((l) => l.includes('[SNS referrals') && l.includes(caseId))).toBe(true);

    const closedAt = await w.close(caseId, plus(new Date(), 60_000));
    const closed = await storedCase(db, rt.tableName, caseId);
    const purgeAt = plus(closedAt, RETENTION_DAYS * DAY).toISOString();
    expect(closed).toMatchObject({ status: 'closed', closedAt: closedAt.toISOString(), purgeAt, duePk: 'DUE', dueSk: purgeDueSk(purgeAt, caseId) });
    const caseClosed = (await eventsOf(db, rt.tableName, caseId)).find((e) => e.type === 'case_closed');
    expect(caseClosed?.details).toMatchObject({ purgeAt });

    // Before the retention ends, runs change nothing.
    const before = await everything(rt.tableName, ids);
    expect(before.some((i) => 'expiresAt' in i)).toBe(false);
    for (const at of [plus(closedAt, DAY), plus(purgeAt, -1)]) {
      const report = await w.runAt(at);
      expect(report.purged).toEqual([]);
      expect(await everything(rt.tableName, ids)).toEqual(before);
    }
    await reader.drain();

    // The first run after it: the case's personal fields are gone, every item expires now.
    const runAt = plus(purgeAt, 5 * 60_000);
    const report = await w.runAt(runAt);
    expect(report).toMatchObject({ due: 1, purged: [{ caseId, items: before.length }], failed: [], escalated: [], reviewsEscalated: [], autoClosed: [] });
    const after = await everything(rt.tableName, ids);
    expect(after.map((i) => `${i.pk}|${i.sk}`)).toEqual(before.map((i) => `${i.pk}|${i.sk}`));
    for (const item of after) {
      expect(item.expiresAt).toBe(epoch(runAt));
      expect(item.expiresAt).toBeLessThanOrEqual(epoch(runAt));
    }
    const purged = after.find((i) => i.entity === 'case')!;
    for (const field of ['person', 'text', 'categoryHint', 'duePk', 'dueSk']) expect(purged).not.toHaveProperty(field);
    expect(purged).toMatchObject({
      status: 'closed',
      purgedAt: runAt.toISOString(),
      location: { divisionCode: '220122' },
      contact: { doNotContact: true },
      classification: { needs: ['employment_training'], urgency: 'routine', divisionCode: '220122' },
      channel: '12338',
      reference: ids.reference,
    });
    expect(purged.location).toEqual({ divisionCode: '220122' });
    expect(purged.classification).not.toHaveProperty('explanation');
    for (const s of PERSONAL) expect(JSON.stringify(purged)).not.toContain(s);
    // Everything else is as it was, bar its TTL attribute.
    const unchanged = (list: Record<string, any>[]) => list.filter((i) => i.entity !== 'case').map(withoutTtl);
    expect(unchanged(after)).toEqual(unchanged(before));

    // The purge's stream records (a MODIFY per item) through the real notifier: nothing is owed,
    // nothing is claimed or sent.
    const purgeRecords = await reader.drain();
    const referralModifies = purgeRecords.filter((r) => r.eventName === 'MODIFY' && r.dynamodb?.Keys?.sk?.S?.startsWith('REF#'));
    expect(referralModifies).toHaveLength(before.filter((i) => i.entity === 'referral').length);
    const printed = logs.length;
    expect((await notifier(toStreamEvent(purgeRecords, rt.streamArn!), lambdaContext('notifier'))).batchItemFailures).toEqual([]);
    expect(logs.slice(printed).filter((l) => l.includes('[SMS') || l.includes('[SNS') || l.includes('notif'))).toEqual([]);
    expect(await everything(rt.tableName, ids)).toEqual(after);

    // Gone for staff: GET /cases and a reopen answer 404 and leave nothing behind.
    const referral = after.find((i) => i.entity === 'referral')!;
    const cw = caseworker(referral as TrackedReferral);
    const token = await mintDevToken({ role: 'caseworker', department: cw.department!, division: cw.divisionCode!, sub: cw.subject });
    const referralId: string = referral.referralId;
    expect((await api(rt.api.url, 'GET', `/cases/${caseId}`, token)).status).toBe(404);
    expect((await api(rt.api.url, 'POST', `/referrals/${referralId}/reopen`, token, { note: '她再次来电' })).status).toBe(404);
    await expect(viewCase(w.deps, cw, caseId)).rejects.toBeInstanceOf(ReferralNotFoundError);
    expect(await everything(rt.tableName, ids)).toEqual(after);

    // Runs after that: nothing is due any more.
    expect(await w.runAt(plus(runAt, 10 * 60_000))).toMatchObject({ due: 0, purged: [] });
    expect(await everything(rt.tableName, ids)).toEqual(after);

    // Nothing personal in any log line of the whole story.
    const all = logs.join('');
    for (const s of PERSONAL) expect(all).not.toContain(s);
  });
});

describe('a reopened case', () => {
  it('is not purged at the old instant; closed again, it is purged retention days after the new closing', async () => {
    const w = await world();
    const created = await seedCase(db, w.tableName, { needs: ['employment_training'], urgency: 'routine', divisionCode: '220722', now: cst('2026-04-01 09:00') });
    const c = created.case;
    const ids = { caseId: c.caseId, channel: c.channel, externalId: c.externalId, reference: c.reference };
    const firstClose = await w.close(c.caseId, cst('2026-04-01 10:00'));
    const firstPurge = plus(firstClose, RETENTION_DAYS * DAY).toISOString();
    expect(await storedCase(db, w.tableName, c.caseId)).toMatchObject({ dueSk: purgeDueSk(firstPurge, c.caseId) });

    // She calls again ten days later: the referral reopens, the case with it, the purge is off.
    const [r] = await w.referrals(c.caseId);
    await w.act(plus(firstClose, 10 * DAY), r!, { type: 'reopen', note: '她再次来电，需要继续帮助' });
    const reopened = await storedCase(db, w.tableName, c.caseId);
    expect(reopened?.status).toBe('open');
    for (const field of ['purgeAt', 'closedAt']) expect(reopened).not.toHaveProperty(field);
    // Out of the purge schedule, into the retention check of open cases (looked at by the next run).
    expect(reopened).toMatchObject({ duePk: 'DUE', dueSk: `${plus(firstClose, 10 * DAY).toISOString()}#RETAIN#${c.caseId}` });
    const open = await everything(w.tableName, ids);

    expect((await w.runAt(plus(firstPurge, DAY))).purged).toEqual([]);
    // The old schedule, were it still found somewhere, is refused by the store itself.
    expect(await w.store.purgeClosedCase({ kind: 'purge', caseId: c.caseId, purgeAt: firstPurge }, plus(firstPurge, DAY))).toEqual({ outcome: 'skipped' });
    const stillOpen = await everything(w.tableName, ids);
    expect(stillOpen.some((i) => 'expiresAt' in i)).toBe(false);
    expect(stillOpen.find((i) => i.entity === 'case')).toMatchObject({ person: PERSON, text: NARRATIVE });
    // Only the escalation of the reopened referral may have moved on; the case item is untouched.
    expect(stillOpen.find((i) => i.entity === 'case')).toEqual(open.find((i) => i.entity === 'case'));

    // Resolved and followed up again: a new purge instant from the new closing.
    const reopenedReferral = (await w.referrals(c.caseId))[0]!;
    let at = plus(firstPurge, 2 * DAY);
    await w.act(at, reopenedReferral, { type: 'resolve', outcome: 'service_provided', summary: '再次提供帮助' });
    at = plus(at, 3600_000);
    await w.act(at, (await w.referrals(c.caseId))[0]!, { type: 'follow_up', reached: false });
    const secondPurge = plus(at, RETENTION_DAYS * DAY).toISOString();
    expect(await storedCase(db, w.tableName, c.caseId)).toMatchObject({ status: 'closed', purgeAt: secondPurge, dueSk: purgeDueSk(secondPurge, c.caseId) });
    expect(await w.store.purgeClosedCase({ kind: 'purge', caseId: c.caseId, purgeAt: firstPurge }, plus(secondPurge, 1))).toEqual({ outcome: 'skipped' });
    expect((await w.runAt(plus(secondPurge, -1))).purged).toEqual([]);
    expect((await everything(w.tableName, ids)).some((i) => 'expiresAt' in i)).toBe(false);

    const report = await w.runAt(plus(secondPurge, 60_000));
    expect(report.purged.map((p) => p.caseId)).toEqual([c.caseId]);
    const after = await everything(w.tableName, ids);
    expect(after.every((i) => i.expiresAt === epoch(plus(secondPurge, 60_000)))).toBe(true);
    expect(after.find((i) => i.entity === 'case')).not.toHaveProperty('person');
  });

  // A reopen arriving at each point of a purge, made deterministic by running it from inside the
  // DynamoDB client when the purge (or the reopen) is about to send, or has sent, a given command.
  // `outer` is the operation whose command `match`es; the other one runs, whole, at that point.
  type Hook = { name: string; when: 'before' | 'after'; match: (command: any) => boolean; outer: 'reopen' | 'purge'; winner: 'reopen' | 'purge' };
  const isRedaction = (c: any) => c instanceof UpdateCommand && String(c.input.UpdateExpression).includes('#purged = if_not_exists');
  const hooks: Hook[] = [
    { name: 'after the due query, before the purge reads the case', when: 'after', match: (c) => c instanceof QueryCommand && c.input.IndexName === 'due', outer: 'purge', winner: 'reopen' },
    { name: 'after the purge read the case, before it redacts it', when: 'before', match: isRedaction, outer: 'purge', winner: 'reopen' },
    { name: 'right after the redaction', when: 'after', match: isRedaction, outer: 'purge', winner: 'purge' },
    { name: 'a reopen that read the case before the purge and writes after it', when: 'before', match: (c) => c instanceof TransactWriteCommand, outer: 'reopen', winner: 'purge' },
  ];

  for (const hook of hooks) {
    it(`a purge and a reopen interleaved (${hook.name}): the ${hook.winner} wins whole, the other changes nothing`, async () => {
      const w = await world();
      const s = await seedCase(db, w.tableName, { needs: ['employment_training'], urgency: 'routine', divisionCode: '220722', now: cst('2026-04-01 09:00') });
      const ids = { caseId: s.case.caseId, channel: s.case.channel, externalId: s.case.externalId, reference: s.case.reference };
      const closedAt = await w.close(s.case.caseId, cst('2026-04-01 10:00'));
      const [r] = await w.referrals(s.case.caseId);
      w.clock.now = plus(closedAt, (RETENTION_DAYS + 1) * DAY);
      const reopen = () => performReferralAction(w.deps, caseworker(r!), r!.referralId, { type: 'reopen', note: '她再次来电，需要继续帮助' });
      const purge = () => runEscalation(w.deps);

      const realSend = db.send.bind(db) as (...args: any[]) => Promise<any>;
      let inner: Promise<unknown> | undefined;
      const innerRun = () =>
        (inner = (hook.outer === 'purge' ? reopen : purge)().then(
          (v) => ({ ok: v }),
          (e) => ({ err: e }),
        ));
      const send = vi.spyOn(db, 'send').mockImplementation((async (command: any, ...rest: any[]) => {
        const fire = !inner && hook.match(command);
        if (fire && hook.when === 'before') await (innerRun(), inner);
        const out = await realSend(command, ...rest);
        if (fire && hook.when === 'after') await (innerRun(), inner);
        return out;
      }) as any);
      let outer: { ok?: any; err?: unknown };
      try {
        outer = await (hook.outer === 'purge' ? purge : reopen)().then(
          (v) => ({ ok: v }),
          (e) => ({ err: e }),
        );
      } finally {
        send.mockRestore();
      }
      expect(inner).toBeDefined();
      const innerResult = (await inner) as { ok?: any; err?: unknown };
      const purgeResult = hook.outer === 'purge' ? outer : innerResult;
      const reopenResult = hook.outer === 'purge' ? innerResult : outer;
      expect(purgeResult.err).toBeUndefined();
      expect(purgeResult.ok.failed).toEqual([]);

      const items = await everything(w.tableName, ids);
      const stored = items.find((x) => x.entity === 'case')!;
      if (hook.winner === 'reopen') {
        expect(reopenResult.err).toBeUndefined();
        expect(purgeResult.ok.purged).toEqual([]);
        expect(stored).toMatchObject({ status: 'open', person: PERSON, text: NARRATIVE });
        expect(stored).not.toHaveProperty('purgedAt');
        expect(items.some((x) => 'expiresAt' in x)).toBe(false);
      } else {
        expect(reopenResult.err).toBeInstanceOf(ReferralNotFoundError);
        expect(purgeResult.ok.purged.map((p: { caseId: string }) => p.caseId)).toEqual([s.case.caseId]);
        expect(stored).toMatchObject({ status: 'closed' });
        expect(stored).not.toHaveProperty('person');
        expect(items.every((x) => typeof x.expiresAt === 'number')).toBe(true);
        expect(items.filter((x) => x.entity === 'referral').map((x) => x.status)).toEqual(['closed']);
      }
    });
  }
});

describe('scheduled runs', () => {
  it('two or three runs at once purge each case once and leave every item expiring; cases closed by auto-close are scheduled too', async () => {
    const w = await world();
    const a = await seedCase(db, w.tableName, { needs: ['employment_training', 'legal_aid'], urgency: 'routine', divisionCode: '220722', now: cst('2026-04-01 09:00') });
    const b = await seedCase(db, w.tableName, { needs: ['employment_training'], urgency: 'routine', divisionCode: '220122', now: cst('2026-04-01 09:00') });
    expect(a.referrals).toHaveLength(2);
    const closedA = await w.close(a.case.caseId, cst('2026-04-01 10:00'));
    // b: resolved, never followed up: the run auto-closes it, and that schedules its purge.
    const [rb] = await w.referrals(b.case.caseId);
    await w.act(cst('2026-04-01 10:00'), rb!, { type: 'accept' });
    const resolved = await w.act(cst('2026-04-03 10:00'), (await w.referrals(b.case.caseId))[0]!, { type: 'resolve', outcome: 'service_provided', summary: '已报名培训' });
    const autoClose = new Date(resolved.autoCloseAt!);
    const closing = await w.runAt(plus(autoClose, 60_000));
    expect(closing.autoClosed).toEqual([rb!.referralId]);
    const purgeB = plus(autoClose, 60_000 + RETENTION_DAYS * DAY).toISOString();
    expect(await storedCase(db, w.tableName, b.case.caseId)).toMatchObject({ status: 'closed', purgeAt: purgeB, dueSk: purgeDueSk(purgeB, b.case.caseId) });

    const purgeA = plus(closedA, RETENTION_DAYS * DAY).getTime();
    const at = plus(new Date(Math.max(purgeA, Date.parse(purgeB))), 2 * DAY);
    w.clock.now = at;
    const reader = new LocalStreamReader(streamsClient(rt.dynamoEndpoint), w.streamArn!);
    await reader.drain();
    const send = vi.spyOn(db, 'send');
    let reports;
    try {
      reports = await Promise.all([runEscalation(w.deps), runEscalation(w.deps), runEscalation(w.deps)]);
      const commands = send.mock.calls.map(([c]) => c.constructor.name);
      expect(commands).not.toContain('ScanCommand');
    } finally {
      send.mockRestore();
    }
    for (const r of reports) expect(r.failed).toEqual([]);
    const purged = reports.flatMap((r) => r.purged.map((p) => p.caseId)).sort();
    expect(purged).toEqual([a.case.caseId, b.case.caseId].sort());
    // In the stream: each item got its TTL attribute in exactly one write, and no write changed it.
    const ttlWrites = new Map<string, number>();
    for (const r of await reader.drain()) {
      const oldTtl = r.dynamodb?.OldImage?.expiresAt?.N;
      const newTtl = r.dynamodb?.NewImage?.expiresAt?.N;
      if (oldTtl !== undefined) expect(newTtl).toBe(oldTtl);
      if (oldTtl === undefined && newTtl !== undefined) {
        const key = `${r.dynamodb?.Keys?.pk?.S}|${r.dynamodb?.Keys?.sk?.S}`;
        ttlWrites.set(key, (ttlWrites.get(key) ?? 0) + 1);
      }
    }
    for (const s of [a, b]) {
      const items = await everything(w.tableName, { caseId: s.case.caseId, channel: s.case.channel, externalId: s.case.externalId, reference: s.case.reference });
      expect(items.length).toBeGreaterThan(3);
      expect(items.every((x) => x.expiresAt === epoch(at))).toBe(true);
      const stored = items.find((x) => x.entity === 'case')!;
      expect(stored).not.toHaveProperty('person');
      expect(stored).not.toHaveProperty('dueSk');
      for (const x of items) expect(ttlWrites.get(`${x.pk}|${x.sk}`)).toBe(1);
    }
    const again = await Promise.all([w.runAt(plus(at, 60_000)), w.runAt(plus(at, 60_000))]);
    expect(again.map((r) => [r.due, r.purged.length])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('a run that stops half-way leaves the case due, and the next run finishes the purge', async () => {
    const w = await world();
    const s = await seedCase(db, w.tableName, { needs: ['employment_training'], urgency: 'routine', divisionCode: '220722', now: cst('2026-04-01 09:00') });
    const ids = { caseId: s.case.caseId, channel: s.case.channel, externalId: s.case.externalId, reference: s.case.reference };
    const closedAt = await w.close(s.case.caseId, cst('2026-04-01 10:00'));
    const at = plus(closedAt, (RETENTION_DAYS + 1) * DAY);
    // The last step (TTL on the case item and out of the due index) fails once, as a timeout would.
    const realSend = db.send.bind(db);
    const send = vi.spyOn(db, 'send').mockImplementation(((command: any, ...rest: any[]) => {
      if (command instanceof UpdateCommand && String(command.input.UpdateExpression).includes('REMOVE #dp, #ds') && command.input.Key?.sk === 'CASE') {
        return Promise.reject(Object.assign(new Error('simulated timeout'), { name: 'TimeoutError' }));
      }
      return (realSend as any)(command, ...rest);
    }) as any);
    let first;
    try {
      first = await w.runAt(at);
    } finally {
      send.mockRestore();
    }
    expect(first).toMatchObject({ purged: [], failed: [s.case.caseId] });
    const half = await everything(w.tableName, ids);
    const halfCase = half.find((x) => x.entity === 'case')!;
    // Personal fields are already gone; the case is still due, and is the only item without TTL.
    expect(halfCase).not.toHaveProperty('person');
    expect(halfCase).toMatchObject({ duePk: 'DUE', purgedAt: at.toISOString() });
    expect(half.filter((x) => !('expiresAt' in x)).map((x) => x.entity)).toEqual(['case']);

    const next = plus(at, 5 * 60_000);
    const second = await w.runAt(next);
    expect(second).toMatchObject({ purged: [{ caseId: s.case.caseId, items: 1 }], failed: [] });
    const done = await everything(w.tableName, ids);
    const doneCase = done.find((x) => x.entity === 'case')!;
    expect(doneCase).not.toHaveProperty('duePk');
    expect(doneCase.expiresAt).toBe(epoch(next));
    // The items the first run handed to TTL keep their (earlier) expiry.
    expect(done.filter((x) => x.entity !== 'case').every((x) => x.expiresAt === epoch(at))).toBe(true);
  });
});

describe('a case recorded without consent (never referred)', () => {
  it('is over at once: purged by the scheduled run once createdAt + retention has passed', async () => {
    const w = await world();
    const createdAt = cst('2026-03-02 10:00');
    w.clock.now = createdAt;
    const body = webIntakeSchema.parse({
      clientRequestId: `no-consent-${Date.now().toString(36)}`,
      description: '俺想问问离婚以后孩子的抚养费咋要，俺住在新安镇北屯村。',
      divisionCode: '220122',
      village: '北屯村',
      name: '测试姓名丁',
      phone: '13900003333',
      consent: { shareWithDepartments: false },
    });
    const cases = new DynamoCaseRepository(db, w.tableName);
    const keys = hmacPersonKeys(new TextEncoder().encode(DEV_PERSON_KEY));
    const deps = {
      ...intakeDependencies(),
      store: cases,
      now: () => w.clock.now,
      retentionDays: RETENTION_DAYS,
      // Her number links the case (a link item under its keyed hash): the purge takes the link too.
      contacts: contactDirectory(cases, async () => keys),
      contactLinks: parseContactLinkRules(readJsonDataFile('contact-links.json')),
    };
    const result = await submitIntake(fromWeb(body, createdAt), 'fp-no-consent', deps);
    expect(result.kind).toBe('created');
    if (result.kind !== 'created') return;
    const { caseId, reference } = result.receipt;
    expect(result.receipt.status).toBe('not_referred');
    const purgeAt = plus(createdAt, RETENTION_DAYS * DAY).toISOString();
    expect(await storedCase(db, w.tableName, caseId)).toMatchObject({ status: 'not_referred', purgeAt, duePk: 'DUE', dueSk: purgeDueSk(purgeAt, caseId) });

    expect((await w.runAt(plus(purgeAt, -60_000))).purged).toEqual([]);
    const runAt = plus(purgeAt, 60_000);
    expect((await w.runAt(runAt)).purged).toEqual([{ caseId, items: expect.any(Number) }]);
    const after = await everything(w.tableName, { caseId, channel: 'web', externalId: body.clientRequestId, reference });
    expect(after.length).toBeGreaterThanOrEqual(4); // case, its created event, idempotency and reference items
    const link = await db.send(new GetCommand({ TableName: w.tableName, Key: contactLinkKey(`phone#${keys.phone('13900003333')}`, createdAt.toISOString(), caseId), ConsistentRead: true }));
    expect(link.Item).toMatchObject({ entity: 'contact_link', caseId });
    after.push(link.Item!);
    expect(after.every((i) => i.expiresAt === epoch(runAt))).toBe(true);
    // A later contact of her number finds nothing of the purged case.
    expect((await cases.findContacts(`phone#${keys.phone('13900003333')}`, 20)).prior).toEqual([]);
    const purged = after.find((i) => i.entity === 'case')!;
    expect(purged).toMatchObject({ status: 'not_referred', location: { divisionCode: '220122' }, contact: { doNotContact: true } });
    expect(purged.links).toBeUndefined();
    expect(purged.contactKeys).toBeUndefined();
    for (const secret of ['测试姓名丁', '13900003333', '北屯村', '抚养费']) expect(JSON.stringify(after)).not.toContain(secret);
  });
});
