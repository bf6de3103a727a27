// Visits that refer (走访) over real HTTP on the local runtime and DynamoDB Local: a visit whose note
// tells of hardship becomes a social-assistance referral on channel `visit`, in civil affairs' queue
// of her county, linked to her; the same visit twice is one; a quiet visit is only recorded; her
// next visit date follows the cycle of her focus markers, and who is overdue is in the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { getJson, scanAll, startTestRuntime } from '../support/local-api.js';
import { DynamoLedgerRetentionRepository } from '../../shared/adapters/dynamo/ledger-retention-repository.js';
import { purgeExitedRecords } from '../../shared/usecases/ledger-retention.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const tokens: Record<string, string> = {};
const DAY = 86_400_000;

beforeAll(async () => {
  rt = await startTestRuntime('visits');
  const personas = {
    officer: { role: 'ledger_officer', department: 'civil_affairs', division: '220722' },
    civilAffairs: { role: 'caseworker', department: 'civil_affairs', division: '220722' },
    health: { role: 'caseworker', department: 'health', division: '220722' },
    justice: { role: 'caseworker', department: 'justice', division: '220722' },
    admin: { role: 'admin', department: null, division: null },
  } as const;
  for (const [name, claims] of Object.entries(personas)) tokens[name] = await mintDevToken({ sub: `dev-${name}`, ...claims });
});
afterAll(async () => {
  await rt?.stop();
});

const send = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${rt.api.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${tokens[who]}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
};

const woman = (over: Record<string, unknown>) => ({
  name: '测试姓名庚',
  phone: '13566667777',
  divisionCode: '220722',
  township: '太平山镇',
  village: '东升村',
  birthYear: 1986,
  husbandAway: { since: '2024-09', where: '沈阳' },
  household: { children: 1, childrenUnder16: 1, elders: 2, disabledMembers: 0 },
  focus: ['economic_hardship'],
  legalBasis: { basis: 'statutory_duty' },
  ...over,
});

const HARDSHIP = '走访时了解到，她丈夫在外打工半年没往家寄钱，家里断了收入，孩子下学期学费交不上，想申请低保救助。';
const QUIET = '入户看望，家里一切正常，孩子按时上学，老人身体还行，暂无困难。';
const iso = (ms: number) => new Date(ms).toISOString();

let personId: string;
let registeredAt: string;
let dueAtRegistration: string;
let visitedAt: string;
let visit: any;

describe('a visit with a hardship note', () => {
  beforeAll(async () => {
    const created = await send('POST', '/ledger/women', 'officer', woman({}));
    expect(created.status).toBe(201);
    personId = created.body.woman.personId;
    registeredAt = created.body.woman.registeredAt;
    dueAtRegistration = created.body.woman.nextVisitDue;
    visitedAt = iso(Date.now() - 2 * 3_600_000);
    visit = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt, text: HARDSHIP });
  });

  it('on registration she is due a visit one hardship cycle (90 days) later', async () => {
    expect(dueAtRegistration).toBe(iso(Date.parse(registeredAt) + 90 * DAY));
    const { body } = await send('GET', `/ledger/women/${personId}/visits`, 'officer');
    expect(body.items.map((v: any) => v.visitedAt)).toEqual([visitedAt]);
  });

  it('creates a social-assistance referral on channel `visit`, to civil affairs of her county, linked to her', async () => {
    expect(visit.status).toBe(201);
    expect(visit.body.case.needs).toContain('social_assistance');
    const referral = visit.body.case.referrals.find((r: any) => r.need === 'social_assistance');
    expect(referral).toMatchObject({ department: 'civil_affairs', divisionCode: '220722', status: 'referred' });
    const view = await send('GET', `/cases/${visit.body.case.caseId}`, 'admin');
    expect(view.body.case).toMatchObject({ channel: 'visit', operatorId: 'dev-officer', location: { divisionCode: '220722', township: '太平山镇', village: '东升村' } });
    expect(view.body.case.person).toMatchObject({ name: '测试姓名庚', phone: '+8613566667777' });
    expect(view.body.events.find((e: any) => e.type === 'case_created').actor).toEqual({ id: 'dev-officer', role: 'ledger_officer' });
    // Civil affairs, who read the ledger, see whose case it is.
    const seen = await send('GET', `/cases/${visit.body.case.caseId}`, 'civilAffairs');
    expect(seen.body.case.links).toMatchObject({ personId });
    // In civil affairs' queue like any referral.
    const queue = await getJson(`${rt.api.url}/referrals?status=open`, tokens.civilAffairs);
    expect(queue.body.items.map((r: any) => r.referralId)).toContain(referral.referralId);
  });

  it('records the visit under her record and moves her next visit 90 days on from it', async () => {
    expect(visit.body.visit).toMatchObject({ visitedAt, text: HARDSHIP, by: { id: 'dev-officer', role: 'ledger_officer' }, caseId: visit.body.case.caseId, needs: visit.body.case.needs });
    expect(visit.body.woman).toMatchObject({ lastVisitedAt: visitedAt, nextVisitDue: iso(Date.parse(visitedAt) + 90 * DAY) });
    const read = await send('GET', `/ledger/women/${personId}`, 'officer');
    expect(read.body.woman).toMatchObject({ lastVisitedAt: visitedAt, nextVisitDue: iso(Date.parse(visitedAt) + 90 * DAY) });
  });

  it('sent again, it is the same visit and the same case; another note at the same time is a conflict', async () => {
    const again = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt, text: HARDSHIP });
    expect(again.status).toBe(201);
    expect(again.body.case.caseId).toBe(visit.body.case.caseId);
    const other = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt, text: QUIET });
    expect(other.status).toBe(409);
    const items = await scanAll(rt.db, rt.tableName);
    expect(items.filter((i) => i.entity === 'ledger_visit' && i.personId === personId)).toHaveLength(1);
    expect(items.filter((i) => i.entity === 'case' && i.channel === 'visit' && String(i.externalId).startsWith(personId))).toHaveLength(1);
  });
});

describe('other visits', () => {
  it('a quiet visit is recorded, and refers nothing', async () => {
    const res = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt: iso(Date.now() - 60_000), text: QUIET });
    expect(res.status).toBe(201);
    expect(res.body.case).toBeUndefined();
    expect(res.body.visit).toMatchObject({ needs: [], observedNeeds: [] });
  });

  it('a need the officer observed is referred whatever the note says', async () => {
    const res = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt: iso(Date.now() - 30_000), text: QUIET, observedNeeds: ['health_screening'] });
    expect(res.status).toBe(201);
    expect(res.body.case.needs).toContain('health_screening');
    expect(res.body.case.referrals.map((r: any) => r.department)).toContain('health');
  });

  it('a visit in the future, or longer ago than 90 days, or without a note, is a 400 naming the field', async () => {
    const future = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt: iso(Date.now() + DAY), text: QUIET });
    expect(future.status).toBe(400);
    expect(future.body.error.fields.map((f: any) => f.path)).toEqual(['visitedAt']);
    const old = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt: iso(Date.now() - 91 * DAY), text: QUIET });
    expect(old.body.error.fields.map((f: any) => f.path)).toEqual(['visitedAt']);
    const empty = await send('POST', `/ledger/women/${personId}/visits`, 'officer', { visitedAt: iso(Date.now()), text: ' ' });
    expect(empty.body.error.fields.map((f: any) => f.path)).toEqual(['text']);
  });

  it('only her county’s ledger officers record visits: civil affairs reads them (403 to record), other departments see nothing (404); each refusal recorded', async () => {
    const body = { visitedAt: iso(Date.now() - 10_000), text: QUIET };
    expect((await send('POST', `/ledger/women/${personId}/visits`, 'civilAffairs', body)).status).toBe(403);
    expect((await send('POST', `/ledger/women/${personId}/visits`, 'justice', body)).status).toBe(404);
    expect((await send('GET', `/ledger/women/${personId}/visits`, 'justice')).status).toBe(404);
    expect((await send('GET', `/ledger/women/${personId}/visits`, 'civilAffairs')).status).toBe(200);
    const refusals = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_event' && i.type === 'ledger_access_denied' && i.personId === personId);
    expect(refusals.map((e) => `${(e.actor as { id: string }).id} ${e.action}`).sort()).toEqual(['dev-civilAffairs visit', 'dev-justice read', 'dev-justice visit']);
  });
});

describe('her cases', () => {
  it('her page lists the cases of her number (her visits’ among them) by reference, channel and date only; other departments see nothing', async () => {
    const res = await send('GET', `/ledger/women/${personId}/cases`, 'civilAffairs');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.caseId)).toContain(visit.body.case.caseId);
    for (const c of res.body.items) expect(Object.keys(c).sort()).toEqual(['caseId', 'channel', 'createdAt', 'reference']);
    expect(res.body.items.every((c: any) => c.channel === 'visit')).toBe(true);
    expect((await send('GET', `/ledger/women/${personId}/cases`, 'justice')).status).toBe(404);
  });
});

describe('the overdue-visit queue', () => {
  it('lists who is past her date, longest overdue first, by township, without phone numbers', async () => {
    // Serious illness: every 30 days. Visited 80 days ago, she is 50 days overdue; visited 40 days ago, 10 days.
    const ill = await send('POST', '/ledger/women', 'officer', woman({ name: '测试姓名辛', phone: '13577778888', focus: ['serious_illness'], legalBasis: { basis: 'statutory_duty' } }));
    const other = await send('POST', '/ledger/women', 'officer', woman({ name: '测试姓名壬', phone: '13588889999', township: '万宝镇', focus: ['serious_illness'] }));
    expect([ill.status, other.status]).toEqual([201, 201]);
    await send('POST', `/ledger/women/${ill.body.woman.personId}/visits`, 'officer', { visitedAt: iso(Date.now() - 80 * DAY), text: QUIET });
    await send('POST', `/ledger/women/${other.body.woman.personId}/visits`, 'officer', { visitedAt: iso(Date.now() - 40 * DAY), text: QUIET });
    const due = await send('GET', '/ledger/visits/due', 'officer');
    expect(due.status).toBe(200);
    expect(due.body.items.map((i: any) => i.personId)).toEqual([ill.body.woman.personId, other.body.woman.personId]);
    expect(due.body.items.every((i: any) => i.phone === undefined)).toBe(true);
    const township = await send('GET', `/ledger/visits/due?township=${encodeURIComponent('万宝镇')}`, 'officer');
    expect(township.body.items.map((i: any) => i.personId)).toEqual([other.body.woman.personId]);
    // The woman visited today is not due.
    expect(due.body.items.map((i: any) => i.personId)).not.toContain(personId);
    expect((await send('GET', '/ledger/visits/due?divisionCode=220102', 'officer')).status).toBe(403);
  });
});

describe('her exit, and the purge of her personal data when its retention ends', () => {
  it('the scheduled run deletes her name, phone and visit notes at purgeAt, not before, and hands her items to TTL', async () => {
    const exited = await send('POST', `/ledger/women/${personId}/exit`, 'officer', { reason: 'husband_returned' });
    expect(exited.status).toBe(200);
    const purgeAt = exited.body.woman.purgeAt as string;
    const store = new DynamoLedgerRetentionRepository(rt.db, rt.tableName);
    const hers = async () => (await scanAll(rt.db, rt.tableName)).filter((i) => i.pk === `PERSON#${personId}`);
    expect(await purgeExitedRecords(store, new Date(Date.parse(purgeAt) - 60_000))).toEqual([]);
    expect((await hers()).find((i) => i.sk === 'PERSON')).toMatchObject({ name: '测试姓名庚', duePk: 'LEDGERDUE' });

    const at = new Date(Date.parse(purgeAt) + 60_000);
    expect(await purgeExitedRecords(store, at)).toEqual([personId]);
    const after = await hers();
    expect(after.length).toBeGreaterThanOrEqual(5); // record, contact, visits, events
    expect(after.every((i) => i.expiresAt === Math.floor(at.getTime() / 1000))).toBe(true);
    const record = after.find((i) => i.sk === 'PERSON')!;
    expect(record).toMatchObject({ status: 'exited', divisionCode: '220722', township: '太平山镇', focus: ['economic_hardship'], purgedAt: at.toISOString() });
    expect(record.duePk).toBeUndefined();
    for (const secret of ['测试姓名庚', '13566667777', '东升村', '低保', '一切正常', '沈阳']) expect(JSON.stringify(after)).not.toContain(secret);
    // A second run finds nothing more to do.
    expect(await purgeExitedRecords(store, at)).toEqual([]);
  });
});
