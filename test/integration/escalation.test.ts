// The escalation run against DynamoDB Local with a fake clock: the working-day moments, once per
// level, two runs in parallel, completion deadlines and auto-close. Each test has its own table, so
// the due index holds only that test's referrals.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { escalationTick } from '../../local/services/escalation-tick.js';
import { ensureTable } from '../../local/table.js';
import { DynamoReferralRepository } from '../../shared/adapters/dynamo/referral-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import { performReferralAction, runEscalation, type ReferralDependencies, type StaffMember } from '../../shared/usecases/referrals/index.js';
import { startTestRuntime } from '../support/local-api.js';
import { documentClientFor, eventsOf, seedCase, storedCase, storedReferral } from '../support/referrals-fixtures.js';
import { cst } from '../support/deadline-helpers.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
let admin: DynamoDBClient;
const tables: string[] = [];

beforeAll(async () => {
  rt = await startTestRuntime('escalation');
  db = documentClientFor(rt.dynamoEndpoint);
  admin = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint });
});
afterAll(async () => {
  for (const t of tables) await admin.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
  admin?.destroy();
  await rt?.stop();
});

/** CST wall-clock time as an instant. */
const policy = loadDeadlinePolicy();

/** A table of its own and the use-case dependencies on it, with a clock the test sets. */
async function world() {
  const tableName = `esc-${randomUUID().slice(0, 8)}`;
  tables.push(tableName);
  await ensureTable(admin, tableName);
  const clock = { now: new Date(0) };
  const deps: ReferralDependencies = {
    store: new DynamoReferralRepository(db, tableName),
    clock: policy,
    divisions: loadDivisions(),
    ids: ulidIds,
    now: () => clock.now,
  };
  const runAt = (at: Date) => {
    clock.now = at;
    return runEscalation(deps);
  };
  const seed = (opts: Parameters<typeof seedCase>[2]) => seedCase(db, tableName, opts);
  const item = (id: string) => storedReferral(db, tableName, id);
  const events = (caseId: string) => eventsOf(db, tableName, caseId);
  return { tableName, clock, deps, runAt, seed, item, events };
}

const caseworker = (department: string, divisionCode: string): StaffMember => ({ subject: `cw-${department}`, role: 'caseworker', department, divisionCode });

describe('an unsigned routine referral made the evening before National Day 2025', () => {
  it('escalates at the working-day moments, once per level, and never again after level 3', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220122', now: cst('2025-09-30 19:00') });
    const r = created.referrals[0]!;
    // Sign-for deadline: the end of the first working day after the 1–8 October holiday.
    expect(r.signForBy).toBe(cst('2025-10-09 23:59:59.999').toISOString());
    const levelOf = async () => (await w.item(r.referralId))?.escalationLevel ?? 0;

    const timeline: [string, number][] = [
      ['2025-10-01 09:00', 0], // the holiday: nothing is late
      ['2025-10-09 23:59:59.999', 0], // on time until the very end of the day
      ['2025-10-10 00:00:00.001', 1], // level 1: a reminder
      ['2025-10-10 00:05', 1], // the next run: not again
      ['2025-10-10 23:59:59', 1],
      ['2025-10-11 00:00:00.001', 2], // one working day later: the supervisor (督办)
      ['2025-10-11 12:00', 2],
      ['2025-10-12 12:00', 2], // Sunday
      ['2025-10-13 23:59:59', 2], // Sat 11 Oct (调休) and Mon 13 Oct are the two working days
      ['2025-10-14 00:00:00.001', 3], // the provincial coordinator (督办)
      ['2025-10-14 00:05', 3],
      ['2025-12-31 23:59', 3],
    ];
    for (const [wall, level] of timeline) {
      const report = await w.runAt(cst(wall));
      expect(await levelOf(), wall).toBe(level);
      expect(report.failed).toEqual([]);
    }
    const escalated = (await w.events(created.case.caseId)).filter((e) => e.type === 'escalated');
    expect(escalated.map((e) => [e.details.level, e.details.kind, e.details.notify, e.at])).toEqual([
      [1, 'sign_for', 'on_duty_caseworkers', cst('2025-10-10 00:00:00.001').toISOString()],
      [2, 'sign_for', 'supervisor', cst('2025-10-11 00:00:00.001').toISOString()],
      [3, 'sign_for', 'provincial_coordinator', cst('2025-10-14 00:00:00.001').toISOString()],
    ]);
    expect(escalated.every((e) => e.actor.role === 'system')).toBe(true);
    const stored = await w.item(r.referralId);
    // After level 3 nothing is left to do: out of the due index, still in the department's queue.
    expect(stored).not.toHaveProperty('duePk');
    expect(stored?.queuePk).toBe('Q#health#220122');
    expect(stored).toMatchObject({ escalationKind: 'sign_for', escalatedAt: cst('2025-10-14 00:00:00.001').toISOString(), version: 4 });
  });

  it('moves the due key to the next escalation instant after each level', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220122', now: cst('2025-09-30 19:00') });
    const id = created.referrals[0]!.referralId;
    expect((await w.item(id))?.dueSk).toBe(`${cst('2025-10-09 23:59:59.999').toISOString()}#${id}`);
    await w.runAt(cst('2025-10-10 08:00'));
    expect((await w.item(id))?.dueSk).toBe(`${cst('2025-10-10 23:59:59.999').toISOString()}#${id}`);
    await w.runAt(cst('2025-10-11 08:00'));
    expect((await w.item(id))?.dueSk).toBe(`${cst('2025-10-13 23:59:59.999').toISOString()}#${id}`);
  });

  it('a run that comes late raises every level that is due, one step (and one event) per level', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220122', now: cst('2025-09-30 19:00') });
    const report = await w.runAt(cst('2025-10-20 09:00'));
    expect(report.escalated.map((e) => e.level)).toEqual([1, 2, 3]);
    expect((await w.events(created.case.caseId)).filter((e) => e.type === 'escalated')).toHaveLength(3);
  });
});

describe('two runs at the same time', () => {
  it('escalate an unsigned routine referral once per level', async () => {
    const w = await world();
    const seeded = await Promise.all(Array.from({ length: 6 }, () => w.seed({ needs: ['legal_aid'], urgency: 'routine', divisionCode: '220182', now: cst('2026-03-02 09:00') })));
    // Routine, referred Monday morning: sign-for by the end of Tue 3 Mar; level 2 at the end of
    // Wed 4 Mar; level 3 two working days later, at the end of Fri 6 Mar.
    const at = cst('2026-03-04 08:00');
    const [a, b] = await Promise.all([runEscalation({ ...w.deps, now: () => at }), runEscalation({ ...w.deps, now: () => at })]);
    expect(a.escalated.length + b.escalated.length).toBe(seeded.length);
    for (const c of seeded) {
      expect((await w.item(c.referrals[0]!.referralId))?.escalationLevel).toBe(1);
      expect((await w.events(c.case.caseId)).filter((e) => e.type === 'escalated')).toHaveLength(1);
    }
    // The next run, again twice at once: nothing new is due.
    const again = await Promise.all([runEscalation({ ...w.deps, now: () => cst('2026-03-04 08:05') }), runEscalation({ ...w.deps, now: () => cst('2026-03-04 08:05') })]);
    expect(again.flatMap((r) => r.escalated)).toEqual([]);
    // Later, three runs at once with levels 2 and 3 due: each once.
    const later = cst('2026-03-09 09:00');
    const runs = await Promise.all([0, 1, 2].map(() => runEscalation({ ...w.deps, now: () => later })));
    const levels = runs.flatMap((r) => r.escalated.map((e) => `${e.referralId}:${e.level}`));
    expect(levels).toHaveLength(seeded.length * 2);
    expect(new Set(levels).size).toBe(levels.length);
    for (const c of seeded) {
      const events = (await w.events(c.case.caseId)).filter((e) => e.type === 'escalated');
      expect(events.map((e) => e.details.level).sort()).toEqual([1, 2, 3]);
    }
  });
});

describe('completion deadlines and auto-close', () => {
  it('after acceptance the completion deadline escalates (kind completion)', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['legal_aid'], urgency: 'urgent', divisionCode: '220182', now: cst('2025-12-30 09:00') });
    const id = created.referrals[0]!.referralId;
    w.clock.now = cst('2025-12-30 10:00');
    const accepted = await performReferralAction(w.deps, caseworker('justice', '220182'), id, { type: 'accept' });
    // Urgent completion: 3 working days across New Year 2026 (1–3 Jan off, Sun 4 Jan worked): 31 Dec, 4 Jan, 5 Jan.
    expect(accepted.completeBy).toBe(cst('2026-01-05 23:59:59.999').toISOString());
    expect((await w.runAt(cst('2026-01-05 23:00'))).escalated).toEqual([]);
    const report = await w.runAt(cst('2026-01-06 00:00:01'));
    expect(report.escalated).toEqual([{ referralId: id, level: 1, kind: 'completion' }]);
    expect(await w.item(id)).toMatchObject({ escalationLevel: 1, escalationKind: 'completion', status: 'accepted' });
  });

  it('an approved extension resets the escalation and moves the due key', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['legal_aid'], urgency: 'urgent', divisionCode: '220182', now: cst('2026-03-02 09:00') });
    const id = created.referrals[0]!.referralId;
    w.clock.now = cst('2026-03-02 10:00');
    await performReferralAction(w.deps, caseworker('justice', '220182'), id, { type: 'accept' });
    await w.runAt(cst('2026-03-06 02:00')); // past the completion deadline (end of Thu 5 Mar), before level 2 (4 hours later)
    expect((await w.item(id))?.escalationLevel).toBe(1);
    w.clock.now = cst('2026-03-06 09:00');
    await performReferralAction(w.deps, caseworker('justice', '220182'), id, { type: 'request_extension', workingDays: 3, reason: '等待对方材料' });
    const approved = await performReferralAction(w.deps, { subject: 'sup-1', role: 'supervisor', department: 'justice', divisionCode: '220182' }, id, { type: 'decide_extension', approve: true });
    expect(approved.completeBy).toBe(cst('2026-03-10 23:59:59.999').toISOString());
    expect(await w.item(id)).toMatchObject({ escalationLevel: 0, dueSk: `${approved.completeBy}#${id}` });
    expect((await w.runAt(cst('2026-03-10 12:00'))).escalated).toEqual([]);
  });

  it('a resolved referral without a follow-up closes itself after autoCloseDays, and its case with it', async () => {
    const w = await world();
    const created = await w.seed({ needs: ['employment_training'], urgency: 'routine', divisionCode: '220722', now: cst('2026-04-01 09:00') });
    const id = created.referrals[0]!.referralId;
    const cw = caseworker('hrss', '220722');
    w.clock.now = cst('2026-04-01 10:00');
    await performReferralAction(w.deps, cw, id, { type: 'accept' });
    w.clock.now = cst('2026-04-03 10:00');
    const resolved = await performReferralAction(w.deps, cw, id, { type: 'resolve', outcome: 'service_provided', summary: '已报名培训' });
    expect(resolved.autoCloseAt).toBe(cst('2026-04-18 10:00').toISOString());
    expect(await w.item(id)).toMatchObject({ queuePk: 'Q#followup#hrss#220722', dueSk: `${resolved.autoCloseAt}#${id}` });

    expect((await w.runAt(cst('2026-04-18 10:00'))).autoClosed).toEqual([]);
    const report = await w.runAt(cst('2026-04-18 10:05'));
    expect(report.autoClosed).toEqual([id]);
    const stored = await w.item(id);
    expect(stored).toMatchObject({ status: 'closed', closedBy: 'auto' });
    expect(stored).not.toHaveProperty('queuePk');
    expect(stored).not.toHaveProperty('duePk');
    expect((await storedCase(db, w.tableName, created.case.caseId))?.status).toBe('closed');
    const types = (await w.events(created.case.caseId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['auto_closed', 'case_closed']));
    expect((await w.runAt(cst('2026-05-01 10:00'))).due).toBe(0);
  });
});

describe('how the run reads the table', () => {
  it('queries the due index with a key condition and never scans', async () => {
    const w = await world();
    await w.seed({ needs: ['legal_aid'], urgency: 'emergency', divisionCode: '220182', now: cst('2026-03-02 09:00') });
    const send = vi.spyOn(db, 'send');
    try {
      await w.runAt(cst('2026-03-02 12:00'));
      const commands = send.mock.calls.map(([c]) => c as { constructor: { name: string }; input: Record<string, unknown> });
      expect(commands.map((c) => c.constructor.name)).not.toContain('ScanCommand');
      const dueQuery = commands.find((c) => c.constructor.name === 'QueryCommand' && c.input.IndexName === 'due');
      expect(dueQuery?.input).toMatchObject({ KeyConditionExpression: '#p = :due AND #s <= :now', ExpressionAttributeValues: { ':due': 'DUE', ':now': cst('2026-03-02 12:00').toISOString() } });
    } finally {
      send.mockRestore();
    }
  });
});

describe('npm start’s tick', () => {
  it('invokes the escalation function on its interval', async () => {
    // An emergency referred 61 minutes ago: sign-for was due 31 minutes ago, level 2 a minute ago.
    const created = await seedCase(db, rt.tableName, { needs: ['safety_protection'], urgency: 'emergency', divisionCode: '222403', now: new Date(Date.now() - 61 * 60_000) });
    const id = created.referrals[0]!.referralId;
    const lines: string[] = [];
    const tick = await escalationTick({ intervalMs: 100, log: (l) => lines.push(l) }).start({ dynamoEndpoint: rt.dynamoEndpoint, tableName: rt.tableName, apiUrl: rt.api.url });
    try {
      await vi.waitFor(async () => expect((await storedReferral(db, rt.tableName, id))?.escalationLevel).toBe(2), { timeout: 10_000, interval: 100 });
    } finally {
      await tick.stop();
    }
    expect(lines.some((l) => l.startsWith('[escalation]') && l.includes('escalated'))).toBe(true);
    expect((await eventsOf(db, rt.tableName, created.case.caseId)).filter((e) => e.type === 'escalated')).toHaveLength(2);
  });
});
