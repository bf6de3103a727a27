// Shared by the notifier tests: a test duty roster with known phones and duty, intake bodies, and
// the expected SMS text written out independently of the production formatter.
import { randomUUID } from 'node:crypto';

/** Always / never on duty, whatever the clock says when the test runs. */
export const ALWAYS = [{ days: 'every', from: '00:00', to: '24:00' }] as const;
export const NEVER = [] as const;

export interface TestRoster {
  department: string;
  divisionCode: string;
  caseworkers: { id: string; phone: string; onDuty: readonly unknown[] }[];
  supervisor: { id: string; phone: string } | null;
}

const DEPT_NO: Record<string, number> = {
  public_security: 1,
  justice: 2,
  civil_affairs: 3,
  health: 4,
  hrss: 5,
  womens_federation: 6,
  coordinator: 7,
  agriculture: 8,
  wccw: 9,
  culture_tourism: 10,
  rural_revitalization: 11,
  disabled_federation: 12,
  sports: 13,
};

/** Phones 139 <dd> <div last 2> <nn>: distinct per department, division and person. */
export const phoneOf = (department: string, divisionCode: string, n: number) => `139${String(DEPT_NO[department] ?? 99).padStart(2, '0')}${divisionCode.slice(-2)}${String(n).padStart(4, '0')}`;

/** Per department × division: two caseworkers on duty, one off duty, a supervisor. */
export function testRoster(department: string, divisionCode: string, onDutyCount = 2): TestRoster {
  const caseworkers = [];
  for (let i = 1; i <= onDutyCount; i++) caseworkers.push({ id: `${department}-${divisionCode}-on${i}`, phone: phoneOf(department, divisionCode, i), onDuty: [...ALWAYS] });
  caseworkers.push({ id: `${department}-${divisionCode}-off`, phone: phoneOf(department, divisionCode, 8), onDuty: [...NEVER] });
  return { department, divisionCode, caseworkers, supervisor: { id: `${department}-${divisionCode}-sup`, phone: phoneOf(department, divisionCode, 9) } };
}

export const RECEIVING = [
  'public_security',
  'justice',
  'civil_affairs',
  'health',
  'hrss',
  'womens_federation',
  'agriculture',
  'wccw',
  'culture_tourism',
  'rural_revitalization',
  'disabled_federation',
  'coordinator',
];

/** E.164 of the on-duty caseworkers (and the supervisor for an emergency) of a test roster. */
export function expectedStaffPhones(department: string, divisionCode: string, urgency: string, onDutyCount = 2): string[] {
  const out = [];
  for (let i = 1; i <= onDutyCount; i++) out.push(`+86${phoneOf(department, divisionCode, i)}`);
  if (urgency === 'emergency') out.push(`+86${phoneOf(department, divisionCode, 9)}`);
  return out.sort();
}

export async function putRoster(apiUrl: string, token: string, r: TestRoster, expectedVersion = 0) {
  const res = await fetch(`${apiUrl}/admin/roster/${r.department}/${r.divisionCode}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ expectedVersion, caseworkers: r.caseworkers, supervisor: r.supervisor }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const NEED_ZH: Record<string, string> = {
  legal_aid: '法律援助',
  psychological_support: '心理疏导',
  health_screening: '健康服务',
  social_assistance: '社会救助',
  safety_protection: '人身安全',
  employment_training: '就业培训',
  family_education: '家庭教育',
  manual_triage: '待分拣',
};
const URGENCY_ZH: Record<string, string> = { emergency: '紧急', urgent: '加急', routine: '一般' };
const DIVISION_SHORT: Record<string, string> = { '222403': '敦化', '220722': '长岭', '220182': '榆树', '220122': '农安', '220000': '吉林省' };

/** MM-DD HH:mm in China time, written out here rather than taken from the code under test. */
export function cstShort(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function expectedNewReferralSms(r: { reference?: string; need: string; divisionCode: string; signForBy: string }, reference: string, urgency: string): string {
  return `【留守妇女关爱】${URGENCY_ZH[urgency]}转介${reference}：${NEED_ZH[r.need]}，${DIVISION_SHORT[r.divisionCode] ?? r.divisionCode}，请于${cstShort(r.signForBy)}前签收`;
}

export const CLIENT_SMS = '【便民服务】您好，您反映的事项已登记，工作人员会尽快与您联系。';

export const uid = () => randomUUID().slice(0, 12);

/** The intake of ../../integration/intake.test.ts, with personal data the privacy tests look for. */
export const PERSONAL = { name: '测试姓名甲', phone: '13811112222', narrative: '丈夫喝了酒拿着刀说要砍死她', township: '测试镇', village: '测试村' };

export const emergency12338 = (over: Record<string, unknown> = {}) => ({
  callId: `call-${uid()}`,
  receivedAt: '2026-11-29T21:14:00+08:00',
  operatorId: 'op-3',
  summary: `来电人称${PERSONAL.narrative}，她现在躲在邻居家里，人还在门外。`,
  caller: { name: PERSONAL.name, phone: PERSONAL.phone, age: 40 },
  location: { divisionCode: '222403', township: PERSONAL.township, village: PERSONAL.village },
  contact: { safeToCall: true, safeToSms: false },
  consent: { shareWithDepartments: true },
  ...over,
});

export const webTraining = (over: Record<string, unknown> = {}) => ({
  clientRequestId: `web-${uid()}-abcdef`,
  description: '俺家那口子出去打工好几年了，俺想学个手艺在家挣点钱，县里有啥培训不？',
  divisionCode: '220722',
  name: '测试姓名丙',
  phone: '13755556666',
  contact: { safeToSms: true },
  consent: { shareWithDepartments: true },
  ...over,
});

export const ticket12348 = (over: Record<string, unknown> = {}) => ({
  ticketNo: `T-${uid()}`,
  createdTime: '2026-11-29 09:30:00',
  content: '咨询人反映村委会把她家的承包地收回转包给别人，也不给补偿，想知道怎么维权。',
  consultType: '土地纠纷',
  areaCode: '220182',
  applicant: { name: '测试姓名乙', mobile: '13933334444' },
  agreeTransfer: true,
  ...over,
});

export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
