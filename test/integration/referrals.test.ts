// The caseworker API end to end: real HTTP on localhost, the real handlers, DynamoDB Local.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken, type DevTokenClaims } from '../../local/dev-jwt.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import { postIntake, startTestRuntime } from '../support/local-api.js';
import { api, documentClientFor, eventsOf, NARRATIVE, PERSON, seedCase, storedCase, storedReferral } from '../support/referrals-fixtures.js';
import { logger } from '../../shared/adapters/logger.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let db: DynamoDBDocumentClient;
const logs: string[] = [];
const tokens = new Map<string, string>();

/** A token for a role, department and division (cached). */
async function token(role: DevTokenClaims['role'], department?: string, division?: string, sub?: string) {
  const key = [role, department, division, sub].join('|');
  if (!tokens.has(key)) tokens.set(key, await mintDevToken({ role, department, division, sub }));
  return tokens.get(key)!;
}

const post = (path: string, tok: string | undefined, body?: unknown, headers?: Record<string, string>) => api(rt.api.url, 'POST', path, tok, body, headers);
const get = (path: string, tok?: string) => api(rt.api.url, 'GET', path, tok);
const seed = (opts: Parameters<typeof seedCase>[2]) => seedCase(db, rt.tableName, opts);
const events = (caseId: string) => eventsOf(db, rt.tableName, caseId);
const item = (referralId: string) => storedReferral(db, rt.tableName, referralId);

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logs.push(String(chunk));
    return write(chunk, ...rest);
  });
  rt = await startTestRuntime('referrals');
  db = documentClientFor(rt.dynamoEndpoint);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

const RESOLVE_OK = { outcome: 'service_provided', summary: '已上门了解情况并提供帮助' };

describe('the main path', () => {
  it('an intake posted over HTTP appears in the caseworker’s queue; she accepts, resolves and follows up; the case closes with its last referral', async () => {
    const callId = `call-${Date.now().toString(36)}`;
    const intake = await postIntake(rt.api.url, '12338', {
      callId,
      receivedAt: new Date().toISOString(),
      operatorId: 'op-5',
      summary: '来电人称丈夫喝酒后拿着菜刀说要砍死她，她现在躲在邻居家，丈夫还在外面砸门。',
      caller: { name: PERSON.name, phone: PERSON.phone },
      location: { divisionCode: '222403' },
      contact: { safeToCall: true, safeToSms: false },
      consent: { shareWithDepartments: true },
    });
    expect(intake.status).toBe(201);
    const safety = intake.body.referrals.find((r: any) => r.department === 'public_security');
    expect(safety).toBeDefined();
    const police = await token('caseworker', 'public_security', '222403');

    const queue = await get('/referrals?status=open', police);
    expect(queue.status).toBe(200);
    expect(queue.body.queue).toEqual({ kind: 'department', department: 'public_security', divisionCode: '222403' });
    const listed = queue.body.items.find((i: any) => i.referralId === safety.referralId);
    expect(listed).toMatchObject({ status: 'referred', urgency: 'emergency', casePath: `/cases/${intake.body.caseId}`, version: 1 });
    // Queue items carry no personal data.
    expect(JSON.stringify(queue.body)).not.toContain(PERSON.phone);
    expect(JSON.stringify(queue.body)).not.toContain(PERSON.name);

    const accepted = await post(`/referrals/${safety.referralId}/accept`, police);
    expect(accepted.status).toBe(200);
    expect(accepted.body.referral).toMatchObject({ status: 'accepted', version: 2, signedForOnTime: true });
    // Emergency completion: one calendar day from acceptance.
    expect(Date.parse(accepted.body.referral.completeBy) - Date.parse(accepted.body.referral.acceptedAt)).toBe(24 * 3600_000);

    expect((await post(`/referrals/${safety.referralId}/notes`, police, { text: '已出警，当事人安全' })).status).toBe(200);
    const resolved = await post(`/referrals/${safety.referralId}/resolve`, police, RESOLVE_OK);
    expect(resolved.status).toBe(200);
    expect(resolved.body.referral).toMatchObject({ status: 'resolved', outcome: 'service_provided', resolvedOnTime: true });
    const stillOpen = await storedCase(db, rt.tableName, intake.body.caseId);
    const followUpQueue = await get('/referrals?status=followup', police);
    expect(followUpQueue.body.items.map((i: any) => i.referralId)).toContain(safety.referralId);

    const closed = await post(`/referrals/${safety.referralId}/follow-up`, police, { reached: true, satisfaction: 5 });
    expect(closed.status).toBe(200);
    expect(closed.body.referral).toMatchObject({ status: 'closed', closedBy: 'follow_up', followUp: { reached: true, satisfaction: 5 } });
    const stored = await item(safety.referralId);
    // Closed: out of both sparse indexes.
    expect(stored).not.toHaveProperty('queuePk');
    expect(stored).not.toHaveProperty('duePk');

    const others = intake.body.referrals.filter((r: any) => r.referralId !== safety.referralId);
    const caseAfter = await storedCase(db, rt.tableName, intake.body.caseId);
    expect(caseAfter?.status).toBe(others.length === 0 ? 'closed' : 'open');
    expect(stillOpen?.status).toBe('open');
    const types = (await events(intake.body.caseId)).filter((e) => e.referralId === safety.referralId).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['accepted', 'note_added', 'resolved', 'followed_up']));
  });

  it('a case with two referrals closes only when the second closes', async () => {
    const created = await seed({ needs: ['safety_protection', 'legal_aid'], urgency: 'urgent', divisionCode: '222404' });
    const [police, justice] = [await token('caseworker', 'public_security', '222404'), await token('caseworker', 'justice', '222404')];
    const byDept = Object.fromEntries(created.referrals.map((r) => [r.department, r.referralId]));
    const finish = async (id: string, tok: string) => {
      expect((await post(`/referrals/${id}/accept`, tok)).status).toBe(200);
      expect((await post(`/referrals/${id}/resolve`, tok, { outcome: 'referred_elsewhere', reason: '已转妇联跟进', summary: '已转介' })).status).toBe(200);
      expect((await post(`/referrals/${id}/follow-up`, tok, { reached: false })).status).toBe(200);
    };
    await finish(byDept.public_security!, police);
    expect((await storedCase(db, rt.tableName, created.case.caseId))?.status).toBe('open');
    await finish(byDept.justice!, justice);
    const c = await storedCase(db, rt.tableName, created.case.caseId);
    expect(c).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await events(created.case.caseId)).filter((e) => e.type === 'case_closed')).toHaveLength(1);
  });

  it('the two last referrals closing at the same moment still close the case', async () => {
    for (let round = 0; round < 3; round++) {
      const created = await seed({ needs: ['safety_protection', 'legal_aid'], urgency: 'urgent', divisionCode: '222405' });
      const tokFor = { public_security: await token('caseworker', 'public_security', '222405'), justice: await token('caseworker', 'justice', '222405') } as Record<string, string>;
      for (const r of created.referrals) {
        await post(`/referrals/${r.referralId}/accept`, tokFor[r.department]);
        await post(`/referrals/${r.referralId}/resolve`, tokFor[r.department], RESOLVE_OK);
      }
      const results = await Promise.all(created.referrals.map((r) => post(`/referrals/${r.referralId}/follow-up`, tokFor[r.department], { reached: true, satisfaction: 4 })));
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect((await storedCase(db, rt.tableName, created.case.caseId))?.status).toBe('closed');
    }
  });
});

describe('concurrency', () => {
  it('two caseworkers accepting the same referral at once: exactly one 200 and one 409', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220122' });
      const id = created.referrals[0]!.referralId;
      const [a, b] = [await token('caseworker', 'health', '220122', 'cw-a'), await token('caseworker', 'health', '220122', 'cw-b')];
      const results = await Promise.all([post(`/referrals/${id}/accept`, a), post(`/referrals/${id}/accept`, b)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body.error.message).toMatch(/\(.+\)/);
      const stored = await item(id);
      expect(stored).toMatchObject({ status: 'accepted', version: 2 });
      expect((await events(created.case.caseId)).filter((e) => e.type === 'accepted')).toHaveLength(1);
    }
  });
});

describe('return, re-route and the provincial coordinator’s final decision', () => {
  it('walks a referral through two returns, a re-route and the final decision', async () => {
    const created = await seed({ needs: ['family_education'], urgency: 'routine', divisionCode: '222406' });
    const id = created.referrals[0]!.referralId;
    const wf = await token('caseworker', 'womens_federation', '222406');
    const countyCoord = await token('coordinator', undefined, '222406');
    const province = await token('coordinator', undefined, '220000');

    const ret = await post(`/referrals/${id}/return`, wf, { reason: 'not_our_function', note: '属于民政职能' });
    expect(ret.status).toBe(200);
    expect(ret.body.referral).toMatchObject({ status: 'returned', returnCount: 1 });
    expect((await item(id))?.queuePk).toBe('Q#coordinator#222406');
    const coordQueue = await get('/referrals', countyCoord);
    expect(coordQueue.body.queue).toEqual({ kind: 'coordinator', divisionCode: '222406' });
    expect(coordQueue.body.items.map((i: any) => i.referralId)).toContain(id);
    // A caseworker cannot re-route (she sees the case: 403).
    expect((await post(`/referrals/${id}/reroute`, wf, { department: 'civil_affairs' })).status).toBe(403);
    // Nor can a coordinator send it outside her division.
    expect((await post(`/referrals/${id}/reroute`, countyCoord, { divisionCode: '222401' })).status).toBe(403);

    const rerouted = await post(`/referrals/${id}/reroute`, countyCoord, { department: 'civil_affairs' });
    expect(rerouted.status).toBe(200);
    expect(rerouted.body.referral).toMatchObject({ status: 'referred', department: 'civil_affairs', divisionCode: '222406', returnCount: 1 });
    expect((await item(id))?.queuePk).toBe('Q#civil_affairs#222406');
    const civil = await token('caseworker', 'civil_affairs', '222406');
    expect((await get('/referrals', civil)).body.items.map((i: any) => i.referralId)).toContain(id);
    // The women's federation no longer acts on it, nor sees it.
    expect((await post(`/referrals/${id}/accept`, wf)).status).toBe(404);

    expect((await post(`/referrals/${id}/return`, civil, { reason: 'not_our_function', note: '属于妇联职能' })).status).toBe(200);
    expect((await item(id))?.queuePk).toBe('Q#coordinator#220000');
    // After two returns the county coordinator may not decide.
    expect((await post(`/referrals/${id}/reroute`, countyCoord, { department: 'womens_federation' })).status).toBe(403);
    const provincialQueue = await get('/referrals', province);
    expect(provincialQueue.body.items.map((i: any) => i.referralId)).toContain(id);

    const decided = await post(`/referrals/${id}/reroute`, province, { department: 'civil_affairs' });
    expect(decided.status).toBe(200);
    expect(decided.body.referral).toMatchObject({ status: 'referred', department: 'civil_affairs', finalDecision: 'upheld' });
    // Final: no third return.
    const again = await post(`/referrals/${id}/return`, civil, { reason: 'not_our_function', note: '再次退回' });
    expect(again.status).toBe(409);
    expect((await post(`/referrals/${id}/accept`, civil)).status).toBe(200);

    const types = (await events(created.case.caseId)).map((e) => e.type);
    expect(types.filter((t) => t === 'returned')).toHaveLength(2);
    expect(types.filter((t) => t === 'rerouted')).toHaveLength(2);
    expect(types.filter((t) => t === 'access_denied').length).toBeGreaterThanOrEqual(4);
    const final = (await events(created.case.caseId)).find((e) => e.type === 'rerouted' && e.details.finalDecision);
    expect(final).toMatchObject({ actor: { role: 'coordinator', divisionCode: '220000' }, details: { finalDecision: 'upheld', to: { department: 'civil_affairs' } } });
  });

  it('re-routing to an unknown division is a 400', async () => {
    const created = await seed({ needs: ['family_education'], urgency: 'routine', divisionCode: '222406' });
    const province = await token('coordinator', undefined, '220000');
    const res = await post(`/referrals/${created.referrals[0]!.referralId}/reroute`, province, { divisionCode: '229999' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'divisionCode' })]);
  });
});

describe('extensions', () => {
  it('a caseworker asks, a supervisor decides, the completion deadline moves by working days', async () => {
    const created = await seed({ needs: ['social_assistance'], urgency: 'routine', divisionCode: '220183' });
    const id = created.referrals[0]!.referralId;
    const cw = await token('caseworker', 'civil_affairs', '220183');
    const sup = await token('supervisor', 'civil_affairs', '220183');
    const otherSup = await token('supervisor', 'civil_affairs', '220182');
    const accepted = (await post(`/referrals/${id}/accept`, cw)).body.referral;
    expect((await post(`/referrals/${id}/extension`, cw, { workingDays: 5, reason: '需等待低保审批结果' })).status).toBe(200);
    expect((await post(`/referrals/${id}/extension/decision`, cw, { approve: true })).status).toBe(403);
    expect((await post(`/referrals/${id}/extension/decision`, otherSup, { approve: true })).status).toBe(404);
    const approved = await post(`/referrals/${id}/extension/decision`, sup, { approve: true });
    expect(approved.status).toBe(200);
    expect(approved.body.referral.completeBy).toBe(loadDeadlinePolicy().completeBy(accepted.acceptedAt, 'routine', 5).toISOString());
    expect(approved.body.referral.completeBy).not.toBe(accepted.completeBy);
    expect((await item(id))?.dueSk).toBe(`${approved.body.referral.completeBy}#${id}`);
    // No request pending: a second decision is a conflict with the state.
    expect((await post(`/referrals/${id}/extension/decision`, sup, { approve: false })).status).toBe(409);
  });
});

describe('reopen', () => {
  it('a closed referral reopens with a note, reopens its case, and closes again after a new resolution', async () => {
    const created = await seed({ needs: ['employment_training'], urgency: 'routine', divisionCode: '220722' });
    const id = created.referrals[0]!.referralId;
    const cw = await token('caseworker', 'hrss', '220722');
    await post(`/referrals/${id}/accept`, cw);
    await post(`/referrals/${id}/resolve`, cw, RESOLVE_OK);
    await post(`/referrals/${id}/follow-up`, cw, { reached: true, satisfaction: 2 });
    expect((await storedCase(db, rt.tableName, created.case.caseId))?.status).toBe('closed');

    expect((await post(`/referrals/${id}/reopen`, cw, {})).status).toBe(400);
    const reopened = await post(`/referrals/${id}/reopen`, cw, { note: '本人反映培训未落实' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.referral).toMatchObject({ status: 'reopened', reopenCount: 1 });
    expect((await storedCase(db, rt.tableName, created.case.caseId))?.status).toBe('open');
    const stored = await item(id);
    expect(stored?.queuePk).toBe('Q#hrss#220722');
    expect(stored?.dueSk).toBe(`${reopened.body.referral.completeBy}#${id}`);

    // Reopened behaves like accepted.
    expect((await post(`/referrals/${id}/accept`, cw)).status).toBe(409);
    expect((await post(`/referrals/${id}/resolve`, cw, RESOLVE_OK)).status).toBe(200);
    expect((await post(`/referrals/${id}/follow-up`, cw, { reached: true, satisfaction: 4 })).status).toBe(200);
    expect((await storedCase(db, rt.tableName, created.case.caseId))?.status).toBe('closed');
    const types = (await events(created.case.caseId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['reopened', 'case_reopened']));
    expect(types.filter((t) => t === 'case_closed')).toHaveLength(2);
  });
});

describe('bad requests', () => {
  let id: string;
  const tokens: Record<string, string> = {};
  let cw: string;
  beforeAll(async () => {
    const created = await seed({ needs: ['legal_aid'], urgency: 'routine', divisionCode: '220182' });
    id = created.referrals[0]!.referralId;
    tokens.caseworker = cw = await token('caseworker', 'justice', '220182');
    tokens.supervisor = await token('supervisor', 'justice', '220182');
    tokens.coordinator = await token('coordinator', undefined, '220182');
    await post(`/referrals/${id}/accept`, tokens.caseworker);
  });

  it.each([
    ['resolve without a reason for a non-success outcome', 'resolve', { outcome: 'unreachable', summary: '多次联系未果' }, ['reason']],
    ['resolve with an unknown outcome', 'resolve', { outcome: 'done', summary: 's' }, ['outcome']],
    ['resolve without a summary', 'resolve', { outcome: 'service_provided' }, ['summary']],
    ['an extension of 0 days', 'extension', { workingDays: 0, reason: 'r' }, ['workingDays']],
    ['an extension of 1.5 days', 'extension', { workingDays: 1.5, reason: 'r' }, ['workingDays']],
    ['an empty note', 'notes', { text: '  ' }, ['text']],
    ['an unknown field', 'notes', { text: 'ok', phone: '139' }, ['']],
    ['a return without a reason code', 'return', { note: 'x' }, ['reason']],
    ['a decision that is not a boolean', 'extension/decision', { approve: 'yes' }, ['approve'], 'supervisor'],
    ['a re-route without a target', 'reroute', {}, ['department'], 'coordinator'],
  ])('%s → 400 with the field path', async (_what, action, body, paths, who = 'caseworker') => {
    const res = await post(`/referrals/${id}/${action}`, tokens[who]!, body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path)).toEqual(paths);
    expect((await item(id))?.version).toBe(2);
  });

  it('invalid JSON 400, wrong media type 415, oversize 413, unknown or malformed referral 404, no token 401, wrong state 409', async () => {
    expect((await post(`/referrals/${id}/notes`, cw, '{"text":')).status).toBe(400);
    expect((await post(`/referrals/${id}/notes`, cw, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(`/referrals/${id}/notes`, cw, { text: 'x'.repeat(70 * 1024) })).status).toBe(413);
    expect((await post(`/referrals/01KB0000000000000000000000-1/accept`, cw)).status).toBe(404);
    expect((await post(`/referrals/not-a-referral/accept`, cw)).status).toBe(404);
    expect((await post(`/referrals/${id}/accept`, undefined)).status).toBe(401);
    const conflict = await post(`/referrals/${id}/accept`, cw);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('invalid_state');
    expect((await item(id))?.version).toBe(2);
  });
});

describe('access control over HTTP', () => {
  // Two of the personas, end to end (token, HTTP, DynamoDB); every role × action pair is a use-case
  // test through the ports (test/unit/usecases/referral-actions.test.ts).
  const outsiders: [string, DevTokenClaims][] = [
    ['a caseworker of another division', { role: 'caseworker', department: 'public_security', division: '222402' }],
    ['an admin', { role: 'admin' }],
  ];
  const actions: [string, unknown][] = [
    ['accept', undefined],
    ['notes', { text: '试图添加记录' }],
    ['return', { reason: 'not_our_function', note: 'x' }],
    ['reroute', { department: 'justice' }],
    ['extension', { workingDays: 2, reason: 'x' }],
    ['extension/decision', { approve: true }],
    ['resolve', RESOLVE_OK],
    ['follow-up', { reached: false }],
    ['reopen', { note: 'x' }],
  ];

  it.each(outsiders)('%s gets the 404 of a missing referral on every action (403 for an admin, who sees every case), each attempt is recorded, nothing changes', async (_who, claims) => {
    const created = await seed({ needs: ['safety_protection'], urgency: 'urgent', divisionCode: '222401' });
    const id = created.referrals[0]!.referralId;
    const tok = await mintDevToken({ ...claims, sub: `outsider-${claims.role}` });
    const missing = await post(`/referrals/${created.case.caseId.slice(0, -4)}ZZZZ-1/accept`, tok);
    expect(missing.status).toBe(404);
    for (const [action, body] of actions) {
      // Authorised before the body is read: a malformed body is refused and recorded just the same.
      for (const sent of [body, { [`${action}-junk`]: 1 }]) {
        const res = await post(`/referrals/${id}/${action}`, tok, sent);
        if (claims.role === 'admin') {
          expect(res.status, action).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        } else {
          expect(res.status, action).toBe(404);
          expect(res.body.error, action).toEqual(missing.body.error);
        }
      }
    }
    expect(await item(id)).toMatchObject({ version: 1, status: 'referred', department: 'public_security' });
    const denied = (await events(created.case.caseId)).filter((e) => e.type === 'access_denied');
    expect(denied).toHaveLength(actions.length * 2);
    for (const e of denied) {
      expect(e.actor).toMatchObject({ id: `outsider-${claims.role}`, role: claims.role });
      expect(e.referralId).toBe(id);
      expect(e.details).toEqual({ action: expect.any(String), reason: expect.stringMatching(/^[a-z_]+$/) });
    }
    expect(new Set(denied.map((e) => e.details.action))).toEqual(new Set(['accept', 'note', 'return', 'reroute', 'request_extension', 'decide_extension', 'resolve', 'follow_up', 'reopen']));
  });

  it('reading a case writes case_viewed; a refused read writes access_denied and answers as for a missing case', async () => {
    const created = await seed({ needs: ['safety_protection'], urgency: 'urgent', divisionCode: '222401' });
    const own = await token('caseworker', 'public_security', '222401', 'reader-1');
    const other = await token('caseworker', 'public_security', '222402', 'reader-2');
    const read = await get(`/cases/${created.case.caseId}`, own);
    expect(read.status).toBe(200);
    expect(read.body.events.at(-1)).toMatchObject({ type: 'case_viewed', actor: { id: 'reader-1', role: 'caseworker' } });
    const refused = await get(`/cases/${created.case.caseId}`, other);
    const missing = await get(`/cases/${created.case.caseId.slice(0, -4)}ZZZZ`, other);
    expect([refused.status, missing.status]).toEqual([404, 404]);
    expect(refused.body.error).toEqual(missing.body.error);
    const stored = await events(created.case.caseId);
    expect(stored.filter((e) => e.type === 'case_viewed').map((e) => e.actor.id)).toEqual(['reader-1']);
    expect(stored.filter((e) => e.type === 'access_denied')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: 'reader-2' }), details: { action: 'view_case', reason: 'not_own_department_or_division' } }),
    ]);
  });

  it('need to know: a department sees the intake and its own referral whole, the other referrals as status and department, and none of their notes', async () => {
    const created = await seed({ needs: ['safety_protection', 'psychological_support'], urgency: 'urgent', divisionCode: '222401' });
    const police = created.referrals.find((r) => r.department === 'public_security')!;
    const wf = created.referrals.find((r) => r.department === 'civil_affairs')!;
    const policeTok = await token('caseworker', 'public_security', '222401', 'police-1');
    const wfTok = await token('caseworker', 'civil_affairs', '222401', 'wf-1');
    expect((await post(`/referrals/${police.referralId}/notes`, policeTok, { text: 'POLICE-NOTE 已出警' })).status).toBe(200);
    expect((await post(`/referrals/${wf.referralId}/notes`, wfTok, { text: 'WF-NOTE 已约谈' })).status).toBe(200);

    const seen = (await get(`/cases/${created.case.caseId}`, policeTok)).body;
    expect(seen.case.text).toBe(created.case.text);
    const own = seen.referrals.find((r: any) => r.referralId === police.referralId);
    const other = seen.referrals.find((r: any) => r.referralId === wf.referralId);
    expect(own).toMatchObject({ department: 'public_security', signForBy: expect.any(String), version: 2 });
    expect(other).toEqual({ referralId: wf.referralId, seq: wf.seq, department: 'civil_affairs', status: 'referred', restricted: true });
    const text = JSON.stringify(seen);
    expect(text).toContain('POLICE-NOTE');
    expect(text).not.toContain('WF-NOTE');
    expect(seen.events.filter((e: any) => e.referralId).every((e: any) => e.referralId === police.referralId)).toBe(true);
    // The audit of others' reads is not hers; her own read is shown.
    expect(seen.events.filter((e: any) => e.type === 'case_viewed').map((e: any) => e.actor.id)).toEqual(['police-1']);

    // The county coordinator routes between departments: she sees it all.
    const coordinator = (await get(`/cases/${created.case.caseId}`, await token('coordinator', undefined, '222401'))).body;
    expect(JSON.stringify(coordinator)).toContain('WF-NOTE');
    expect(JSON.stringify(coordinator)).toContain('POLICE-NOTE');
    expect(coordinator.referrals.every((r: any) => r.restricted === undefined && typeof r.signForBy === 'string')).toBe(true);
    expect(coordinator.events.filter((e: any) => e.type === 'case_viewed').map((e: any) => e.actor.id)).toContain('police-1');
  });

  it('a caseworker may not list another department’s queue', async () => {
    const cw = await token('caseworker', 'health', '222401');
    expect((await get('/referrals?department=public_security', cw)).status).toBe(403);
    expect((await get('/referrals?divisionCode=222402', cw)).status).toBe(403);
    expect((await get('/referrals?status=closed', cw)).status).toBe(400);
  });
});

describe('queues', () => {
  it("the province's staff start from all open work, by next deadline, a page at a time; a coordinator can ask for her division's; a caseworker cannot", async () => {
    // 220581 梅河口市: open work of its own in this file.
    const base = Date.now() - 24 * 3600_000;
    const cases = [];
    for (const [i, needs] of [['legal_aid'], ['social_assistance'], ['health_screening'], ['family_education'], ['legal_aid']].entries()) {
      cases.push(await seed({ needs: needs as any, urgency: 'routine', divisionCode: '220581', now: new Date(base + i * 60_000) }));
    }
    const mine = new Set(cases.map((c) => c.referrals[0]!.referralId));
    const admin = await token('admin', undefined, undefined, 'admin-q');
    const all = await get('/referrals?divisionCode=220500&limit=100', admin);
    expect(all.status).toBe(200);
    expect(all.body.queue).toEqual({ kind: 'all_open', divisionCode: '220500' });
    const ids = all.body.items.map((i: any) => i.referralId).filter((id: string) => mine.has(id));
    expect(ids).toHaveLength(5);
    // By next deadline: the sign-for deadlines of routine referrals made a minute apart.
    const deadlines = all.body.items.map((i: any) => i.signForBy);
    expect([...deadlines].sort()).toEqual(deadlines);
    // A page at a time: nothing lost or repeated between pages.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/referrals?divisionCode=220581&limit=2${cursor ? `&cursor=${cursor}` : ''}`, admin);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: any) => i.referralId));
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...mine].sort());
    expect((await get('/referrals?divisionCode=220581&cursor=not-a-cursor', admin)).status).toBe(400);
    // The province-wide default holds them too, and the returned-referrals queue is still there.
    expect((await get('/referrals', admin)).body.queue).toEqual({ kind: 'all_open', divisionCode: '220000' });
    expect((await get('/referrals?scope=returned', admin)).body.queue).toEqual({ kind: 'coordinator', divisionCode: '220000' });
    const county = await token('coordinator', undefined, '220581');
    expect((await get('/referrals?scope=all', county)).body.items.map((i: any) => i.referralId).sort()).toEqual([...mine].sort());
    expect((await get('/referrals?scope=all&divisionCode=222400', county)).status).toBe(403);
    expect((await get('/referrals?scope=all', await token('caseworker', 'justice', '220581'))).status).toBe(403);
  });

  it('lists urgency first, then deadline, a page at a time with an opaque cursor', async () => {
    // health in 220184 公主岭市: a queue of its own in this file.
    const base = Date.now() - 3 * 24 * 3600_000;
    const routineLate = await seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220184', now: new Date(base + 2 * 3600_000) });
    const routineEarly = await seed({ needs: ['health_screening'], urgency: 'routine', divisionCode: '220184', now: new Date(base - 5 * 24 * 3600_000) });
    const urgent = await seed({ needs: ['health_screening'], urgency: 'urgent', divisionCode: '220184', now: new Date(base) });
    const emergency = await seed({ needs: ['health_screening'], urgency: 'emergency', divisionCode: '220184', now: new Date(base + 3600_000) });
    const expected = [emergency, urgent, routineEarly, routineLate].map((c) => c.referrals[0]!.referralId);
    const cw = await token('caseworker', 'health', '220184');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/referrals?limit=1${cursor ? `&cursor=${cursor}` : ''}`, cw);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: any) => i.referralId));
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);

    const first = await get('/referrals?limit=2', cw);
    const next = first.body.cursor as string;
    expect(next).toMatch(/^[A-Za-z0-9_-]+$/);
    // Tampered cursors are refused with the field named.
    const decoded = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    const otherQueue = Buffer.from(JSON.stringify({ ...decoded, queuePk: 'Q#public_security#220184' })).toString('base64url');
    for (const bad of ['not-a-cursor', `${next}x`, otherQueue, Buffer.from('{"pk":1}').toString('base64url')]) {
      const res = await get(`/referrals?cursor=${encodeURIComponent(bad)}`, cw);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
    expect((await get('/referrals?limit=0', cw)).status).toBe(400);
  });

  it('an admin or the provincial coordinator may look at any department’s queue', async () => {
    const admin = await token('admin');
    const res = await get('/referrals?department=health&divisionCode=220184', admin);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    const countyCoord = await token('coordinator', undefined, '220184');
    expect((await get('/referrals?department=health', countyCoord)).status).toBe(200);
    expect((await get('/referrals?department=health&divisionCode=222401', countyCoord)).status).toBe(403);
  });
});

describe('privacy', () => {
  it('no name, phone, narrative or free text in any log line', async () => {
    const created = await seed({ needs: ['psychological_support'], urgency: 'urgent', divisionCode: '220721' });
    const id = created.referrals[0]!.referralId;
    const cw = await token('caseworker', 'civil_affairs', '220721');
    const secretNote = '秘密进展记录：她住在某村三组';
    await post(`/referrals/${id}/accept`, cw);
    await post(`/referrals/${id}/notes`, cw, { text: secretNote });
    await post(`/referrals/${id}/resolve`, cw, { outcome: 'other', reason: '秘密原因文本', summary: '秘密办结摘要' });
    await get(`/cases/${created.case.caseId}`, cw);
    const all = logs.join('');
    expect(all).toContain(id); // the API does log (ids and codes)
    for (const secret of [PERSON.name, PERSON.phone, NARRATIVE, secretNote, '秘密原因文本', '秘密办结摘要', '试图添加记录']) {
      expect(all).not.toContain(secret);
    }
  });
});
