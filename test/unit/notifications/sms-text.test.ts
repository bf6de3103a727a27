// SMS texts: every combination fits in 70 characters with the 【signature】, staff texts carry only
// reference, need, division, urgency and deadline, and the text to the woman says nothing.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexDivisions, parseDivisionsCsv } from '../../../shared/domain/divisions/divisions.js';
import { MANUAL_TRIAGE, NEEDS, URGENCIES } from '../../../shared/domain/model.js';
import {
  CLIENT_FORBIDDEN,
  MAX_SMS_CHARS,
  STAFF_TEMPLATES,
  checkSmsTemplates,
  clientSms,
  formatDeadline,
  parseSmsTemplates,
  smsLength,
  staffSms,
  type SmsTemplates,
} from '../../../shared/domain/notifications/sms-text.js';
import { DEFAULT_CLIENT_SIGNATURE, DEFAULT_STAFF_SIGNATURE } from '../../../shared/config/notifier.js';

const templates = parseSmsTemplates(JSON.parse(readFileSync('data/sms-templates.json', 'utf8')));
const divisions = indexDivisions(parseDivisionsCsv(readFileSync('data/divisions.csv', 'utf8')));
const signatures = { staff: DEFAULT_STAFF_SIGNATURE, client: DEFAULT_CLIENT_SIGNATURE };
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const referenceArb = fc
  .tuple(fc.date({ min: new Date('2025-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }), fc.array(fc.constantFrom(...CROCKFORD), { minLength: 6, maxLength: 6 }))
  .map(([d, tail]) => `${d.toISOString().slice(2, 10).replace(/-/g, '')}-${tail.join('')}`);
const deadlineArb = fc.date({ min: new Date('2025-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
const factsArb = fc.record({
  which: fc.constantFrom(...STAFF_TEMPLATES),
  need: fc.constantFrom<string>(...NEEDS, MANUAL_TRIAGE, 'danger_review'),
  division: fc.constantFrom(...divisions.all.map((d) => d.shortName), '229999'),
  urgency: fc.constantFrom(...URGENCIES),
  reference: referenceArb,
  deadline: deadlineArb,
  action: fc.constantFrom<'sign_for' | 'completion' | 'review'>('sign_for', 'completion', 'review'),
});

describe('staff texts', () => {
  it('the shipped templates pass the cold-start check with the default signatures', () => {
    expect(() =>
      checkSmsTemplates(
        templates,
        signatures,
        divisions.all.map((d) => d.shortName),
      ),
    ).not.toThrow();
  });

  it('every template × need × urgency × division fits in 70 characters and starts with the signature', () => {
    let n = 0;
    for (const which of STAFF_TEMPLATES)
      for (const need of [...NEEDS, MANUAL_TRIAGE, 'danger_review'])
        for (const urgency of URGENCIES)
          for (const d of divisions.all) {
            const text = staffSms(templates, signatures, which, { reference: '261129-7K3QXA', need, division: d.shortName, urgency, deadline: '2026-11-29T13:44:00.000Z' });
            expect(smsLength(text), text).toBeLessThanOrEqual(MAX_SMS_CHARS);
            expect(text.startsWith(DEFAULT_STAFF_SIGNATURE)).toBe(true);
            expect(text).not.toMatch(/\{\w+\}/);
            n++;
          }
    expect(n).toBe(STAFF_TEMPLATES.length * 9 * 3 * divisions.all.length);
  });

  it('property: any reference, deadline and action: ≤ 70 characters, no run of 7 digits (nothing like a phone number)', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const text = staffSms(templates, signatures, f.which, f);
        expect(smsLength(text)).toBeLessThanOrEqual(MAX_SMS_CHARS);
        expect(text).not.toMatch(/\d{7}/);
        if (templates.staff[f.which].includes('{reference}')) expect(text).toContain(f.reference);
        if (templates.staff[f.which].includes('{deadline}')) expect(text).toContain(formatDeadline(f.deadline));
        if (templates.staff[f.which].includes('{urgency}')) expect(text).toContain(templates.labels.urgency[f.urgency]);
      }),
      { numRuns: 2000 },
    );
  });

  it('a worked example', () => {
    const text = staffSms(templates, signatures, 'new_referral', {
      reference: '261129-7K3QXA',
      need: 'safety_protection',
      division: '敦化',
      urgency: 'emergency',
      deadline: '2026-11-29T13:44:00.000Z',
    });
    expect(text).toBe('【留守妇女关爱】紧急转介261129-7K3QXA：人身安全，敦化，请于11-29 21:44前签收');
  });

  it('the deadline is China time, MM-DD HH:mm, across midnight and the year end', () => {
    expect(formatDeadline('2026-12-31T16:30:00.000Z')).toBe('01-01 00:30');
    expect(formatDeadline('2026-11-29T13:44:59.999Z')).toBe('11-29 21:44');
  });
});

describe('the text to the woman', () => {
  it('is neutral: no forbidden word, no placeholder but the signature, nothing from the case', () => {
    const text = clientSms(templates, signatures);
    expect(text.startsWith(DEFAULT_CLIENT_SIGNATURE)).toBe(true);
    for (const word of CLIENT_FORBIDDEN) expect(text).not.toContain(word);
    expect(smsLength(text)).toBeLessThanOrEqual(MAX_SMS_CHARS);
    expect(text).not.toMatch(/\d/);
  });
});

describe('the cold-start check refuses', () => {
  const names = divisions.all.map((d) => d.shortName);
  const withStaff = (over: Partial<SmsTemplates['staff']>): SmsTemplates => ({ ...templates, staff: { ...templates.staff, ...over } });

  it('a signature long enough to push a text over 70 characters', () => {
    expect(() => checkSmsTemplates(templates, { ...signatures, staff: '【吉林省农村留守妇女关爱服务平台】' }, names)).toThrow(/over 70|1 to 12/);
    expect(() => checkSmsTemplates(templates, { ...signatures, staff: '【吉林省留守妇女关爱服务中心】' }, names)).toThrow(/supervision: can reach \d+ characters/);
  });

  it('a signature without brackets', () => {
    expect(() => checkSmsTemplates(templates, { ...signatures, staff: '留守妇女关爱' }, names)).toThrow(/signature must look like/);
  });

  it('an unknown placeholder, or one that could carry personal data', () => {
    expect(() => checkSmsTemplates(withStaff({ new_referral: '{signature}{name}请签收' }), signatures, names)).toThrow(/unknown placeholder \{name\}/);
  });

  it('a text to the woman that names her case or the service', () => {
    expect(() => checkSmsTemplates({ ...templates, client: '{signature}您的转介{reference}已受理' }, signatures, names)).toThrow(/must not contain \{reference\}/);
    expect(() => checkSmsTemplates({ ...templates, client: '{signature}妇联已收到您的求助' }, signatures, names)).toThrow(/must not contain "妇联"/);
    expect(() => checkSmsTemplates(templates, { ...signatures, client: '【12338热线】' }, names)).toThrow(/must not contain "热线"/);
  });

  it('a template without the signature first, and a malformed file with its path', () => {
    expect(() => parseSmsTemplates({ ...templates, staff: { ...templates.staff, returned: '退回{reference}' } })).toThrow(/staff\.returned: must start with \{signature\}/);
    expect(() => parseSmsTemplates({ ...templates, labels: { ...templates.labels, urgency: { emergency: '紧急' } } })).toThrow(/labels\.urgency\.urgent/);
  });
});
