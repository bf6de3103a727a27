// The county ledger (信息台账) over real HTTP on the local runtime and DynamoDB Local: every route for
// the roles that may use it and the roles that may not (each refusal recorded), the same woman never
// twice, the version check, her exit; and no raw phone or ID number in any index item, event or log line.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { logger } from '../../shared/adapters/logger.js';
import { getJson, scanAll, startTestRuntime } from '../support/local-api.js';
import { xlsxRows } from '../../shared/adapters/ledger-sheet.js';
import { checkImportRows } from '../../shared/domain/ledger/import-rows.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const tokens: Record<string, string> = {};
const logs: string[] = [];

const ID_NUMBER = '220722198506120020';
const woman = {
  name: '王秀兰',
  idNumber: ID_NUMBER,
  phone: '139 1234 5678',
  divisionCode: '220722',
  township: '太平山镇',
  village: '东升村',
  birthYear: 1985,
  husbandAway: { since: '2025-03', where: '大连' },
  household: { children: 2, childrenUnder16: 1, elders: 1, disabledMembers: 0 },
  focus: ['economic_hardship'],
  legalBasis: { basis: 'statutory_duty' },
};

beforeAll(async () => {
  // This file reads what was logged (to prove nothing personal is): INFO on, as in production.
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logs.push(String(chunk));
    return write(chunk, ...rest);
  });
  rt = await startTestRuntime('ledger');
  const personas = {
    officer: { role: 'ledger_officer', department: 'civil_affairs', division: '220722' },
    otherOfficer: { role: 'ledger_officer', department: 'civil_affairs', division: '220102' },
    civilAffairs: { role: 'caseworker', department: 'civil_affairs', division: '220722' },
    federation: { role: 'supervisor', department: 'womens_federation', division: '220722' },
    justice: { role: 'caseworker', department: 'justice', division: '220722' },
    coordinator: { role: 'coordinator', department: null, division: '220722' },
    admin: { role: 'admin', department: null, division: null },
  } as const;
  for (const [name, claims] of Object.entries(personas)) tokens[name] = await mintDevToken({ sub: `dev-${name}`, ...claims });
});
afterAll(async () => {
  vi.restoreAllMocks();
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

let personId: string;

describe('the county ledger over HTTP', () => {
  it('a ledger officer registers a woman (201): her phone normalised, only the last four of her ID number kept', async () => {
    const created = await send('POST', '/ledger/women', 'officer', woman);
    expect(created.status).toBe(201);
    expect(created.body.woman).toMatchObject({ name: '王秀兰', phone: '+8613912345678', idLast4: '0020', version: 1, status: 'active', registeredBy: { id: 'dev-officer', role: 'ledger_officer' } });
    expect(created.body.woman.idNumber).toBeUndefined();
    personId = created.body.woman.personId;
    expect(personId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('refuses the same woman again, by phone or by ID number (409), and a record that breaks the rules (400 with paths)', async () => {
    const byId = await send('POST', '/ledger/women', 'officer', { ...woman, phone: '13800000000' });
    expect(byId).toMatchObject({ status: 409, body: { error: { code: 'duplicate' } } });
    expect(byId.body.error.message).toContain(personId);
    expect((await send('POST', '/ledger/women', 'officer', { ...woman, idNumber: undefined })).status).toBe(409);
    const bad = await send('POST', '/ledger/women', 'officer', { ...woman, idNumber: '220722198506120021', husbandAway: { since: '2026-10', where: '大连' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['idNumber', 'husbandAway.since']);
    const malformed = await send('POST', '/ledger/women', 'officer', { ...woman, phone: 'none', extra: true });
    expect(malformed.status).toBe(400);
  });

  it('lets civil affairs and the women’s federation read her record and the county list; the list carries no phone number', async () => {
    for (const who of ['officer', 'civilAffairs', 'federation']) {
      const one = await getJson(`${rt.api.url}/ledger/women/${personId}`, tokens[who]);
      expect(one.status, who).toBe(200);
      expect(one.body.woman.phone).toBe('+8613912345678');
      const list = await getJson(`${rt.api.url}/ledger/women?divisionCode=220722&township=${encodeURIComponent('太平山镇')}&focus=economic_hardship`, tokens[who]);
      expect(list.status, who).toBe(200);
      expect(list.body.items.map((i: { personId: string }) => i.personId)).toEqual([personId]);
      expect(list.body.items[0].phone).toBeUndefined();
    }
  });

  it('refuses every other role, and officers of another county: 404 for her record, 403 for lists and changes; each refusal recorded', async () => {
    for (const who of ['justice', 'coordinator', 'admin', 'otherOfficer']) {
      expect((await getJson(`${rt.api.url}/ledger/women/${personId}`, tokens[who])).status, who).toBe(404);
      expect((await getJson(`${rt.api.url}/ledger/women?divisionCode=220722`, tokens[who])).status, who).toBe(403);
      expect((await send('POST', '/ledger/women', who, { ...woman, phone: '13700000001', idNumber: undefined })).status, who).toBe(403);
    }
    // Readers may not change a record.
    expect((await send('PUT', `/ledger/women/${personId}`, 'civilAffairs', { ...woman, expectedVersion: 1 })).status).toBe(403);
    expect((await send('POST', `/ledger/women/${personId}/exit`, 'federation', { reason: 'other' })).status).toBe(403);
    const refusals = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_event' && i.type === 'ledger_access_denied');
    const byActor = (id: string) => refusals.filter((r) => (r.actor as { id: string }).id === id).map((r) => r.action);
    expect(byActor('dev-justice').sort()).toEqual(['list', 'read', 'register']);
    expect(byActor('dev-admin').sort()).toEqual(['list', 'read', 'register']);
    expect(byActor('dev-civilAffairs')).toEqual(['update']);
  });

  it('corrects her record at the version read (409 when stale), keeping her ID number when none is sent', async () => {
    const { idNumber: _id, ...withoutId } = woman;
    const corrected = await send('PUT', `/ledger/women/${personId}`, 'officer', { ...withoutId, village: '西升村', expectedVersion: 1 });
    expect(corrected.status).toBe(200);
    expect(corrected.body.woman).toMatchObject({ version: 2, village: '西升村', idLast4: '0020' });
    expect((await send('PUT', `/ledger/women/${personId}`, 'officer', { ...withoutId, expectedVersion: 1 })).status).toBe(409);
    // Her ID number still finds her.
    expect((await send('POST', '/ledger/women', 'officer', { ...woman, phone: '13600000000' })).status).toBe(409);
  });

  it('records her exit: out of the county list and the keys, a purge date set, no further change', async () => {
    const exited = await send('POST', `/ledger/women/${personId}/exit`, 'officer', { reason: 'husband_returned' });
    expect(exited.status).toBe(200);
    expect(exited.body.woman).toMatchObject({ status: 'exited', exit: { reason: 'husband_returned' } });
    expect(exited.body.woman.purgeAt > exited.body.woman.exit.at).toBe(true);
    const list = await getJson(`${rt.api.url}/ledger/women?divisionCode=220722`, tokens.officer);
    expect(list.body.items).toEqual([]);
    expect((await send('POST', `/ledger/women/${personId}/exit`, 'officer', { reason: 'other' })).status).toBe(409);
    expect((await send('POST', `/ledger/women/${personId}/exit`, 'officer', { reason: 'unknown' })).status).toBe(400);
    const keyItems = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'person_key' && i.personId === personId);
    expect(keyItems).toEqual([]);
  });

  it('pages a county list and refuses a cursor pointing elsewhere', async () => {
    for (let i = 0; i < 5; i++) expect((await send('POST', '/ledger/women', 'officer', { ...woman, idNumber: undefined, phone: `1350000000${i}`, name: `妇女${i}` })).status).toBe(201);
    const first = await getJson(`${rt.api.url}/ledger/women?limit=2`, tokens.officer);
    expect(first.body.items).toHaveLength(2);
    const second = await getJson(`${rt.api.url}/ledger/women?limit=10&cursor=${first.body.cursor}`, tokens.officer);
    expect(second.body.items).toHaveLength(3);
    const forged = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'CASE', queuePk: 'LEDGER#220722', queueSk: 'x' })).toString('base64url');
    expect((await getJson(`${rt.api.url}/ledger/women?cursor=${forged}`, tokens.officer)).status).toBe(400);
  });

  it('registers a woman once when two officers send her at the same moment: one 201, the others 409, never a 500', async () => {
    const twin = { ...woman, idNumber: undefined, phone: '13311112222', name: '同时登记' };
    const results = await Promise.all(Array.from({ length: 4 }, () => send('POST', '/ledger/women', 'officer', twin)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const keyItems = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_entry' && i.name === '同时登记');
    expect(keyItems).toHaveLength(1);
  });

  it('counts the county by township for its readers and administrators, and exports its 台账 as XLSX that imports back as women already there', async () => {
    const counts = await getJson(`${rt.api.url}/ledger/counts?divisionCode=220722`, tokens.admin);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({ by: 'township', totals: { women: 6 } });
    expect(JSON.stringify(counts.body)).not.toMatch(/妇女|王秀兰|同时登记/);
    expect((await getJson(`${rt.api.url}/ledger/counts?divisionCode=220722`, tokens.justice)).status).toBe(403);
    expect((await getJson(`${rt.api.url}/ledger/export?divisionCode=220722`, tokens.admin)).status).toBe(403);
    const res = await fetch(`${rt.api.url}/ledger/export?divisionCode=220722`, { headers: { authorization: `Bearer ${tokens.civilAffairs}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const rows = await xlsxRows(new Uint8Array(await res.arrayBuffer()));
    expect(rows[0]![0]).toContain('长岭县');
    expect(
      rows
        .slice(2)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['同时登记', '妇女0', '妇女1', '妇女2', '妇女3', '妇女4']);
    const check = checkImportRows(rows, new Date());
    expect(check.rejected).toEqual([]);
    expect(check.accepted).toHaveLength(6);
    const exported = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'ledger_event' && i.type === 'ledger_exported');
    expect(exported.map((e) => (e.actor as { id: string }).id)).toEqual(['dev-civilAffairs']);
  });

  it('keeps raw phone and ID numbers out of every indexed item, every event and every log line', async () => {
    const items = await scanAll(rt.db, rt.tableName);
    const ledgerItems = items.filter((i) => String(i.pk).startsWith('PERSON'));
    expect(ledgerItems.length).toBeGreaterThan(5);
    for (const item of ledgerItems) {
      const text = JSON.stringify(item);
      expect(text).not.toContain(ID_NUMBER);
      // A phone number is only on the contact item, which no index holds.
      if (item.sk !== 'CONTACT') expect(text, String(item.sk)).not.toMatch(/1[3-9]\d{9}/);
      else expect(item.queuePk).toBeUndefined();
    }
    const logText = logs.join('');
    expect(logText).toContain('ledger record created');
    for (const secret of ['13912345678', ID_NUMBER, '王秀兰', '东升村', '大连']) expect(logText).not.toContain(secret);
  });
});
