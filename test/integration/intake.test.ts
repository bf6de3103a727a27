// The intake path end to end: real HTTP on localhost, real handlers, DynamoDB Local.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { getJson, postIntake, scanAll, startTestRuntime } from '../support/local-api.js';
import { logger } from '../../shared/adapters/logger.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const logs: string[] = [];
let n = 0;
let adminToken: string;
const getCase = async (caseId: string, token = adminToken) => getJson(`${rt.api.url}/cases/${caseId}`, token);
const uid = () => `${Date.now().toString(36)}-${++n}`;

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logs.push(String(chunk));
    return write(chunk, ...rest);
  });
  rt = await startTestRuntime('intake');
  adminToken = await mintDevToken({ role: 'admin' });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

const call12338 = (over: Record<string, unknown> = {}) => ({
  callId: `call-${uid()}`,
  receivedAt: '2026-11-29T21:14:00+08:00',
  operatorId: 'op-3',
  summary: '来电人称丈夫喝了酒拿着刀说要砍死她，她现在躲在邻居家里，人还在门外。',
  caller: { name: '测试姓名甲', phone: '13811112222', age: 40 },
  location: { divisionCode: '222403', township: '测试镇', village: '测试村' },
  contact: { safeToCall: true, safeToSms: false },
  consent: { shareWithDepartments: true },
  ...over,
});

const ticket12348 = (over: Record<string, unknown> = {}) => ({
  ticketNo: `T-${uid()}`,
  createdTime: '2026-11-29 09:30:00',
  content: '咨询人反映村委会把她家的承包地收回转包给别人，也不给补偿，想知道怎么维权。',
  consultType: '土地纠纷',
  areaCode: '220182',
  applicant: { name: '测试姓名乙', mobile: '13933334444' },
  agreeTransfer: true,
  ...over,
});

const webForm = (over: Record<string, unknown> = {}) => ({
  clientRequestId: `web-${uid()}-abcdef`,
  description: '俺家那口子出去打工好几年了，俺想学个手艺在家挣点钱，县里有啥培训不？',
  divisionCode: '220722',
  name: '测试姓名丙',
  phone: '13755556666',
  contact: { safeToSms: true },
  consent: { shareWithDepartments: true },
  ...over,
});

const itemsOf = async (caseId: string) => (await scanAll(rt.db, rt.tableName)).filter((i) => String(i.pk).includes(caseId) || i.caseId === caseId);

describe('happy paths', () => {
  it('12338: an emergency becomes a case with a public-security referral and tells the operator to call 110', async () => {
    const res = await postIntake(rt.api.url, '12338', call12338());
    expect(res.status).toBe(201);
    expect(res.body.urgency).toBe('emergency');
    expect(res.body.divisionCode).toBe('222403');
    expect(res.body.needs).toContain('safety_protection');
    const safety = res.body.referrals.find((r: any) => r.need === 'safety_protection');
    expect(safety).toMatchObject({ department: 'public_security', divisionCode: '222403', status: 'referred', jurisdiction: 'county' });
    expect(safety.coDepartments).toEqual(expect.arrayContaining(['justice', 'womens_federation']));
    // Emergency sign-for is 30 minutes.
    expect(Date.parse(safety.signForBy) - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5000);
    expect(res.body.operatorActions.map((a: any) => a.code)).toContain('call_110');
    expect(res.body.reference).toMatch(/^\d{6}-[0-9A-Z]{6}$/);

    const got = await getCase(res.body.caseId);
    expect(got.status).toBe(200);
    const view = got.body;
    expect(view.case.caseId).toBe(res.body.caseId);
    expect(view.referrals).toHaveLength(res.body.referrals.length);
    expect(view.events.map((e: any) => e.type)).toContain('case_created');
    const stored = await itemsOf(res.body.caseId);
    expect(stored.filter((i) => i.entity === 'referral').every((i) => i.queuePk === `Q#${i.department}#222403`)).toBe(true);
  });

  it('12348: a land-rights question goes to justice in 榆树市 with agriculture as co-department', async () => {
    const res = await postIntake(rt.api.url, '12348', ticket12348());
    expect(res.status).toBe(201);
    const legal = res.body.referrals.find((r: any) => r.need === 'legal_aid');
    expect(legal).toMatchObject({ department: 'justice', divisionCode: '220182' });
    expect(legal.coDepartments).toContain('agriculture');
    expect(res.body.urgency).toBe('routine');
  });

  it('web: an unsigned form creates a case routed to hrss in 长岭县', async () => {
    const res = await postIntake(rt.api.url, 'web', webForm());
    expect(res.status).toBe(201);
    expect(res.body.referrals).toEqual([expect.objectContaining({ need: 'employment_training', department: 'hrss', divisionCode: '220722' })]);
  });

  it('no division anywhere: the referral goes to the provincial triage queue', async () => {
    const res = await postIntake(rt.api.url, 'web', webForm({ divisionCode: undefined }));
    expect(res.status).toBe(201);
    expect(res.body.referrals[0]).toMatchObject({ divisionCode: '220000', jurisdiction: 'province' });
  });

  it('no recognisable need: one manual-triage referral', async () => {
    const res = await postIntake(rt.api.url, 'web', webForm({ description: '想问问村里广场上的路灯坏了归谁管。' }));
    expect(res.status).toBe(201);
    expect(res.body.needs).toEqual([]);
    expect(res.body.referrals).toEqual([expect.objectContaining({ need: 'manual_triage', department: 'manual_triage' })]);
  });
});

describe('reading a case', () => {
  it('needs a valid token, and shows a case only to those it is referred to', async () => {
    const res = await postIntake(rt.api.url, '12338', call12338());
    const id = res.body.caseId;
    expect((await getJson(`${rt.api.url}/cases/${id}`)).status).toBe(401);
    expect((await getCase(id, 'not.a.token')).status).toBe(401);
    const police = await mintDevToken({ role: 'caseworker', department: 'public_security', division: '222403' });
    const policeElsewhere = await mintDevToken({ role: 'caseworker', department: 'public_security', division: '222401' });
    const health = await mintDevToken({ role: 'caseworker', department: 'health', division: '222403' });
    expect((await getCase(id, police)).status).toBe(200);
    // Not hers: the same 404 as a case that does not exist.
    const missing = await getCase('0'.repeat(26), health);
    for (const outsider of [policeElsewhere, health]) {
      const refused = await getCase(id, outsider);
      expect(refused.status).toBe(404);
      expect(refused.body.error).toEqual(missing.body.error);
    }
  });
});

describe('idempotency', () => {
  it('the same callId again returns the original case with 200 and writes nothing', async () => {
    const body = call12338();
    const first = await postIntake(rt.api.url, '12338', body);
    const before = (await scanAll(rt.db, rt.tableName)).length;
    const again = await postIntake(rt.api.url, '12338', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(first.body.caseId);
    expect(again.body.referrals).toEqual(first.body.referrals);
    expect((await scanAll(rt.db, rt.tableName)).length).toBe(before);
  });

  it('20 concurrent posts of the same callId create exactly one case', async () => {
    const body = call12338();
    const results = await Promise.all(Array.from({ length: 20 }, () => postIntake(rt.api.url, '12338', body)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.caseId)).size).toBe(1);
    const cases = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'case' && i.externalId === body.callId);
    expect(cases).toHaveLength(1);
  });

  it('the same callId with different content is a 409 and changes nothing', async () => {
    const body = call12338();
    await postIntake(rt.api.url, '12338', body);
    const before = (await scanAll(rt.db, rt.tableName)).length;
    const res = await postIntake(rt.api.url, '12338', { ...body, summary: '来电人询问两癌筛查的时间。' });
    expect(res.status).toBe(409);
    expect((await scanAll(rt.db, rt.tableName)).length).toBe(before);
  });

  it('a web form retried with its clientRequestId is recorded once and told only that it was received', async () => {
    const body = webForm();
    const a = await postIntake(rt.api.url, 'web', body);
    const before = (await scanAll(rt.db, rt.tableName)).length;
    const b = await postIntake(rt.api.url, 'web', body);
    expect([a.status, b.status]).toEqual([201, 200]);
    // Whoever re-posts her body (a shared phone, a copied request) learns nothing of the case's progress.
    expect(b.body).toEqual({ reference: a.body.reference, status: 'already_received', message: expect.stringContaining('已经收到') });
    expect(b.headers.get('location')).toBeNull();
    expect(JSON.stringify(b.body)).not.toMatch(/referral|signForBy|urgency|needs|explanation|caseId/);
    expect((await scanAll(rt.db, rt.tableName)).length).toBe(before);
  });

  it('a different web body under a used clientRequestId is a bare 409 that says nothing of the earlier post', async () => {
    const body = webForm();
    await postIntake(rt.api.url, 'web', body);
    const res = await postIntake(rt.api.url, 'web', { ...body, description: '想问问妇联有没有手工培训班。' });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'conflict', message: expect.any(String) });
    expect(res.body.error.message).not.toMatch(/id|earlier|before|different/i);
  });

  it('a hotline duplicate, authenticated, still gets the full receipt', async () => {
    const body = call12338();
    const a = await postIntake(rt.api.url, '12338', body);
    const b = await postIntake(rt.api.url, '12338', body);
    expect(b.status).toBe(200);
    expect(b.body.caseId).toBe(a.body.caseId);
    expect(b.body.referrals).toEqual(a.body.referrals);
  });
});

describe('the integrator contract', () => {
  it('GET /openapi.json serves the OpenAPI 3.1 document of every route, to anyone, with the API headers', async () => {
    const res = await fetch(`${rt.api.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/intake/12338', '/intake/12348', '/intake/web', '/referrals/{referralId}/accept', '/openapi.json']));
  });
});

describe('authentication of the hotline systems', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    // Options are made when the test runs, so that timestamps are relative to then.
    ['a wrong signature', () => ({ signature: `t=${now()},v1=${'0'.repeat(64)}` })],
    ['no signature', () => ({ signature: null })],
    ['a malformed signature header', () => ({ signature: 'garbage' })],
    ['an unknown key id', () => ({ keyId: 'nobody', secret: 'x'.repeat(32) })],
    ["the 12348 system's key on the 12338 endpoint", () => ({ keyId: 'dev-12348' })],
    ['a timestamp 301 s old', () => ({ timestamp: now() - 301 })],
    // Not 301 s: on a loaded machine the request may take over a second to arrive, and a timestamp
    // 301 s ahead would then be within the window. The exact 300/301 s edge is a unit test (signature.test.ts).
    ['a timestamp 330 s in the future', () => ({ timestamp: now() + 330 })],
    ['the right key id signed with another secret', () => ({ secret: 'another-secret-of-enough-length' })],
  ])('rejects %s with 401 and writes nothing', async (_what, opts) => {
    const body = call12338();
    const res = await postIntake(rt.api.url, '12338', body, opts() as any);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect((await scanAll(rt.db, rt.tableName)).some((i) => i.externalId === body.callId)).toBe(false);
  });

  it('accepts a timestamp 250 s old', async () => {
    const res = await postIntake(rt.api.url, '12338', call12338(), { timestamp: now() - 250 });
    expect(res.status).toBe(201);
  });

  it('a signature over different bytes fails even when the JSON means the same', async () => {
    const body = call12338();
    const signedFor = JSON.stringify(body);
    const { signatureHeader } = await import('../../shared/http/signature.js');
    const { DEV_HOTLINE_KEYS } = await import('../../local/dev-config.js');
    const sig = signatureHeader(DEV_HOTLINE_KEYS['dev-12338']!.secret, now(), signedFor);
    const res = await postIntake(rt.api.url, '12338', body, { signature: sig, rawBody: JSON.stringify(body, null, 2) });
    expect(res.status).toBe(401);
  });
});

describe('client mistakes get clear errors and lose nothing', () => {
  it('invalid JSON is a 400', async () => {
    const res = await postIntake(rt.api.url, 'web', null, { rawBody: '{"description": "x",' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('schema errors are a 400 naming every wrong field path', async () => {
    const res = await postIntake(rt.api.url, '12338', call12338({ receivedAt: 'yesterday', consent: {}, caller: { phone: 'call me' } }));
    expect(res.status).toBe(400);
    const paths = res.body.error.fields.map((f: any) => f.path).sort();
    expect(paths).toEqual(['caller.phone', 'consent.shareWithDepartments', 'receivedAt']);
    // The error never echoes what was sent.
    expect(JSON.stringify(res.body)).not.toContain('call me');
  });

  it('a missing required narrative is a 400 on that path (12348)', async () => {
    const res = await postIntake(rt.api.url, '12348', ticket12348({ content: '   ', agreeTransfer: 'yes' }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path).sort()).toEqual(['agreeTransfer', 'content']);
  });

  it('a body over 64 KiB is a 413', async () => {
    const res = await postIntake(rt.api.url, 'web', webForm({ description: '家'.repeat(23_000) }));
    expect(res.status).toBe(413);
  });

  it('a body far over the limit is refused by the server before the handler', async () => {
    const res = await postIntake(rt.api.url, 'web', null, { rawBody: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });

  it('a form-encoded body is a 415', async () => {
    const res = await postIntake(rt.api.url, 'web', null, { rawBody: 'description=hello', contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('an unknown route is a 404, and so is an unknown case', async () => {
    expect((await fetch(`${rt.api.url}/intake/110`, { method: 'POST' })).status).toBe(404);
    expect((await getCase('01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    expect((await getCase('not-an-id')).status).toBe(404);
  });

  it('arbitrary JSON bodies never produce a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const res = await postIntake(rt.api.url, 'web', value);
        expect([200, 201, 400, 409]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('consent', () => {
  it('without consent a routine case is recorded and nothing is referred', async () => {
    const res = await postIntake(rt.api.url, '12348', ticket12348({ agreeTransfer: false }));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('not_referred');
    expect(res.body.referrals).toEqual([]);
    expect(res.body.operatorActions.map((a: any) => a.code)).toContain('not_referred');
    const stored = await itemsOf(res.body.caseId);
    expect(stored.filter((i) => i.entity === 'referral')).toHaveLength(0);
    const [caseItem] = stored.filter((i) => i.entity === 'case');
    // Over at once: scheduled for the purge of her data after the retention (default 1096 days).
    expect(Date.parse(String(caseItem!.purgeAt)) - Date.parse(String(caseItem!.createdAt))).toBe(1096 * 86_400_000);
    expect(caseItem).toMatchObject({ duePk: 'DUE' });
  });

  it('without consent an emergency is still referred, with the override recorded', async () => {
    const res = await postIntake(rt.api.url, '12338', call12338({ consent: { shareWithDepartments: false } }));
    expect(res.status).toBe(201);
    expect(res.body.consent).toEqual({ shareWithDepartments: false, override: true });
    expect(res.body.referrals.map((r: any) => r.need)).toContain('safety_protection');
    const view = (await getCase(res.body.caseId)).body;
    expect(view.events.map((e: any) => e.type)).toContain('consent_overridden');
    expect(view.referrals.every((r: any) => r.consentOverride === true)).toBe(true);
  });
});

describe('routing of every need to its lead department', () => {
  it.each([
    ['legal_aid', 'justice', '想咨询一下离婚后孩子的抚养费怎么要。'],
    ['psychological_support', 'civil_affairs', '最近心情特别低落，天天失眠，想找个心理老师聊聊。'],
    ['health_screening', 'health', '请问今年的两癌筛查在哪报名？'],
    ['social_assistance', 'civil_affairs', '家里太困难了，想申请低保。'],
    ['safety_protection', 'public_security', '村里有个男的老是跟踪我，还半夜敲我家窗户，我很害怕。'],
    ['employment_training', 'hrss', '想参加县里的电商培训，怎么报名？'],
    ['family_education', 'womens_federation', '孩子上初中了不爱学习，我不知道怎么教育他。'],
  ])('%s → %s', async (need, department, description) => {
    const res = await postIntake(rt.api.url, 'web', webForm({ description, divisionCode: '220523' }));
    expect(res.status).toBe(201);
    expect(res.body.referrals).toContainEqual(expect.objectContaining({ need, department, divisionCode: '220523' }));
  });
});

describe('privacy', () => {
  it('no name, phone, address or narrative reached a log line', () => {
    const all = logs.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of ['测试姓名', '13811112222', '13933334444', '13755556666', '测试镇', '测试村', '砍死', '承包地', '手艺']) {
      expect(all).not.toContain(secret);
    }
  });
});
