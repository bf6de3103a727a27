// The statistics end to end: a scripted month of referral work (intakes, sign-fors in and out of
// time, returns and re-routes, extensions, resolutions in and out of time, follow-ups, escalations)
// written by the real use cases and HTTP API into DynamoDB Local, counted by the statistics consumer
// reading the real stream (as in `npm start`), and read back over HTTP: /reports/monthly must equal a
// recount of the stored audit events, the CSV and XLSX the same figures, /reports/overview a recount of
// the referrals, with a bounded number of reads.
import { spawn } from 'node:child_process';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient as DocClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken, type DevTokenClaims } from '../../local/dev-jwt.js';
import { streamStatistics } from '../../local/services/stream-statistics.js';
import { DynamoReferralRepository } from '../../shared/adapters/dynamo/referral-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { readReportXlsx } from '../support/report-xlsx-reader.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import type { TrackedReferral } from '../../shared/domain/lifecycle/index.js';
import type { Need, Urgency } from '../../shared/domain/model.js';
import { countEvent, monthOf } from '../../shared/domain/statistics/counters.js';
import { currentDeadline } from '../../shared/usecases/reports-overview.js';
import { performReferralAction, runEscalation, type ReferralCommand, type ReferralDependencies, type StaffMember } from '../../shared/usecases/referrals/index.js';
import { getJson, postIntake, scanAll, startTestRuntime } from '../support/local-api.js';
import { documentClientFor, seedCase } from '../support/referrals-fixtures.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DocClient;
const clock = { now: new Date() };
let deps: ReferralDependencies;

const token = (c: DevTokenClaims) => mintDevToken(c);
const admin = { role: 'admin' } as const;
const report = async (path: string, claims: DevTokenClaims | null = admin) => getJson(`${rt.api.url}${path}`, claims ? await token(claims) : undefined);

/** A small deterministic generator: the same script on every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const staff = (role: StaffMember['role'], r: Pick<TrackedReferral, 'department' | 'divisionCode'> | null, divisionCode?: string): StaffMember => ({
  subject: `${role}-${r?.department ?? 'x'}`,
  role,
  department: role === 'caseworker' || role === 'supervisor' ? r!.department : null,
  divisionCode: divisionCode ?? r?.divisionCode ?? null,
});

/** Runs the script: cases from the first day of last month, work on them at chosen instants, escalation runs between. */
async function scriptedMonth(): Promise<{ month: string }> {
  const rnd = lcg(20261204);
  const now = Date.now();
  const cst = new Date(now + 8 * HOUR);
  const start = Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth() - 1, 1, 1) - 8 * HOUR; // 09:00 CST on the 1st of last month
  const month = monthOf(new Date(start).toISOString());
  type Op = { at: number; run: () => Promise<unknown> };
  const ops: Op[] = [];
  const needs: [Need, string][] = [
    ['employment_training', '220722'],
    ['health_screening', '220722'],
    ['legal_aid', '220721'],
    ['social_assistance', '220102'],
    ['employment_training', '220102'],
  ];
  const act = async (caseId: string, seq: number, who: (r: TrackedReferral) => StaffMember, command: ReferralCommand) => {
    const loaded = (await deps.store.loadCase(caseId))!;
    const r = loaded.referrals.find((x) => x.seq === seq)!;
    try {
      await performReferralAction(deps, who(r), r.referralId, command);
    } catch {
      // The script is random: an action that does not apply any more (escalated, closed) is skipped.
    }
  };
  for (let i = 0; i < 24; i++) {
    const at = start + Math.floor(rnd() * 24) * DAY + Math.floor(rnd() * 8) * HOUR;
    const [need, divisionCode] = needs[i % needs.length]!;
    const urgency: Urgency = i % 3 === 0 ? 'urgent' : 'routine';
    let caseId = '';
    ops.push({
      at,
      run: async () => {
        clock.now = new Date(at);
        caseId = (await seedCase(db, rt.tableName, { needs: [need], urgency, divisionCode, now: new Date(at) })).case.caseId;
      },
    });
    const cw = (r: TrackedReferral) => staff('caseworker', r);
    // Sign-for: mostly within the day, sometimes days later (late), sometimes never.
    const signAt = at + (rnd() < 0.7 ? Math.floor(rnd() * 6) + 1 : Math.floor(rnd() * 72) + 30) * HOUR;
    // Every kind of work happens: each eighth case is returned and re-routed, another never signed for.
    const plan = i % 8 === 3 ? 0 : i % 8 === 5 ? 0.2 : 0.3 + rnd() * 0.7;
    rnd();
    if (plan < 0.15) {
      // Returned as not theirs; the coordinator re-routes it to another county's department the next day.
      ops.push({ at: signAt, run: () => act(caseId, 1, cw, { type: 'return', reason: 'not_our_jurisdiction', note: '她住在别的县。' }) });
      ops.push({ at: signAt + DAY, run: () => act(caseId, 1, () => staff('coordinator', null, '220000'), { type: 'reroute', divisionCode: divisionCode === '220721' ? '220722' : '220721' }) });
      continue;
    }
    if (plan < 0.22) continue; // never signed for: it escalates
    ops.push({ at: signAt, run: () => act(caseId, 1, cw, { type: 'accept' }) });
    let doneAt = signAt + (rnd() < 0.7 ? Math.floor(rnd() * 10) + 1 : Math.floor(rnd() * 20) + 18) * DAY;
    if (rnd() < 0.3) {
      const approve = rnd() < 0.7;
      ops.push({ at: signAt + 2 * DAY, run: () => act(caseId, 1, cw, { type: 'request_extension', workingDays: 5, reason: '需要补充材料' }) });
      ops.push({ at: signAt + 2 * DAY + 2 * HOUR, run: () => act(caseId, 1, (r) => staff('supervisor', r), { type: 'decide_extension', approve }) });
    }
    if (rnd() < 0.15) continue; // still being worked on
    const outcome = rnd() < 0.8 ? 'service_provided' : 'client_declined';
    ops.push({ at: doneAt, run: () => act(caseId, 1, cw, { type: 'resolve', outcome, ...(outcome === 'service_provided' ? {} : { reason: '她不需要了' }), summary: '已办结。' }) });
    doneAt += Math.floor(rnd() * 4 + 1) * DAY;
    const f = rnd();
    if (f < 0.6) ops.push({ at: doneAt, run: () => act(caseId, 1, cw, { type: 'follow_up', reached: true, satisfaction: 1 + Math.floor(rnd() * 5) }) });
    else if (f < 0.8) ops.push({ at: doneAt, run: () => act(caseId, 1, cw, { type: 'follow_up', reached: false }) });
  }
  // The scheduled run, twice a day from the first day until now.
  for (let t = start; t < now - HOUR; t += 12 * HOUR) ops.push({ at: t + 1, run: () => runEscalation({ ...deps, now: () => new Date(t + 1) }) });
  ops.sort((a, b) => a.at - b.at);
  for (const op of ops) {
    if (op.at > now) continue;
    clock.now = new Date(op.at);
    await op.run();
  }
  clock.now = new Date();
  return { month };
}

/** The figures recounted from the stored audit events (types and details), without the tallies. */
function recount(events: Record<string, any>[]) {
  const byMonth = new Map<string, Record<string, number>>();
  const sats = new Map<string, number[]>();
  const add = (e: Record<string, any>, field: string) => {
    const m = monthOf(e.at);
    const row = byMonth.get(m) ?? byMonth.set(m, {}).get(m)!;
    row[field] = (row[field] ?? 0) + 1;
  };
  for (const e of events) {
    const d = e.details ?? {};
    switch (e.type) {
      case 'case_created':
        for (const _ of d.referralIds ?? []) add(e, 'referred');
        break;
      case 'rerouted':
        add(e, 'referred');
        add(e, 'rerouted');
        break;
      case 'accepted':
        add(e, 'signedFor');
        if (d.signedForOnTime) add(e, 'signedOnTime');
        break;
      case 'returned':
        add(e, 'returned');
        break;
      case 'extension_requested':
        add(e, 'extensionsAsked');
        break;
      case 'extension_decided':
        if (d.approve) add(e, 'extended');
        break;
      case 'resolved':
        add(e, 'completed');
        if (d.resolvedOnTime) add(e, 'completedOnTime');
        break;
      case 'escalated':
        add(e, d.level === 1 ? 'overdue' : 'escalated');
        break;
      case 'followed_up':
        add(e, 'followUps');
        if (d.reached) {
          add(e, 'reached');
          const m = monthOf(e.at);
          (sats.get(m) ?? sats.set(m, []).get(m)!).push(d.satisfaction);
        }
        break;
    }
  }
  return { byMonth, sats };
}

const FIELDS = [
  'referred',
  'signedFor',
  'signedOnTime',
  'completed',
  'completedOnTime',
  'returned',
  'rerouted',
  'extensionsAsked',
  'extended',
  'overdue',
  'escalated',
  'followUps',
  'reached',
] as const;

async function storedEvents() {
  return (await scanAll(db, rt.tableName)).filter((i) => i.entity === 'event');
}

/** Waits until the consumer has counted every tallied event (each leaves a "seen" item). */
async function settled(timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const items = await scanAll(db, rt.tableName);
    const counted = (e: Record<string, any>) => {
      const c = countEvent({ at: e.at, tally: e.tally });
      return c.monthly.length + c.open.length > 0;
    };
    const tallied = items.filter((i) => i.entity === 'event' && Array.isArray(i.tally) && counted(i));
    const seen = new Set(items.filter((i) => i.entity === 'stats_seen').map((i) => String(i.pk).slice('STATSEEN#'.length)));
    if (tallied.every((e) => seen.has(String(e.eventId)))) return;
    if (Date.now() > until) throw new Error(`statistics did not catch up: ${tallied.filter((e) => !seen.has(String(e.eventId))).length} events not counted`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

let month = '';

beforeAll(async () => {
  rt = await startTestRuntime('reports', [streamStatistics({ pollMs: 100, print: () => undefined })]);
  db = documentClientFor(rt.dynamoEndpoint);
  deps = {
    store: new DynamoReferralRepository(db, rt.tableName),
    clock: loadDeadlinePolicy(),
    divisions: loadDivisions(),
    ids: ulidIds,
    now: () => clock.now,
    closedCaseRetentionDays: 1096,
    openCaseRetention: { maxDaysSinceLastActivity: 365, warnDaysBefore: 30 },
  };
  ({ month } = await scriptedMonth());
  // And today, over HTTP: a web intake signed for by its caseworker.
  const res = await postIntake(rt.api.url, 'web', {
    clientRequestId: `rep-${Date.now()}`,
    description: '俺想学个手艺在家挣点钱，县里有啥培训不？',
    divisionCode: '220722',
    name: '测试姓名己',
    phone: '13500004444',
    consent: { shareWithDepartments: true },
  });
  expect(res.status).toBe(201);
  const accept = await fetch(`${rt.api.url}/referrals/${res.body.referrals[0].referralId}/accept`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token({ role: 'caseworker', department: 'hrss', division: '220722' })}` },
  });
  expect(accept.status).toBe(200);
  await settled();
}, 240_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

describe('GET /reports/monthly after a scripted month', () => {
  it('equals a recount of the audit events, month by month, for the province', async () => {
    const { byMonth, sats } = recount(await storedEvents());
    expect(byMonth.size).toBeGreaterThanOrEqual(2);
    const last = byMonth.get(month)!;
    // The script did what it says: every kind of work happened.
    for (const f of FIELDS) expect(last[f] ?? 0, `${f} in ${month}`).toBeGreaterThan(0);
    expect(last.signedFor).toBeGreaterThan(last.signedOnTime!);
    for (const [m, expected] of byMonth) {
      const res = await report(`/reports/monthly?month=${m}`);
      expect(res.status).toBe(200);
      const got = Object.fromEntries(FIELDS.map((f) => [f, res.body.totals[f]]));
      expect(got, m).toEqual(Object.fromEntries(FIELDS.map((f) => [f, expected[f] ?? 0])));
      const s = sats.get(m) ?? [];
      expect(res.body.totals.satisfactionAvg).toBe(s.length ? Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100 : null);
      expect(res.body.totals.onTimeSignRate).toBe(expected.signedFor ? Math.round(((expected.signedOnTime ?? 0) / expected.signedFor) * 10_000) / 10_000 : null);
    }
  });

  it('drills down province → prefecture → county and by department and need; rows add up to the totals', async () => {
    const province = (await report(`/reports/monthly?month=${month}`)).body;
    expect(province.by).toBe('division');
    expect(province.rows.map((r: any) => r.group).sort()).toEqual(['220100', '220700']);
    const sum = (rows: any[], f: string) => rows.reduce((a, r) => a + r[f], 0);
    for (const f of FIELDS) expect(sum(province.rows, f), f).toBe(province.totals[f]);
    const prefecture = (await report(`/reports/monthly?month=${month}&divisionCode=220700`)).body;
    expect(prefecture.rows.map((r: any) => r.group).sort()).toEqual(['220721', '220722']);
    expect(prefecture.totals.referred).toBe(province.rows.find((r: any) => r.group === '220700').referred);
    const county = (await report(`/reports/monthly?month=${month}&divisionCode=220722`)).body;
    expect(county.by).toBe('department');
    expect(county.rows.map((r: any) => r.group).sort()).toEqual(['health', 'hrss']);
    expect(county.totals.referred).toBe(prefecture.rows.find((r: any) => r.group === '220722').referred);
    const byNeed = (await report(`/reports/monthly?month=${month}&by=need`)).body;
    for (const f of FIELDS) expect(sum(byNeed.rows, f), f).toBe(province.totals[f]);
    // A coordinator of the county sees exactly that county; a caseworker her department there.
    const coordinator = (await report(`/reports/monthly?month=${month}`, { role: 'coordinator', division: '220722' })).body;
    expect(coordinator.totals).toEqual(county.totals);
    const own = (await report(`/reports/monthly?month=${month}`, { role: 'caseworker', department: 'health', division: '220722' })).body;
    expect(own.totals).toEqual({ ...county.rows.find((r: any) => r.group === 'health'), group: undefined, ...own.totals });
    expect(own.totals.referred).toBe(county.rows.find((r: any) => r.group === 'health').referred);
  });

  it('gives the last 12 months of one scope', async () => {
    const res = await report(`/reports/trend?month=${month}&divisionCode=220722`);
    expect(res.status).toBe(200);
    expect(res.body.months).toHaveLength(12);
    expect(res.body.months.at(-1).month).toBe(month);
    const county = (await report(`/reports/monthly?month=${month}&divisionCode=220722`)).body;
    const { month: _m, ...last } = res.body.months.at(-1);
    expect(last).toEqual(county.totals);
    expect(res.body.months[0].referred).toBe(0);
  });

  it('downloads the same table as CSV and XLSX: Chinese headers, scope and month in the title, the same figures', async () => {
    const json = (await report(`/reports/monthly?month=${month}&divisionCode=220700`)).body;
    const csvRes = await fetch(`${rt.api.url}/reports/monthly?month=${month}&divisionCode=220700&format=csv`, { headers: { authorization: `Bearer ${await token(admin)}` } });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    expect(csvRes.headers.get('content-disposition')).toContain('attachment');
    const csv = (await csvRes.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe(`延边朝鲜族自治州 ${month} 留守妇女关爱服务转介考核月报`.replace('延边朝鲜族自治州', loadDivisions().get('220700')!.name));
    const headers = csv[1]!.split(',');
    expect(headers.slice(0, 5)).toEqual(['行政区划', '转办数', '签收数', '按时签收数', '按时签收率']);
    const total = csv.at(-1)!.split(',');
    expect(total[0]).toBe('合计');
    const col = (h: string) => headers.indexOf(h);
    expect(Number(total[col('转办数')])).toBe(json.totals.referred);
    expect(Number(total[col('按时签收数')])).toBe(json.totals.signedOnTime);
    expect(total[col('按时签收率')]).toBe(json.totals.onTimeSignRate === null ? '' : `${(Math.round(json.totals.onTimeSignRate * 1000) / 10).toFixed(1)}%`);
    expect(Number(total[col('督办数')])).toBe(json.totals.escalated);

    const xlsxRes = await fetch(`${rt.api.url}/reports/monthly?month=${month}&divisionCode=220700&format=xlsx`, { headers: { authorization: `Bearer ${await token(admin)}` } });
    expect(xlsxRes.status).toBe(200);
    expect(xlsxRes.headers.get('content-type')).toContain('spreadsheetml');
    const sheet = await readReportXlsx(Buffer.from(await xlsxRes.arrayBuffer()));
    expect(sheet.title).toBe(csv[0]);
    expect(sheet.headers).toEqual(headers);
    const xTotal = sheet.rows.at(-1)!;
    expect(xTotal[0]).toBe('合计');
    expect(xTotal[col('转办数')]).toBe(json.totals.referred);
    expect(xTotal[col('按时签收率')]).toBe(json.totals.onTimeSignRate);
    expect(xTotal[col('按时办结率')]).toBe(json.totals.onTimeCompletionRate);
    expect(sheet.rows.map((r) => r[0])).toEqual([...json.rows.map((r: any) => loadDivisions().get(r.group)!.name), '合计']);
    // Codes and counts only: nothing about her.
    for (const secret of ['测试姓名', '1350000', '手艺', '邻居家的狗']) expect(csv.join('\n')).not.toContain(secret);
  });

  it('answers 400 with the field, 401 without a token, 403 outside the scope', async () => {
    const bad = await report('/reports/monthly?month=2026-13&format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['format', 'month']);
    expect((await report(`/reports/monthly?month=${month}&need=nonsense`)).status).toBe(400);
    expect((await report(`/reports/monthly?month=${month}`, null)).status).toBe(401);
    expect((await report(`/reports/monthly?month=${month}&department=justice`, { role: 'caseworker', department: 'health', division: '220722' })).status).toBe(403);
    expect((await report(`/reports/trend?month=${month}&divisionCode=220102`, { role: 'coordinator', division: '220700' })).status).toBe(403);
  });
});

describe('npm run reports:rebuild', () => {
  it('recomputes every counter from the events: with the counters wiped, the reports come back the same', async () => {
    const before = await Promise.all([report(`/reports/monthly?month=${month}&by=need`), report('/reports/overview')]);
    const items = await scanAll(db, rt.tableName);
    const stats = items.filter((i) => String(i.pk).startsWith('STATS#'));
    expect(stats.length).toBeGreaterThan(5);
    // Wiped, and one counter made wrong on purpose (a counting bug): the rebuild mends both.
    for (const i of stats) await db.send(new DeleteCommand({ TableName: rt.tableName, Key: { pk: i.pk, sk: i.sk } }));
    await db.send(
      new PutCommand({
        TableName: rt.tableName,
        Item: { pk: `STATS#${month}`, sk: 'bogus', entity: 'stats_month', month, divisionCode: '220722', department: 'hrss', need: 'legal_aid', urgency: 'routine', referred: 999 },
      }),
    );
    expect((await report(`/reports/monthly?month=${month}`)).body.totals.referred).toBe(999);
    // Open referrals written before the deadline index existed (as after the upgrade) have no key in it.
    const unkeyed = items.filter((i) => i.entity === 'referral' && i.deadlinePk && String(i.deadlineSk) < new Date().toISOString()).slice(0, 3);
    expect(unkeyed.length).toBeGreaterThan(0);
    for (const i of unkeyed) await db.send(new UpdateCommand({ TableName: rt.tableName, Key: { pk: i.pk, sk: i.sk }, UpdateExpression: 'REMOVE deadlinePk, deadlineSk' }));
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/reports-rebuild.ts'], {
        env: { ...process.env, DYNAMODB_ENDPOINT: rt.dynamoEndpoint, TABLE_NAME: rt.tableName },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`gave ${unkeyed.length} open referral(s) written before the deadline index their key`);
    expect(out.stdout).toMatch(/counted \d+ event\(s\) into \d+ monthly row\(s\)/);
    const after = await Promise.all([report(`/reports/monthly?month=${month}&by=need`), report('/reports/overview')]);
    expect(after[0].body).toEqual(before[0].body);
    const { generatedAt: _a, ...overviewAfter } = after[1].body;
    const { generatedAt: _b, ...overviewBefore } = before[1].body;
    expect(overviewAfter.total).toBe(overviewBefore.total);
    expect(overviewAfter.byStatus).toEqual(overviewBefore.byStatus);
    expect(overviewAfter.byDepartment).toEqual(overviewBefore.byDepartment);
    // The same overdue referrals (their minutes overdue grow while the rebuild runs).
    const overdue = (o: any) => ({ ...o, items: o.items.map(({ overdueMinutes: _m, ...item }: any) => item) });
    expect(overdue(overviewAfter.overdue)).toEqual(overdue(overviewBefore.overdue));
  }, 60_000);
});

describe('GET /reports/overview from the open-work counters and the deadline index', () => {
  it('equals a recount of the open referrals, and lists exactly the overdue ones', async () => {
    const referrals = (await scanAll(db, rt.tableName)).filter((i) => i.entity === 'referral') as unknown as TrackedReferral[];
    const open = referrals.filter((r) => ['referred', 'accepted', 'reopened', 'returned', 'resolved'].includes(r.status));
    const res = await report('/reports/overview');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(open.length);
    for (const s of ['referred', 'accepted', 'returned', 'resolved']) expect(res.body.byStatus[s], s).toBe(open.filter((r) => r.status === s).length);
    for (const u of ['urgent', 'routine']) expect(res.body.byUrgency[u], u).toBe(open.filter((r) => r.urgency === u).length);
    const now = Date.now();
    const late = open.filter((r) => {
      const d = currentDeadline(r);
      return d !== null && Date.parse(d.deadline) < now;
    });
    expect(late.length).toBeGreaterThan(0);
    expect(res.body.overdue.count).toBe(late.length);
    expect(res.body.overdue.items.map((i: any) => i.referralId).sort()).toEqual(late.map((r) => r.referralId).sort());
    // A county coordinator: only that county's.
    const county = await report('/reports/overview', { role: 'coordinator', division: '220722' });
    expect(county.body.total).toBe(open.filter((r) => r.divisionCode === '220722').length);
    expect(county.body.overdue.count).toBe(late.filter((r) => r.divisionCode === '220722').length);
  });

  it('issues two key queries for the whole province, whatever the number of queues or open referrals', async () => {
    const send = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');
    const res = await report('/reports/overview');
    const commands = send.mock.calls.map(([c]) => c);
    send.mockRestore();
    expect(res.status).toBe(200);
    expect(commands).toHaveLength(2);
    for (const c of commands) expect(c).toBeInstanceOf(QueryCommand);
    expect(commands.map((c) => (c as QueryCommand).input.IndexName ?? 'table').sort()).toEqual(['deadline', 'table']);
  });

  it('answers 400 with field paths, 401 without a token and 403 outside the scope', async () => {
    const bad = await report('/reports/overview?divisionCode=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['divisionCode']);
    expect((await report('/reports/overview?divisionCode=229999')).body.error.fields[0].path).toBe('divisionCode');
    expect((await report('/reports/overview?department=finance')).status).toBe(400);
    expect((await report('/reports/overview', null)).status).toBe(401);
    expect((await report('/reports/overview?divisionCode=220721', { role: 'supervisor', department: 'hrss', division: '220722' })).status).toBe(403);
    expect((await report('/reports/overview?divisionCode=220102', { role: 'coordinator', division: '220700' })).status).toBe(403);
    expect((await report('/reports/overview', { role: 'supervisor', division: '220722' })).status).toBe(403);
  });
});
