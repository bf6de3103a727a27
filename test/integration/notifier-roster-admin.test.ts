// The duty roster admin endpoint over real HTTP: admins only, validation with field paths,
// optimistic concurrency on the roster's version, and no phone number in any log line.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { getJson, scanAll, startTestRuntime } from '../support/local-api.js';
import { putRoster, testRoster } from '../support/notification-fixtures.js';
import { logger } from '../../shared/adapters/logger.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
let admin: string;
const logs: string[] = [];

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logs.push(String(chunk));
    return write(chunk, ...rest);
  });
  rt = await startTestRuntime('roster');
  admin = await mintDevToken({ role: 'admin' });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

const url = (department: string, division: string) => `${rt.api.url}/admin/roster/${department}/${division}`;
const put = (department: string, division: string, body: unknown, token = admin) =>
  fetch(url(department, division), { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
  }));

describe('roster admin', () => {
  it('creates (version 0 → 1), reads back, replaces with the right version, and records who changed it', async () => {
    const r = testRoster('health', '220122');
    const created = await putRoster(rt.api.url, admin, r);
    expect(created.status).toBe(200);
    expect(created.body.roster).toMatchObject({ department: 'health', divisionCode: '220122', version: 1, updatedBy: 'dev-admin-all-all' });
    const got = await getJson(url('health', '220122'), admin);
    expect(got.status).toBe(200);
    expect(got.body.roster.caseworkers).toEqual(r.caseworkers);
    expect(got.body.roster.supervisor).toEqual(r.supervisor);

    const replaced = await putRoster(rt.api.url, admin, { ...r, caseworkers: r.caseworkers.slice(0, 1), supervisor: null }, 1);
    expect(replaced.status).toBe(200);
    expect(replaced.body.roster).toMatchObject({ version: 2, supervisor: null });
    const audit = (await scanAll(rt.db, rt.tableName)).filter((i) => i.pk === 'ROSTER#health#220122' && i.entity === 'roster_event');
    expect(audit.map((a) => (a.details as any).version).sort()).toEqual([1, 2]);
    expect(JSON.stringify(audit)).not.toMatch(/139\d{8}/);
  });

  it('a stale version is a 409 and changes nothing; creating over an existing roster is a 409', async () => {
    const r = testRoster('justice', '220122');
    expect((await putRoster(rt.api.url, admin, r)).status).toBe(200);
    expect((await putRoster(rt.api.url, admin, r, 1)).status).toBe(200);
    const stale = await putRoster(rt.api.url, admin, { ...r, caseworkers: [] }, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('current version 2');
    expect((await putRoster(rt.api.url, admin, r, 0)).status).toBe(409);
    expect((await getJson(url('justice', '220122'), admin)).body.roster.caseworkers).toHaveLength(3);
  });

  it('two administrators replacing the same version at once: one 200, one 409', async () => {
    const r = testRoster('hrss', '220122');
    await putRoster(rt.api.url, admin, r);
    const results = await Promise.all([putRoster(rt.api.url, admin, r, 1), putRoster(rt.api.url, admin, { ...r, supervisor: null }, 1)]);
    expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
  });

  it('401 without a token; 403 for every role but admin, even with a bad body', async () => {
    expect((await fetch(url('health', '220122'))).status).toBe(401);
    for (const role of ['caseworker', 'supervisor', 'coordinator'] as const) {
      const token = await mintDevToken({ role, department: 'health', division: '220122' });
      expect((await getJson(url('health', '220122'), token)).status).toBe(403);
      expect((await put('health', '220122', { nonsense: true }, token)).status).toBe(403);
    }
    const provincial = await mintDevToken({ role: 'coordinator', division: '220000' });
    expect((await put('health', '220122', { expectedVersion: 0, caseworkers: [] }, provincial)).status).toBe(403);
  });

  it('400 with field paths for a bad body or an unknown department or division; the error never echoes a phone', async () => {
    const bad = await put('health', '220122', { expectedVersion: 'x', caseworkers: [{ id: 'a', phone: '123-call-me', onDuty: [{ days: 'sometimes', from: '8', to: '9' }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['caseworkers.0.onDuty.0', 'caseworkers.0.phone', 'expectedVersion']);
    expect(JSON.stringify(bad.body)).not.toContain('123-call-me');
    const scope = await put('finance', '999999', { expectedVersion: 0, caseworkers: [] });
    expect(scope.status).toBe(400);
    expect(scope.body.error.fields.map((f: any) => f.path)).toEqual(['department', 'divisionCode']);
    expect((await getJson(url('police', '222403'), admin)).status).toBe(400);
  });

  it('every read of a roster (staff phone numbers) and every refused read is recorded in the audit trail first', async () => {
    await putRoster(rt.api.url, admin, testRoster('justice', '220182'));
    // Only this test reads the justice roster of 220182.
    const auditOf = async () =>
      (await scanAll(rt.db, rt.tableName)).filter((i) => String(i.pk).startsWith('AUDIT#') && (i.details as any)?.action === 'view_roster' && (i.details as any)?.divisionCode === '220182');
    expect(await auditOf()).toEqual([]);
    expect((await getJson(url('justice', '220182'), admin)).status).toBe(200);
    const reader = await mintDevToken({ role: 'caseworker', department: 'justice', division: '220182', sub: 'curious-1' });
    expect((await getJson(url('justice', '220182'), reader)).status).toBe(403);
    const added = await auditOf();
    expect(added.map((a) => [a.type, (a.actor as any).id, (a.actor as any).role]).sort()).toEqual([
      ['access_denied', 'curious-1', 'caseworker'],
      ['roster_viewed', 'dev-admin-all-all', 'admin'],
    ]);
    for (const a of added) expect(a.details).toMatchObject({ department: 'justice', divisionCode: '220182' });
    expect(JSON.stringify(added)).not.toMatch(/1\d{10}/);
  });

  it('404 for a roster nobody has written', async () => {
    expect((await getJson(url('sports', '222403'), admin)).status).toBe(404);
  });

  it('413 for an oversized body, 415 for a non-JSON one', async () => {
    const huge = await put('health', '220122', { expectedVersion: 0, caseworkers: [], pad: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    const form = await fetch(url('health', '220122'), { method: 'PUT', headers: { 'content-type': 'text/plain', authorization: `Bearer ${admin}` }, body: 'x' });
    expect(form.status).toBe(415);
  });

  it('no phone number reached a log line', () => {
    expect(logs.join('')).toContain('roster replaced');
    expect(logs.join('')).not.toMatch(/139\d{8}/);
  });
});
