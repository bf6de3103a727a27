// SMS texts, from the templates in data/sms-templates.json. Pure. Every text is Simplified Chinese,
// starts with the 【signature】 and is at most 70 characters with it (one SMS on Chinese networks).
// A staff text carries only the case reference, need, division, urgency, a deadline (China time,
// MM-DD HH:mm) and the kind of deadline: never a name, phone, address or narrative, because the
// formatter is never given them. The text to the woman has no placeholders at all: it says nothing
// that would tell someone else reading her phone what she asked for.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { MANUAL_TRIAGE, NEEDS, URGENCIES } from '../model.js';

export const MAX_SMS_CHARS = 70;

export const STAFF_TEMPLATES = [
  'new_referral',
  'rerouted',
  'reminder',
  'supervision',
  'provincial_supervision',
  'returned',
  'danger_review',
  'raised',
  'cancelled',
  'retention_warning',
  'digest',
] as const;

/** Not a need: the label of a danger review in escalation texts. */
export const DANGER_REVIEW = 'danger_review' as const;
export type StaffTemplate = (typeof STAFF_TEMPLATES)[number];

export const PLACEHOLDERS = ['signature', 'reference', 'need', 'division', 'urgency', 'deadline', 'action'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Words a text to the woman must never contain: what she asked for, who handles it, how she reached us. */
export const CLIENT_FORBIDDEN = [
  '暴',
  '打',
  '伤',
  '杀',
  '砍',
  '警',
  '公安',
  '派出所',
  '法律',
  '法援',
  '律师',
  '司法',
  '援助',
  '救助',
  '妇联',
  '妇女',
  '留守',
  '热线',
  '12338',
  '12348',
  '110',
  '120',
  '心理',
  '安全',
  '保护',
  '转介',
  '案',
  '投诉',
  '举报',
  '离婚',
  '维权',
];

const template = z.string().check(
  z.minLength(1),
  z.refine((t) => t.startsWith('{signature}'), 'must start with {signature}'),
);
const nonEmpty = z.string().check(z.trim(), z.minLength(1), z.maxLength(10));

export const smsTemplatesSchema = z.strictObject({
  $comment: z.optional(z.string()),
  staff: z.strictObject(Object.fromEntries(STAFF_TEMPLATES.map((k) => [k, template])) as Record<StaffTemplate, typeof template>),
  client: template,
  labels: z.strictObject({
    need: z.strictObject(
      Object.fromEntries([...NEEDS, MANUAL_TRIAGE, DANGER_REVIEW].map((n) => [n, nonEmpty])) as Record<(typeof NEEDS)[number] | typeof MANUAL_TRIAGE | typeof DANGER_REVIEW, typeof nonEmpty>,
    ),
    urgency: z.strictObject(Object.fromEntries(URGENCIES.map((u) => [u, nonEmpty])) as Record<(typeof URGENCIES)[number], typeof nonEmpty>),
    action: z.strictObject({ sign_for: nonEmpty, completion: nonEmpty, review: nonEmpty }),
  }),
});
export type SmsTemplates = z.infer<typeof smsTemplatesSchema>;

export interface SmsSignatures {
  /** 【…】 prefix of staff texts, e.g. 【留守妇女关爱】. */
  staff: string;
  /** 【…】 prefix of the text to the woman: neutral, it must not say what the service is. */
  client: string;
}

export interface StaffSmsFacts {
  reference: string;
  need: string;
  /** Division short name (e.g. 敦化), or the code when unknown. */
  division: string;
  urgency: (typeof URGENCIES)[number];
  /** ISO instant of the deadline the text names. */
  deadline: string;
  action?: 'sign_for' | 'completion' | 'review';
}

/** Characters as a phone counts them (code points, not UTF-16 units). */
export const smsLength = (text: string) => [...text].length;

/** MM-DD HH:mm in China time. */
export function formatDeadline(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '--';
  const cst = new Date(t + 8 * 3600_000).toISOString();
  return `${cst.slice(5, 10)} ${cst.slice(11, 16)}`;
}

function fill(tpl: string, values: Partial<Record<Placeholder, string>>): string {
  return tpl.replace(/\{(\w+)\}/g, (whole, name: string) => values[name as Placeholder] ?? whole);
}

export function staffSms(templates: SmsTemplates, signatures: SmsSignatures, which: StaffTemplate, facts: StaffSmsFacts): string {
  const needLabel = (templates.labels.need as Record<string, string>)[facts.need] ?? templates.labels.need[MANUAL_TRIAGE];
  return fill(templates.staff[which], {
    signature: signatures.staff,
    reference: facts.reference,
    need: needLabel,
    division: facts.division,
    urgency: templates.labels.urgency[facts.urgency],
    deadline: formatDeadline(facts.deadline),
    action: templates.labels.action[facts.action ?? 'sign_for'],
  });
}

export function clientSms(templates: SmsTemplates, signatures: SmsSignatures): string {
  return fill(templates.client, { signature: signatures.client });
}

export class SmsTemplateError extends Error {
  override readonly name = 'SmsTemplateError';
}

const SIGNATURE = /^【[^【】{}]{1,12}】$/;
/** A reference as ids.ts makes them (YYMMDD-XXXXXX) is 13 characters. */
export const REFERENCE_CHARS = 13;
const DEADLINE_CHARS = 11;

/**
 * Validates templates and signatures together, at cold start: only known placeholders; the text to
 * the woman has none but {signature} and no forbidden word; and the longest possible text of every
 * template, over every need, urgency, action and division name, fits in 70 characters.
 */
export function checkSmsTemplates(templates: SmsTemplates, signatures: SmsSignatures, divisionNames: readonly string[]): void {
  const problems: string[] = [];
  for (const [which, sig] of Object.entries(signatures)) {
    if (!SIGNATURE.test(sig)) problems.push(`${which} signature must look like 【名称】 (1 to 12 characters inside the brackets)`);
  }
  for (const [name, tpl] of [...Object.entries(templates.staff), ['client', templates.client] as const]) {
    for (const m of tpl.matchAll(/\{(\w+)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) problems.push(`${name}: unknown placeholder {${m[1]}}`);
      else if (name === 'client' && m[1] !== 'signature') problems.push(`client: must not contain {${m[1]}}; the text to her names nothing`);
    }
  }
  const clientText = clientSms(templates, signatures);
  for (const word of CLIENT_FORBIDDEN) {
    if (clientText.includes(word)) problems.push(`client: must not contain "${word}" (someone else may read her phone)`);
  }
  const longest = (xs: readonly string[]) => Math.max(0, ...xs.map(smsLength));
  const widths: Record<Placeholder, number> = {
    signature: smsLength(signatures.staff),
    reference: REFERENCE_CHARS,
    need: longest(Object.values(templates.labels.need)),
    division: Math.max(6, longest(divisionNames)),
    urgency: longest(Object.values(templates.labels.urgency)),
    deadline: DEADLINE_CHARS,
    action: longest(Object.values(templates.labels.action)),
  };
  for (const [name, tpl] of Object.entries(templates.staff)) {
    const fixed = smsLength(tpl.replace(/\{\w+\}/g, ''));
    const worst = fixed + [...tpl.matchAll(/\{(\w+)\}/g)].reduce((sum, m) => sum + (widths[m[1] as Placeholder] ?? 0), 0);
    if (worst > MAX_SMS_CHARS) problems.push(`${name}: can reach ${worst} characters with the signature, over ${MAX_SMS_CHARS}`);
  }
  if (smsLength(clientText) > MAX_SMS_CHARS) problems.push(`client: ${smsLength(clientText)} characters with the signature, over ${MAX_SMS_CHARS}`);
  if (problems.length > 0) throw new SmsTemplateError(`SMS templates are invalid:\n  - ${problems.join('\n  - ')}`);
}

export function parseSmsTemplates(raw: unknown, source = 'data/sms-templates.json'): SmsTemplates {
  const parsed = smsTemplatesSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SmsTemplateError(`${source} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
