// GET /reports/overview: the scope rules (pure), the summary (pure, with properties), and the
// endpoint end to end over real HTTP and DynamoDB Local, reading only the `queue` index.
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken, type DevTokenClaims } from '../../local/dev-jwt.js';
import { queueSkOf, referralKey } from '../../shared/adapters/dynamo/keys.js';
import type { Actor } from '../../shared/domain/access/policy.js';
import { indexDivisions, parseDivisionsCsv } from '../../shared/domain/divisions/divisions.js';
import { readDataFile } from '../../shared/config/data-files.js';
import { MAX_OVERDUE_ITEMS, OPEN_STATUSES, overviewScope, RECEIVING_QUEUES, summarise, currentDeadline, type QueuedReferral } from '../../shared/usecases/reports-overview.js';
import { getJson, postIntake, startTestRuntime } from '../support/local-api.js';

const CODES = indexDivisions(parseDivisionsCsv(readDataFile('divisions.csv'))).all.map((d) => d.code);
const actor = (role: Actor['role'], department: string | null, divisionCode: string | null): Actor => ({ role, department, divisionCode });

describe('overview scope (pure)', () => {
  it("a caseworker's or supervisor's scope is her department in her division, plus the coordinator queues where her returned referrals wait", () => {
    const s = overviewScope(actor('supervisor', 'hrss', '220722'), {}, CODES);
    if (!s.allowed) throw new Error('denied');
    expect(s.queues).toEqual([
      { kind: 'department', department: 'hrss', divisionCode: '220722' },
      { kind: 'followup', department: 'hrss', divisionCode: '220722' },
      { kind: 'coordinator', divisionCode: '220722' },
      { kind: 'coordinator', divisionCode: '220000' },
    ]);
    expect(s.keep({ department: 'hrss', divisionCode: '220722' })).toBe(true);
    expect(s.keep({ department: 'health', divisionCode: '220722' })).toBe(false);
    expect(s.keep({ department: 'hrss', divisionCode: '220721' })).toBe(false);
    expect(s.all).toBe(false);
  });

  it('refuses a caseworker asking for another scope, and a token without department or division', () => {
    expect(overviewScope(actor('caseworker', 'hrss', '220722'), { divisionCode: '220721' }, CODES)).toEqual({ allowed: false, reason: 'outside_scope' });
    expect(overviewScope(actor('caseworker', 'hrss', '220722'), { department: 'health' }, CODES)).toEqual({ allowed: false, reason: 'outside_scope' });
    expect(overviewScope(actor('supervisor', null, '220722'), {}, CODES)).toEqual({ allowed: false, reason: 'incomplete_token' });
    expect(overviewScope(actor('coordinator', null, null), {}, CODES)).toEqual({ allowed: false, reason: 'incomplete_token' });
    expect(overviewScope(actor('admin', null, null), { divisionCode: '229999' }, CODES)).toEqual({ allowed: false, reason: 'unknown_division' });
    expect(overviewScope(actor('admin', null, null), { department: 'finance' }, CODES)).toEqual({ allowed: false, reason: 'unknown_department' });
  });

  it("a coordinator's scope is her division and the divisions inside it, every receiving department", () => {
    const county = overviewScope(actor('coordinator', null, '220722'), {}, CODES);
    if (!county.allowed) throw new Error('denied');
    // 13 department + 13 follow-up queues + her coordinator queue + the provincial one.
    expect(county.queues).toHaveLength(RECEIVING_QUEUES.length * 2 + 2);
    const prefecture = overviewScope(actor('coordinator', null, '220700'), {}, CODES);
    if (!prefecture.allowed) throw new Error('denied');
    const divisions = new Set(prefecture.queues.map((q) => q.divisionCode));
    expect([...divisions].sort()).toEqual(['220000', '220700', '220702', '220721', '220722', '220723', '220781']);
    expect(prefecture.keep({ department: 'health', divisionCode: '220721' })).toBe(true);
    expect(prefecture.keep({ department: 'health', divisionCode: '220102' })).toBe(false);
    expect(overviewScope(actor('coordinator', null, '220700'), { divisionCode: '220102' }, CODES)).toEqual({ allowed: false, reason: 'outside_scope' });
  });

  it('admins and the provincial coordinator see the province, and may narrow it', () => {
    for (const a of [actor('admin', null, null), actor('coordinator', null, '220000')]) {
      const all = overviewScope(a, {}, CODES);
      if (!all.allowed) throw new Error('denied');
      expect(all.all).toBe(true);
      expect(new Set(all.queues.map((q) => q.divisionCode)).size).toBe(CODES.length);
      const narrowed = overviewScope(a, { divisionCode: '220100', department: 'health' }, CODES);
      if (!narrowed.allowed) throw new Error('denied');
      expect(narrowed.all).toBe(false);
      expect(narrowed.keep({ department: 'health', divisionCode: '220102' })).toBe(true);
      expect(narrowed.keep({ department: 'hrss', divisionCode: '220102' })).toBe(false);
    }
  });
});

const referral = (over: Partial<QueuedReferral>): QueuedReferral => ({
  referralId: '01JZ0000000000000000000000-1',
  caseId: '01JZ0000000000000000000000',
  reference: '261129-AAAAAA',
  need: 'legal_aid',
  department: 'justice',
  divisionCode: '220722',
  urgency: 'routine',
  status: 'referred',
  signForBy: '2026-11-30T10:00:00.000Z',
  completeBy: null,
  ...over,
});

describe('overview summary (pure)', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');

  it('counts by status, urgency and department, and lists the overdue ones, most overdue first', () => {
    const o = summarise(
      actor('supervisor', 'justice', '220722'),
      [
        referral({ referralId: 'A-1', signForBy: '2026-11-30T11:00:00.000Z' }),
        referral({ referralId: 'B-1', status: 'accepted', urgency: 'urgent', completeBy: '2026-11-29T12:00:00.000Z' }),
        referral({ referralId: 'C-1', status: 'accepted', completeBy: '2026-12-10T12:00:00.000Z' }),
        referral({ referralId: 'D-1', status: 'resolved', signForBy: '2026-11-01T00:00:00.000Z' }),
        referral({ referralId: 'E-1', status: 'returned', urgency: 'emergency', signForBy: '2026-11-30T13:00:00.000Z' }),
        // The same referral read from two queues counts once.
        referral({ referralId: 'E-1', status: 'returned', urgency: 'emergency', signForBy: '2026-11-30T13:00:00.000Z' }),
      ],
      now,
      false,
    );
    expect(o.total).toBe(5);
    expect(o.byStatus).toEqual({ referred: 1, accepted: 2, reopened: 0, returned: 1, resolved: 1 });
    expect(o.byUrgency).toEqual({ emergency: 1, urgent: 1, routine: 3 });
    expect(o.byDepartment).toEqual({ justice: 5 });
    expect(o.overdue.count).toBe(2);
    expect(o.overdue.byKind).toEqual({ sign_for: 1, completion: 1, reroute: 0 });
    expect(o.overdue.items.map((i) => [i.referralId, i.kind, i.overdueMinutes])).toEqual([
      ['B-1', 'completion', 24 * 60],
      ['A-1', 'sign_for', 60],
    ]);
  });

  it('properties: the status counts add up to the total, and overdue means exactly "its current deadline has passed"', () => {
    const arb = fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 40 }),
        status: fc.constantFrom(...OPEN_STATUSES),
        urgency: fc.constantFrom('emergency' as const, 'urgent' as const, 'routine' as const),
        signOffset: fc.integer({ min: -5000, max: 5000 }),
        completeOffset: fc.option(fc.integer({ min: -5000, max: 5000 })),
      }),
      { maxLength: 150 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const items = rows.map((r) =>
          referral({
            referralId: `R${r.id}-1`,
            status: r.status,
            urgency: r.urgency,
            signForBy: new Date(now.getTime() + r.signOffset * 60_000).toISOString(),
            completeBy: r.completeOffset === null ? null : new Date(now.getTime() + r.completeOffset * 60_000).toISOString(),
          }),
        );
        const o = summarise(actor('admin', null, null), items, now, true);
        // A referral read twice (from two queues) counts once, as first read.
        const firsts = new Map<string, QueuedReferral>();
        for (const i of items) if (!firsts.has(i.referralId)) firsts.set(i.referralId, i);
        expect(o.total).toBe(firsts.size);
        expect(Object.values(o.byStatus).reduce((a, b) => a + b, 0)).toBe(o.total);
        expect(Object.values(o.byUrgency).reduce((a, b) => a + b, 0)).toBe(o.total);
        const late = [...firsts.values()].filter((i) => {
          const d = currentDeadline(i);
          return d !== null && Date.parse(d.deadline) < now.getTime();
        });
        expect(o.overdue.count).toBe(late.length);
        expect(o.overdue.items.length).toBe(Math.min(late.length, MAX_OVERDUE_ITEMS));
        for (let i = 1; i < o.overdue.items.length; i++) expect(o.overdue.items[i - 1]!.overdueMinutes).toBeGreaterThanOrEqual(o.overdue.items[i]!.overdueMinutes);
      }),
      { numRuns: 200 },
    );
  });
});

describe('GET /reports/overview over HTTP and DynamoDB Local', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let n = 0;
  const token = (c: DevTokenClaims) => mintDevToken(c);
  const overview = async (claims: DevTokenClaims | null, query = '') => getJson(`${rt.api.url}/reports/overview${query}`, claims ? await token(claims) : undefined);
  const hrss = { role: 'caseworker', department: 'hrss', division: '220722' } as const;
  const TRAINING = '俺想学个手艺在家挣点钱，县里有啥培训不？';
  const ids: Record<string, { caseId: string; referralId: string; reference: string }> = {};

  async function seed(key: string, description: string, divisionCode: string) {
    const res = await postIntake(rt.api.url, 'web', {
      clientRequestId: `report-${Date.now()}-${++n}`,
      description,
      divisionCode,
      name: '测试姓名己',
      phone: '13500004444',
      consent: { shareWithDepartments: true },
    });
    expect(res.status).toBe(201);
    ids[key] = { caseId: res.body.caseId, referralId: res.body.referrals[0].referralId, reference: res.body.reference };
  }

  async function act(key: string, action: string, body?: unknown, claims: DevTokenClaims = hrss) {
    const res = await fetch(`${rt.api.url}/referrals/${ids[key]!.referralId}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(claims)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status, `${action} ${key}`).toBe(200);
  }

  beforeAll(async () => {
    rt = await startTestRuntime('reports');
    await seed('A', TRAINING, '220722');
    await seed('B', TRAINING, '220722');
    await seed('C', TRAINING, '220722');
    await seed('D', TRAINING, '220722');
    await seed('E', TRAINING, '220722');
    await seed('F', '想问问两癌筛查在哪报名。', '220722');
    await seed('G', TRAINING, '220721');
    await seed('H', TRAINING, '220102');
    for (const k of ['B', 'C', 'D']) await act(k, 'accept');
    for (const k of ['C', 'D']) await act(k, 'resolve', { outcome: 'service_provided', summary: '已报名培训。' });
    await act('D', 'follow-up', { reached: true, satisfaction: 5 });
    await act('E', 'return', { reason: 'not_our_jurisdiction', note: '她住在乾安县。' });
    // A is late: its sign-for deadline moved three hours into the past, as if the clock had run on.
    const past = new Date(Date.now() - 3 * 3600_000).toISOString();
    await rt.db.send(
      new UpdateCommand({
        TableName: rt.tableName,
        Key: referralKey(ids.A!.caseId, 1),
        UpdateExpression: 'SET signForBy = :d, queueSk = :sk',
        ExpressionAttributeValues: { ':d': past, ':sk': queueSkOf('routine', past, ids.A!.referralId) },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await rt?.stop();
  });

  it("a supervisor sees her department × division: open work by status, the returned one, and the overdue one; closed ones are not counted", async () => {
    const res = await overview({ ...hrss, role: 'supervisor' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ role: 'supervisor', department: 'hrss', divisionCode: '220722', all: false });
    expect(res.body.byStatus).toEqual({ referred: 1, accepted: 1, reopened: 0, returned: 1, resolved: 1 });
    expect(res.body.total).toBe(4);
    expect(res.body.byDepartment).toEqual({ hrss: 4 });
    expect(res.body.overdue.count).toBe(1);
    expect(res.body.overdue.items[0]).toMatchObject({ referralId: ids.A!.referralId, reference: ids.A!.reference, kind: 'sign_for', status: 'referred', department: 'hrss', divisionCode: '220722' });
    expect(res.body.overdue.items[0].overdueMinutes).toBeGreaterThanOrEqual(179);
    // Codes and deadlines only: no name, phone or narrative.
    const text = JSON.stringify(res.body);
    for (const secret of ['测试姓名己', '13500004444', '手艺', '乾安县']) expect(text).not.toContain(secret);
  });

  it('another department sees only its own; a coordinator her division and the divisions inside it; an admin the province', async () => {
    const health = await overview({ role: 'caseworker', department: 'health', division: '220722' });
    expect(health.body.total).toBe(1);
    expect(health.body.byStatus.referred).toBe(1);
    const county = await overview({ role: 'coordinator', division: '220722' });
    expect(county.body.total).toBe(5);
    expect(county.body.byDepartment).toEqual({ hrss: 4, health: 1 });
    const prefecture = await overview({ role: 'coordinator', division: '220700' });
    expect(prefecture.body.total).toBe(6);
    const started = Date.now();
    const admin = await overview({ role: 'admin' });
    console.log(`[reports] province overview (${CODES.length} divisions) answered in ${Date.now() - started} ms`);
    expect(admin.status).toBe(200);
    expect(admin.body.scope.all).toBe(true);
    expect(admin.body.total).toBe(7);
    expect((await overview({ role: 'admin' }, '?divisionCode=220100')).body.total).toBe(1);
    expect((await overview({ role: 'coordinator', division: '220000' }, '?department=health')).body.total).toBe(1);
    // The province is 70 divisions × 27 queues of key queries: about 1 s in DynamoDB, slower in DynamoDB Local.
  }, 90_000);

  it('reads the queue index with key queries only, never a scan', async () => {
    const send = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');
    await overview({ role: 'coordinator', division: '220700' });
    const commands = send.mock.calls.map(([c]) => c);
    send.mockRestore();
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) {
      expect(c).toBeInstanceOf(QueryCommand);
      expect((c as QueryCommand).input).toMatchObject({ IndexName: 'queue', KeyConditionExpression: '#pk = :pk' });
    }
  });

  it('answers 400 with field paths, 401 without a token and 403 outside the scope', async () => {
    const bad = await overview({ role: 'admin' }, '?divisionCode=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['divisionCode']);
    const unknown = await overview({ role: 'admin' }, '?divisionCode=229999');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('divisionCode');
    expect((await overview({ role: 'admin' }, '?department=finance')).status).toBe(400);
    expect((await overview(null)).status).toBe(401);
    expect((await overview({ ...hrss, role: 'supervisor' }, '?divisionCode=220721')).status).toBe(403);
    expect((await overview({ role: 'coordinator', division: '220700' }, '?divisionCode=220102')).status).toBe(403);
    expect((await overview({ role: 'supervisor', division: '220722' })).status).toBe(403);
  });
});
