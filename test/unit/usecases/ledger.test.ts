// The county ledger's use cases through their ports: who may register, read, list, correct and record
// an exit; the rules a record must pass; the same woman never twice; every change, read and refusal
// recorded without a value in it.
import { parseVisitCycles } from '../../../shared/domain/ledger/visits.js';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { hmacPersonKeys } from '../../../shared/adapters/person-keys.js';
import type { Actor } from '../../../shared/domain/access/policy.js';
import { indexDivisions, parseDivisionsCsv } from '../../../shared/domain/divisions/divisions.js';
import type { Registration } from '../../../shared/domain/ledger/registration.js';
import { countWomen, exitWoman, exportCounty, listWomen, readWoman, registerWoman, updateWoman, type LedgerDependencies } from '../../../shared/usecases/ledger.js';
import { exportRows, ID_LAST4_HEADING } from '../../../shared/domain/ledger/export-rows.js';
import { checkImportRows } from '../../../shared/domain/ledger/import-rows.js';
import { InMemoryLedgerStore } from '../../support/in-memory-ledger.js';

const officer: Actor = { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220722' };
const otherOfficer: Actor = { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220102' };
const civilAffairs: Actor = { role: 'caseworker', department: 'civil_affairs', divisionCode: '220722' };
const justice: Actor = { role: 'caseworker', department: 'justice', divisionCode: '220722' };

const woman: Registration = {
  name: '王秀兰',
  idNumber: '220722198506120020',
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

let store: InMemoryLedgerStore;
let deps: LedgerDependencies;
let n = 0;
beforeEach(() => {
  store = new InMemoryLedgerStore();
  n = 0;
  deps = {
    store,
    keys: hmacPersonKeys(new Uint8Array(32).fill(1)),
    divisions: indexDivisions(parseDivisionsCsv(readFileSync('data/divisions.csv', 'utf8'))),
    ids: { personId: () => `P${++n}`, eventId: () => `E${++n}` },
    now: () => new Date('2026-12-04T02:00:00Z'),
    retentionDays: 365,
    visitCycles: parseVisitCycles(JSON.parse(readFileSync('data/visit-cycles.json', 'utf8'))),
  };
});

const registered = async (r: Registration = woman) => {
  const result = await registerWoman('officer-1', officer, r, deps);
  if (result.kind !== 'ok') throw new Error(`not registered: ${JSON.stringify(result)}`);
  return result.value;
};

describe('registering', () => {
  it('keeps the record with her phone normalised and only the last four of her ID number; recorded', async () => {
    const entry = await registered();
    expect(entry).toMatchObject({ personId: 'P1', version: 1, status: 'active', phone: '+8613912345678', idLast4: '0020', registeredBy: { id: 'officer-1', role: 'ledger_officer' } });
    expect(JSON.stringify(store.entries.get('P1'))).not.toContain('220722198506120020');
    expect(store.events).toEqual([{ eventId: 'E2', type: 'ledger_registered', at: '2026-12-04T02:00:00.000Z', actor: { id: 'officer-1', role: 'ledger_officer' }, personId: 'P1' }]);
  });

  it('refuses the same woman twice, by phone or by ID number, and says who she is only to someone who may read her record', async () => {
    await registered();
    expect(await registerWoman('officer-1', officer, { ...woman, idNumber: undefined }, deps)).toEqual({ kind: 'duplicate', personId: 'P1' });
    expect(await registerWoman('officer-1', officer, { ...woman, phone: '13800000000' }, deps)).toEqual({ kind: 'duplicate', personId: 'P1' });
    // An officer of another county registering her there learns only that she is registered.
    expect(await registerWoman('officer-2', otherOfficer, { ...woman, divisionCode: '220102' }, deps)).toEqual({ kind: 'duplicate' });
    expect(store.entries.size).toBe(1);
  });

  it('checks the county and the rules between fields, by path', async () => {
    const result = await registerWoman('officer-1', { ...officer, divisionCode: '220000' }, { ...woman, divisionCode: '220700', husbandAway: { since: '2026-10', where: '大连' } }, deps);
    expect(result.kind === 'invalid' && result.problems.map((p) => p.path)).toEqual(['divisionCode', 'husbandAway.since']);
  });

  it('is for ledger officers of her county only; a refusal is recorded with its reason', async () => {
    expect(await registerWoman('cw', civilAffairs, woman, deps)).toEqual({ kind: 'forbidden' });
    expect(await registerWoman('o2', otherOfficer, woman, deps)).toEqual({ kind: 'forbidden' });
    expect(store.entries.size).toBe(0);
    expect(store.events.map((e) => [e.type, e.action, e.reason])).toEqual([
      ['ledger_access_denied', 'register', 'role_not_permitted'],
      ['ledger_access_denied', 'register', 'outside_division'],
    ]);
  });
});

describe('reading and listing', () => {
  it('lets civil affairs read her record and records the read; a department without the ledger gets "not found", recorded', async () => {
    await registered();
    expect(await readWoman('cw', civilAffairs, 'P1', deps)).toMatchObject({ kind: 'ok', value: { name: '王秀兰' } });
    expect(await readWoman('j', justice, 'P1', deps)).toEqual({ kind: 'not_found' });
    expect(store.events.slice(1).map((e) => [e.type, e.actor.id, e.personId])).toEqual([
      ['ledger_viewed', 'cw', 'P1'],
      ['ledger_access_denied', 'j', 'P1'],
    ]);
  });

  it("lists her county's active records by township, filters by township and focus, and pages", async () => {
    for (let i = 0; i < 7; i++) {
      await registered({ ...woman, idNumber: undefined, phone: `1390000000${i}`, name: `妇女${i}`, township: i % 2 ? '北正镇' : '太平山镇', focus: i % 3 === 0 ? ['economic_hardship'] : [] });
    }
    const all = await listWomen('o', officer, { limit: 3 }, deps);
    expect(all.kind === 'ok' && all.value.items.length).toBe(3);
    const rest = await listWomen('o', officer, { limit: 10, cursor: all.kind === 'ok' ? all.value.cursor : undefined }, deps);
    expect(rest.kind === 'ok' && rest.value.items.length).toBe(4);
    const northHardship = await listWomen('o', officer, { township: '北正镇', focus: 'economic_hardship' }, deps);
    expect(northHardship.kind === 'ok' && northHardship.value.items.map((e) => e.name)).toEqual(['妇女3']);
    expect(await listWomen('j', justice, {}, deps)).toEqual({ kind: 'forbidden' });
    expect((await listWomen('o', officer, { divisionCode: '220700' }, deps)).kind).toBe('invalid');
  });
});

describe('correcting and exiting', () => {
  it('replaces the record at the version read, keeps her ID number when none is sent, and names the fields changed', async () => {
    await registered();
    const result = await updateWoman(
      'officer-1',
      officer,
      'P1',
      { ...woman, idNumber: undefined, village: '西升村', focus: ['economic_hardship', 'serious_illness'], legalBasis: { basis: 'statutory_duty' } },
      1,
      deps,
    );
    expect(result).toMatchObject({ kind: 'ok', value: { version: 2, village: '西升村', idLast4: '0020' } });
    expect(store.events.at(-1)).toMatchObject({ type: 'ledger_updated', fields: ['focus', 'village'] });
    // Her ID number still finds her.
    expect(await registerWoman('officer-1', officer, { ...woman, phone: '13800000000' }, deps)).toEqual({ kind: 'duplicate', personId: 'P1' });
    expect(await updateWoman('officer-1', officer, 'P1', woman, 1, deps)).toMatchObject({ kind: 'conflict' });
  });

  it('moves her keys with her phone number, and refuses a phone that is another woman’s', async () => {
    await registered();
    await registered({ ...woman, idNumber: undefined, phone: '13700000000', name: '李桂芝' });
    expect(await updateWoman('o', officer, 'P1', { ...woman, phone: '13700000000' }, 1, deps)).toEqual({ kind: 'duplicate', personId: 'P3' });
    expect(await updateWoman('o', officer, 'P1', { ...woman, phone: '13600000000' }, 1, deps)).toMatchObject({ kind: 'ok' });
    // The old number is free again, the new one is hers.
    expect(await registerWoman('o', officer, { ...woman, idNumber: undefined, phone: '13912345678', name: '张' }, deps)).toMatchObject({ kind: 'ok' });
    expect(await registerWoman('o', officer, { ...woman, idNumber: undefined, phone: '13600000000', name: '张' }, deps)).toEqual({ kind: 'duplicate', personId: 'P1' });
  });

  it('records her exit: out of the list and the keys, purge date set, no further change', async () => {
    await registered();
    const result = await exitWoman('officer-1', officer, 'P1', 'husband_returned', deps);
    expect(result).toMatchObject({ kind: 'ok', value: { status: 'exited', exit: { reason: 'husband_returned' }, purgeAt: '2027-12-04T02:00:00.000Z' } });
    const list = await listWomen('o', officer, {}, deps);
    expect(list.kind === 'ok' && list.value.items).toEqual([]);
    expect(await updateWoman('officer-1', officer, 'P1', woman, 2, deps)).toMatchObject({ kind: 'conflict' });
    expect(await exitWoman('officer-1', officer, 'P1', 'other', deps)).toMatchObject({ kind: 'conflict' });
    // Should she come back onto the ledger, she can be registered again.
    expect(await registerWoman('officer-1', officer, woman, deps)).toMatchObject({ kind: 'ok' });
  });

  it('refuses corrections and exits to readers (forbidden) and to strangers (not found), recorded', async () => {
    await registered();
    expect(await updateWoman('cw', civilAffairs, 'P1', woman, 1, deps)).toEqual({ kind: 'forbidden' });
    expect(await exitWoman('j', justice, 'P1', 'other', deps)).toEqual({ kind: 'not_found' });
    expect(await updateWoman('o2', officer, 'P1', { ...woman, divisionCode: '220102' }, 1, deps)).toEqual({ kind: 'forbidden' });
    expect(store.events.filter((e) => e.type === 'ledger_access_denied').map((e) => [e.actor.id, e.action])).toEqual([
      ['cw', 'update'],
      ['j', 'exit'],
      ['o2', 'update'],
    ]);
  });

  it('never puts a value in an event', async () => {
    await registered();
    await updateWoman('o', officer, 'P1', { ...woman, phone: '13600000000' }, 1, deps);
    await readWoman('cw', civilAffairs, 'P1', deps);
    await exitWoman('o', officer, 'P1', 'moved_away', deps);
    const text = JSON.stringify(store.events);
    for (const secret of ['王秀兰', '13912345678', '13600000000', '220722198506120020', '东升村', '大连']) expect(text).not.toContain(secret);
  });
});

describe('counts and the export', () => {
  const admin: Actor = { role: 'admin', department: null, divisionCode: null };
  const cityOfficer: Actor = { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220700' };

  beforeEach(async () => {
    await registered();
    await registered({
      ...woman,
      idNumber: undefined,
      phone: '13700000000',
      name: '李桂芝',
      township: '北正镇',
      focus: ['economic_hardship', 'serious_illness'],
      legalBasis: { basis: 'statutory_duty' },
    });
    await registered({ ...woman, idNumber: undefined, phone: '13600000000', name: '张', focus: [] });
  });

  it('counts women and focus markers by township for a county, by county above it; administrators see counts, not records', async () => {
    const county = await countWomen('o', officer, '220722', deps);
    expect(county).toEqual({
      kind: 'ok',
      value: {
        divisionCode: '220722',
        by: 'township',
        rows: [
          { key: '北正镇', women: 1, focus: { economic_hardship: 1, disability: 0, serious_illness: 1 } },
          { key: '太平山镇', women: 2, focus: { economic_hardship: 1, disability: 0, serious_illness: 0 } },
        ],
        totals: { women: 3, focus: { economic_hardship: 2, disability: 0, serious_illness: 1 } },
      },
    });
    const city = await countWomen('a', admin, '220700', deps);
    expect(city.kind === 'ok' && city.value).toMatchObject({ by: 'county', rows: [{ key: '220722', women: 3 }], totals: { women: 3 } });
    expect((await countWomen('c', cityOfficer, '220000', deps)).kind).toBe('forbidden');
    expect((await countWomen('j', justice, '220722', deps)).kind).toBe('forbidden');
    expect(await readWoman('a', admin, 'P1', deps)).toEqual({ kind: 'not_found' });
  });

  it("exports the county's records with phones for those who may read them, recorded; the sheet imports back as women already there", async () => {
    const exported = await exportCounty('cw', civilAffairs, '220722', deps);
    expect(exported.kind === 'ok' && exported.value.map((e) => [e.name, e.phone])).toEqual([
      ['李桂芝', '+8613700000000'],
      ['王秀兰', '+8613912345678'],
      ['张', '+8613600000000'],
    ]);
    expect(store.events.at(-1)).toMatchObject({ type: 'ledger_exported', actor: { id: 'cw' }, divisionCode: '220722' });
    expect(await exportCounty('a', admin, '220722', deps)).toEqual({ kind: 'forbidden' });
    const { headers, rows } = exportRows(exported.kind === 'ok' ? exported.value : []);
    expect(headers).toContain(ID_LAST4_HEADING);
    expect(rows[1]).toContain('0020');
    expect(JSON.stringify(rows)).not.toContain('220722198506120020');
    // A title row above the headings, as the XLSX has, and the sheet reads back whole.
    const check = checkImportRows([['长岭县留守妇女信息台账'], headers, ...rows], new Date('2026-12-04T00:00:00Z'));
    expect(check.rejected).toEqual([]);
    expect(check.accepted.map((a) => a.row)).toEqual([3, 4, 5]);
    expect(check.accepted[0]!.registration).toMatchObject({ name: '李桂芝', township: '北正镇', focus: ['economic_hardship', 'serious_illness'] });
  });
});
