// One woman across channels over real HTTP on the local runtime and DynamoDB Local: a 12338 call and a
// 12348 ticket from the same phone are linked (the operator sees the earlier case's reference, not its
// words); a caller on the ledger is linked to her entry; each member of staff sees only the linked
// cases she could open herself; no raw phone number in any key item, link item or log line.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { logger } from '../../shared/adapters/logger.js';
import { getJson, postIntake, scanAll, startTestRuntime } from '../support/local-api.js';

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const tokens: Record<string, string> = {};
const logs: string[] = [];
let n = 0;
const uid = () => `${Date.now().toString(36)}-${++n}`;

beforeAll(async () => {
  logger.setLogLevel('INFO');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    logs.push(String(chunk));
    return write(chunk, ...rest);
  });
  rt = await startTestRuntime('links');
  const personas = {
    admin: { role: 'admin', department: null, division: null },
    police: { role: 'caseworker', department: 'public_security', division: '222403' },
    justice: { role: 'caseworker', department: 'justice', division: '222403' },
    civilAffairs: { role: 'caseworker', department: 'civil_affairs', division: '222403' },
    officer: { role: 'ledger_officer', department: 'civil_affairs', division: '222403' },
  } as const;
  for (const [name, claims] of Object.entries(personas)) tokens[name] = await mintDevToken({ sub: `dev-${name}`, ...claims });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
});

const KNIFE = '来电人称丈夫喝了酒拿着刀说要砍死她，她现在躲在邻居家里，人还在门外。';
const LAND = '咨询人反映村委会把她家的承包地收回转包给别人，也不给补偿，想知道怎么维权。';
const HARDSHIP = '来电人说丈夫在外打工三年没往家寄钱，家里没有收入，孩子的学费交不上，想问能不能申请低保。';
const PHONE = '13622228888';
const LEDGER_PHONE = '13744449999';
const ID_NUMBER = '220722198506120098';

const call = (summary: string, phone: string) => ({
  callId: `call-${uid()}`,
  receivedAt: '2026-12-01T21:14:00+08:00',
  operatorId: 'op-7',
  summary,
  caller: { name: '测试姓名戊', phone },
  location: { divisionCode: '222403' },
  consent: { shareWithDepartments: true },
});
const ticket = (content: string, mobile: string) => ({
  ticketNo: `T-${uid()}`,
  createdTime: '2026-12-02 09:30:00',
  content,
  consultType: '土地纠纷',
  areaCode: '222403',
  applicant: { name: '测试姓名戊', mobile },
  agreeTransfer: true,
});
const caseAs = async (who: string, caseId: string) => getJson(`${rt.api.url}/cases/${caseId}`, tokens[who]);

let call1: any;
let ticket1: any;
let ticketBody: ReturnType<typeof ticket>;

describe('a 12338 call and a 12348 ticket from the same phone', () => {
  beforeAll(async () => {
    call1 = (await postIntake(rt.api.url, '12338', call(KNIFE, PHONE))).body;
    ticketBody = ticket(LAND, '+86 136-2222-8888');
    const res = await postIntake(rt.api.url, '12348', ticketBody);
    expect(res.status).toBe(201);
    ticket1 = res.body;
  });

  it('are linked: the 12348 operator is told a case exists (its reference, channel, date), never what was said', () => {
    expect(call1.referrals.map((r: any) => r.department)).toEqual(['public_security']);
    expect(ticket1.linkedCases).toEqual({ repeat: false, priorCases: [{ reference: call1.reference, channel: '12338', createdAt: expect.any(String), safety: true }] });
    expect(ticket1.operatorActions.map((a: any) => a.code)).toContain('prior_contact');
    for (const words of ['砍死', '邻居', '喝了酒']) expect(JSON.stringify(ticket1)).not.toContain(words);
  });

  it('the first call had nothing to be told of; a duplicate delivery of the ticket gets the same links back', async () => {
    expect(call1.linkedCases).toBeUndefined();
    expect(call1.operatorActions.map((a: any) => a.code)).not.toContain('prior_contact');
    const again = await postIntake(rt.api.url, '12348', ticketBody);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ caseId: ticket1.caseId, linkedCases: ticket1.linkedCases });
  });

  it('the administrator sees each case linked to the other, with its status', async () => {
    const viewTicket = await caseAs('admin', ticket1.caseId);
    expect(viewTicket.status).toBe(200);
    expect(viewTicket.body.linkedCases).toEqual([
      { caseId: call1.caseId, reference: call1.reference, channel: '12338', createdAt: expect.any(String), urgency: 'emergency', safety: true, status: 'open' },
    ]);
    expect(viewTicket.body.case.links).toMatchObject({ priorCaseIds: [call1.caseId], repeat: false });
    expect(viewTicket.body.case.contactKeys).toBeUndefined();
    const viewCall = await caseAs('admin', call1.caseId);
    expect(viewCall.body.linkedCases.map((l: any) => l.caseId)).toEqual([ticket1.caseId]);
  });

  it('a department sees only the linked cases it could open itself: justice does not see the police case, nor the police the legal one', async () => {
    const justice = await caseAs('justice', ticket1.caseId);
    expect(justice.status).toBe(200);
    expect(justice.body.linkedCases).toEqual([]);
    expect(justice.body.case.links).toEqual({ priorCaseIds: [], priorCases: [], repeat: false });
    expect(JSON.stringify(justice.body)).not.toContain(call1.caseId);
    const police = await caseAs('police', call1.caseId);
    expect(police.body.linkedCases).toEqual([]);
    expect((await caseAs('justice', call1.caseId)).status).toBe(404);
  });
});

describe('a caller who is on the county ledger', () => {
  let personId: string;
  let caseId: string;
  beforeAll(async () => {
    const registered = await fetch(`${rt.api.url}/ledger/women`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.officer}` },
      body: JSON.stringify({
        name: '测试姓名己',
        phone: LEDGER_PHONE,
        divisionCode: '222403',
        township: '测试镇',
        village: '测试村',
        birthYear: 1988,
        husbandAway: { since: '2024-05', where: '天津' },
        household: { children: 2, childrenUnder16: 2, elders: 1, disabledMembers: 0 },
        focus: ['economic_hardship'],
        legalBasis: { basis: 'statutory_duty' },
      }),
    });
    expect(registered.status).toBe(201);
    personId = ((await registered.json()) as any).woman.personId;
    const res = await postIntake(rt.api.url, '12338', call(HARDSHIP, LEDGER_PHONE));
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    expect(res.body.referrals.map((r: any) => r.department)).toContain('civil_affairs');
  });

  it('is linked to her entry: civil affairs, who reads the ledger, sees its id and can open it', async () => {
    const view = await caseAs('civilAffairs', caseId);
    expect(view.status).toBe(200);
    expect(view.body.case.links).toEqual({ personId, priorCaseIds: [], priorCases: [], repeat: false });
    expect((await getJson(`${rt.api.url}/ledger/women/${personId}`, tokens.civilAffairs)).status).toBe(200);
  });

  it('a 12348 ticket from her phone links to the same person as her 12338 call: one woman, two channels', async () => {
    const res = await postIntake(rt.api.url, '12348', ticket(LAND, LEDGER_PHONE));
    expect(res.status).toBe(201);
    const linked = (await scanAll(rt.db, rt.tableName)).filter((i) => i.entity === 'case' && (i.links as { personId?: string } | undefined)?.personId === personId);
    expect(linked.map((c) => c.channel).sort()).toEqual(['12338', '12348']);
    const ticketCase = linked.find((c) => c.channel === '12348')!;
    expect(ticketCase.links).toMatchObject({ personId, priorCaseIds: [caseId] });
  });

  it('a ticket with her ID number and no phone finds her call sent with it; the number is stored nowhere', async () => {
    const first = await postIntake(rt.api.url, '12338', { ...call(KNIFE, '13811119999'), caller: { name: '测试姓名戊', phone: '13811119999', idNumber: ID_NUMBER } });
    const byId = await postIntake(rt.api.url, '12348', { ...ticket(LAND, '13811119999'), applicant: { name: '测试姓名戊', idNumber: ID_NUMBER } });
    expect([first.status, byId.status]).toEqual([201, 201]);
    expect(byId.body.linkedCases.priorCases.map((p: any) => p.reference)).toEqual([first.body.reference]);
    const everything = JSON.stringify(await scanAll(rt.db, rt.tableName));
    expect(everything).not.toContain(ID_NUMBER.slice(0, 17));
    expect(logs.join('\n')).not.toContain(ID_NUMBER.slice(0, 17));
  });

  it('the administrator, who does not read the ledger, sees the case without her entry id', async () => {
    const view = await caseAs('admin', caseId);
    expect(view.body.case.links).toEqual({ priorCaseIds: [], priorCases: [], repeat: false });
    expect(JSON.stringify(view.body)).not.toContain(personId);
  });
});

describe('privacy', () => {
  it('no raw phone number in any key or link item, and none in the log', async () => {
    const items = await scanAll(rt.db, rt.tableName);
    const keyed = items.filter((i) => String(i.pk).startsWith('PERSONKEY#'));
    // Link items: the call and the ticket of PHONE, the ledger caller's call and ticket, the ID call (phone and ID) and the ID ticket.
    expect(keyed.filter((i) => i.entity === 'contact_link')).toHaveLength(7);
    expect(keyed.filter((i) => i.entity === 'person_key')).toHaveLength(1);
    for (const phone of [PHONE, LEDGER_PHONE, '2222-8888', '2228888', '4449999']) {
      expect(JSON.stringify(keyed)).not.toContain(phone);
      expect(logs.join('\n')).not.toContain(phone);
    }
    // No item holds a phone number in an attribute an index reads.
    for (const i of items) for (const k of ['queuePk', 'queueSk', 'duePk', 'dueSk', 'deadlinePk', 'deadlineSk']) expect(String(i[k] ?? '')).not.toMatch(/1[3-9]\d{9}/);
  });
});
