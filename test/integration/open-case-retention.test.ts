// Retention of cases that never close, against DynamoDB Local with a fake clock:
// an open case without activity is checked through the due index (no scan), its supervisors are
// warned 30 days ahead (an event, and an SMS through the real stream and notifier), and then her
// name, phone, contact details and story leave the case, which keeps its codes, referrals and
// events (their free text removed), stays open and workable. Activity after a warning cancels it; a
// late run still gives the full notice.
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { lambdaContext } from '../../local/http-server.js';
import { LocalStreamReader, streamsClient, toStreamEvent } from '../../local/services/stream-reader.js';
import { DynamoReferralRepository } from '../../shared/adapters/dynamo/referral-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import { openCaseRetention, parseRetentionFile } from '../../shared/config/retention.js';
import { codesOnly, openCaseRetentionStep, type TrackedReferral } from '../../shared/domain/lifecycle/index.js';
import { performReferralAction, runEscalation, type ReferralDependencies, type StaffMember } from '../../shared/usecases/referrals/index.js';
import { postIntake, startTestRuntime } from '../support/local-api.js';
import { putRoster, testRoster } from '../support/notification-fixtures.js';
import { api, documentClientFor, eventsOf, storedCase } from '../support/referrals-fixtures.js';
import { logger } from '../../shared/adapters/logger.js';

process.env.SMS_ADAPTER = 'console';
process.env.REFERRAL_PUBLISHER = 'console';

const DAY = 86_400_000;
const RULE = { maxDaysSinceLastActivity: 365, warnDaysBefore: 30 };

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
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
  rt = await startTestRuntime('openret');
  db = documentClientFor(rt.dynamoEndpoint);
  const admin = await mintDevToken({ role: 'admin' });
  expect((await putRoster(rt.api.url, admin, testRoster('hrss', '220122'))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
  vi.restoreAllMocks();
});

const plus = (at: Date | string, ms: number) => new Date(new Date(at).getTime() + ms);
const caseworker = (r: Pick<TrackedReferral, 'department' | 'divisionCode'>): StaffMember => ({
  subject: `cw-${r.department}`,
  role: 'caseworker',
  department: r.department,
  divisionCode: r.divisionCode,
});

function world() {
  const clock = { now: new Date() };
  const store = new DynamoReferralRepository(db, rt.tableName);
  const deps: ReferralDependencies = { store, clock: loadDeadlinePolicy(), divisions: loadDivisions(), ids: ulidIds, now: () => clock.now, closedCaseRetentionDays: 1096, openCaseRetention: RULE };
  const runAt = (at: Date) => {
    clock.now = at;
    return runEscalation(deps);
  };
  return { clock, deps, store, runAt };
}

const NAME = '测试姓名丙';
const PHONE = '13900003333';
const TEXT = '来电人说想参加技能培训找工作，住在新安镇南屯村，丈夫在外打工两年没回家。';
const PERSONAL = [NAME, PHONE, '新安镇', '南屯村', '晚上九点后', TEXT, 'NOTE-SECRET-她说', '技能培训找工作'];

async function intake() {
  const res = await postIntake(rt.api.url, '12338', {
    callId: `oret-${randomUUID().slice(0, 8)}`,
    receivedAt: new Date().toISOString(),
    operatorId: 'op-oret',
    summary: TEXT,
    category: '就业帮扶',
    caller: { name: NAME, phone: PHONE, age: 41 },
    location: { divisionCode: '220122', township: '新安镇', village: '南屯村' },
    contact: { safeToCall: true, safeToSms: false, preferredTime: '晚上九点后' },
    consent: { shareWithDepartments: true },
  });
  expect(res.status).toBe(201);
  return res.body as { caseId: string; reference: string; referrals: { referralId: string }[] };
}

describe('an open case nobody works on', () => {
  it('is warned 30 days ahead (the supervisor texted), then loses her personal data and keeps its codes, referrals and events, open and workable', async () => {
    const reader = new LocalStreamReader(streamsClient(rt.dynamoEndpoint), rt.streamArn!);
    const { handler: notifier } = await import('../../functions/notifier/handler.js');
    const w = world();
    const created = await intake();
    const stored = await storedCase(db, rt.tableName, created.caseId);
    const createdAt = String(stored!.createdAt);
    // In the due index from the start, at its first check: no scan ever looks for it.
    expect(stored).toMatchObject({ status: 'open', duePk: 'DUE', dueSk: `${plus(createdAt, 335 * DAY).toISOString()}#RETAIN#${created.caseId}` });

    // A caseworker's note: free text about her, which goes with her personal data.
    const referralId = created.referrals[0]!.referralId;
    const referral = (await w.store.loadCase(created.caseId))!.referrals[0]!;
    w.clock.now = new Date(Date.parse(createdAt) + 60_000);
    await performReferralAction(w.deps, caseworker(referral), referralId, { type: 'note', text: 'NOTE-SECRET-她说 晚上九点后方便' });
    const lastActivity = plus(createdAt, 60_000);
    await reader.drain();

    // Before the check comes, runs do nothing with it.
    for (const at of [plus(createdAt, 30 * DAY), plus(createdAt, 335 * DAY - 1)]) {
      const report = await w.runAt(at);
      expect(report.retention).toEqual({ warned: [], purged: [], rescheduled: 0 });
    }
    // First check: created + 335 days, but the note came a minute later: simply looked at again then.
    expect((await w.runAt(plus(createdAt, 335 * DAY + 1))).retention).toEqual({ warned: [], purged: [], rescheduled: 1 });
    expect(await storedCase(db, rt.tableName, created.caseId)).toMatchObject({ dueSk: `${plus(lastActivity, 335 * DAY).toISOString()}#RETAIN#${created.caseId}` });

    // The warning: last activity + 335 days; the purge announced for + 365 days.
    const warnAt = plus(lastActivity, 335 * DAY + 60_000);
    // Never less than the full 30 days of notice from the warning itself.
    const purgeAt = plus(warnAt, 30 * DAY).toISOString();
    const warned = await w.runAt(warnAt);
    expect(warned.retention.warned).toEqual([{ caseId: created.caseId, purgeAt }]);
    expect(await storedCase(db, rt.tableName, created.caseId)).toMatchObject({
      retentionWarnedAt: warnAt.toISOString(),
      retentionPurgeAt: purgeAt,
      dueSk: `${purgeAt}#RETAIN#${created.caseId}`,
      person: { name: NAME },
    });
    expect((await eventsOf(db, rt.tableName, created.caseId)).find((e) => e.type === 'retention_warning')?.details).toMatchObject({ purgeAt, lastActivityAt: lastActivity.toISOString() });
    // The referral carries the warning (its version unchanged by it: nobody's work is interrupted) ...
    const marked = (await w.store.loadCase(created.caseId))!.referrals[0]! as TrackedReferral & { retentionPurgeAt?: string };
    expect(marked).toMatchObject({ retentionPurgeAt: purgeAt });
    // (The escalation reminders of the unsigned referral ran meanwhile: system work, not activity.)
    expect(marked.escalationLevel).toBe(3);
    // ... which the notifier, fed the real stream records, texts to the department's supervisor.
    const printed = logs.length;
    // DynamoDB Local's stream can lag under load: read until the warning's MODIFY of the referral is there.
    const records: Awaited<ReturnType<typeof reader.drain>> = [];
    const warnedRecord = () => records.some((r) => r.dynamodb?.NewImage?.retentionWarnedAt?.S !== undefined && r.dynamodb?.NewImage?.entity?.S === 'referral');
    for (let i = 0; i < 40 && !warnedRecord(); i++) {
      records.push(...(await reader.drain()));
      if (!warnedRecord()) await new Promise((r) => setTimeout(r, 250));
    }
    expect((await notifier(toStreamEvent(records, rt.streamArn!), lambdaContext('notifier'))).batchItemFailures).toEqual([]);
    // (The same records carry the escalation reminders of the unsigned referral, texted as usual.)
    const sms = logs.slice(printed).filter((l) => l.includes('[SMS') && l.includes('个人信息'));
    expect(sms, logs.slice(printed).join('\n')).toHaveLength(1);
    expect(sms[0]).toContain(created.reference);
    expect(sms[0]).toMatch(/其个人信息将于\d\d-\d\d \d\d:\d\d删除/);
    expect(sms[0]).toContain('→ 220122/hrss/hrss-220122-sup:');
    for (const p of PERSONAL) expect(sms[0]).not.toContain(p);

    // Between the warning and the purge nothing more happens; a run at the purge instant purges.
    expect((await w.runAt(plus(purgeAt, -60_000))).retention).toEqual({ warned: [], purged: [], rescheduled: 0 });
    const runAt = plus(purgeAt, 60_000);
    const report = await w.runAt(runAt);
    expect(report.retention.purged).toEqual([created.caseId]);
    expect(report.failed).toEqual([]);

    const after = (await storedCase(db, rt.tableName, created.caseId))!;
    for (const field of ['person', 'text', 'categoryHint', 'duePk', 'dueSk', 'retentionCheckAt']) expect(after).not.toHaveProperty(field);
    expect(after).toMatchObject({
      status: 'open',
      personalDataPurgedAt: runAt.toISOString(),
      location: { divisionCode: '220122' },
      contact: { doNotContact: true },
      classification: { needs: ['employment_training'], urgency: 'routine', divisionCode: '220122' },
      reference: created.reference,
      channel: '12338',
    });
    expect(after).not.toHaveProperty('purgedAt');
    const events = await eventsOf(db, rt.tableName, created.caseId);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['case_created', 'note_added', 'retention_warning', 'personal_data_purged']));
    expect(events.find((e) => e.type === 'personal_data_purged')).toMatchObject({ details: { reason: 'open_case_retention', lastActivityAt: lastActivity.toISOString() } });
    const everything = JSON.stringify({ after, events, referrals: (await w.store.loadCase(created.caseId))!.referrals });
    for (const p of PERSONAL) expect(everything).not.toContain(p);

    // Still a case to work on: the department reads it and signs for the referral.
    const cw = caseworker(marked);
    const token = await mintDevToken({ role: 'caseworker', department: cw.department!, division: cw.divisionCode!, sub: cw.subject });
    const read = await api(rt.api.url, 'GET', `/cases/${created.caseId}`, token);
    expect(read.status).toBe(200);
    for (const p of PERSONAL) expect(JSON.stringify(read.body)).not.toContain(p);
    expect((await api(rt.api.url, 'POST', `/referrals/${referralId}/accept`, token)).status).toBe(200);
    // No more retention checks on it (closing it later schedules the purge of a closed case).
    expect((await w.runAt(plus(runAt, 400 * DAY))).retention).toEqual({ warned: [], purged: [], rescheduled: 0 });
  });

  it('activity after the warning cancels it: not purged at the announced instant, warned again a year after the activity', async () => {
    const w = world();
    const created = await intake();
    const createdAt = String((await storedCase(db, rt.tableName, created.caseId))!.createdAt);
    const warnAt = plus(createdAt, 335 * DAY + 60_000);
    const first = await w.runAt(warnAt);
    expect(
      first.retention.warned.map((x) => x.caseId),
      JSON.stringify(first),
    ).toContain(created.caseId);
    // Ten days later the department signs for it.
    const referral = (await w.store.loadCase(created.caseId))!.referrals[0]!;
    w.clock.now = plus(warnAt, 10 * DAY);
    await performReferralAction(w.deps, caseworker(referral), referral.referralId, { type: 'accept' });
    const activity = plus(warnAt, 10 * DAY);

    const atOldPurge = await w.runAt(plus(warnAt, 30 * DAY + 60_000));
    expect(atOldPurge.retention.purged).not.toContain(created.caseId);
    expect(await storedCase(db, rt.tableName, created.caseId)).toMatchObject({ person: { name: NAME }, dueSk: `${plus(activity, 335 * DAY).toISOString()}#RETAIN#${created.caseId}` });
    const again = await w.runAt(plus(activity, 335 * DAY + 60_000));
    expect(again.retention.warned).toContainEqual({ caseId: created.caseId, purgeAt: plus(activity, 365 * DAY + 60_000).toISOString() });
  });

  it('two runs at once warn once and purge once', async () => {
    const w = world();
    const created = await intake();
    const createdAt = String((await storedCase(db, rt.tableName, created.caseId))!.createdAt);
    const warnAt = plus(createdAt, 335 * DAY + 60_000);
    const [a, b] = await Promise.all([w.runAt(warnAt), runEscalation({ ...w.deps, now: () => warnAt })]);
    expect([...a.retention.warned, ...b.retention.warned].filter((x) => x.caseId === created.caseId)).toHaveLength(1);
    expect((await eventsOf(db, rt.tableName, created.caseId)).filter((e) => e.type === 'retention_warning')).toHaveLength(1);
    const at = plus(warnAt, 30 * DAY + 60_000);
    const [c, d] = await Promise.all([w.runAt(at), runEscalation({ ...w.deps, now: () => at })]);
    expect([...c.retention.purged, ...d.retention.purged].filter((x) => x === created.caseId)).toHaveLength(1);
    expect((await eventsOf(db, rt.tableName, created.caseId)).filter((e) => e.type === 'personal_data_purged')).toHaveLength(1);
  });
});

describe('the rules, pure', () => {
  const last = '2026-01-01T00:00:00.000Z';
  it('reschedules, warns, then purges; a late run still gives the full notice', () => {
    expect(openCaseRetentionStep(last, undefined, plus(last, 100 * DAY), RULE)).toEqual({ kind: 'reschedule', at: plus(last, 335 * DAY).toISOString() });
    expect(openCaseRetentionStep(last, undefined, plus(last, 335 * DAY), RULE)).toEqual({ kind: 'warn', purgeAt: plus(last, 365 * DAY).toISOString() });
    // The scheduler was down for months: the supervisors still get 30 days.
    expect(openCaseRetentionStep(last, undefined, plus(last, 500 * DAY), RULE)).toEqual({ kind: 'warn', purgeAt: plus(last, 530 * DAY).toISOString() });
    const warning = { warnedAt: plus(last, 335 * DAY).toISOString(), purgeAt: plus(last, 365 * DAY).toISOString() };
    expect(openCaseRetentionStep(last, warning, plus(last, 364 * DAY), RULE)).toEqual({ kind: 'reschedule', at: warning.purgeAt });
    expect(openCaseRetentionStep(last, warning, plus(last, 365 * DAY), RULE)).toEqual({ kind: 'purge' });
    // Activity after the warning: the warning no longer holds.
    const later = plus(last, 340 * DAY).toISOString();
    expect(openCaseRetentionStep(later, warning, plus(last, 365 * DAY), RULE)).toEqual({ kind: 'reschedule', at: plus(later, 335 * DAY).toISOString() });
  });

  it('keeps codes, ids and instants of event details, drops free text at any depth', () => {
    expect(
      codesOnly({
        outcome: 'service_provided',
        summary: '已提供培训信息',
        note: 'call her at 139',
        workingDays: 3,
        at: '2026-01-01T00:00:00.000Z',
        to: { department: 'hrss', reason: '她搬家了' },
        list: ['a_b', '自由文本'],
      }),
    ).toEqual({
      outcome: 'service_provided',
      workingDays: 3,
      at: '2026-01-01T00:00:00.000Z',
      to: { department: 'hrss' },
      list: ['a_b'],
    });
  });

  it('data/retention.json is valid and read; a wrong one is refused with the field named', () => {
    expect(openCaseRetention()).toEqual(RULE);
    expect(() => parseRetentionFile({ openCase: { maxDaysSinceLastActivity: 365, warnDaysBefore: 400 } })).toThrow(/warnDaysBefore/);
    expect(() => parseRetentionFile({ openCase: { maxDaysSinceLastActivity: 5, warnDaysBefore: 1 } })).toThrow(/maxDaysSinceLastActivity/);
  });
});
