import { describe, expect, it } from 'vitest';
import { from12338, from12348, fromWeb, hotline12338Schema, hotline12348Schema, parseTimestamp, webIntakeSchema } from '../../../shared/domain/intake/schemas.js';

describe('parseTimestamp', () => {
  it('reads ISO-8601 with an offset', () => {
    expect(parseTimestamp('2026-11-29T21:14:00+08:00')?.toISOString()).toBe('2026-11-29T13:14:00.000Z');
    expect(parseTimestamp('2026-11-29T13:14:00Z')?.toISOString()).toBe('2026-11-29T13:14:00.000Z');
  });
  it('reads "YYYY-MM-DD HH:mm:ss" as Beijing time, across a day boundary', () => {
    expect(parseTimestamp('2026-01-01 03:00:00')?.toISOString()).toBe('2025-12-31T19:00:00.000Z');
  });
  it('refuses impossible or zone-less ISO times', () => {
    for (const s of ['2026-02-30 10:00:00', '2026-11-29 25:00:00', '2026-11-29T10:00:00', 'yesterday', '']) expect(parseTimestamp(s)).toBeNull();
  });
});

describe('normalisation into the canonical intake', () => {
  it('12338 keeps the operator, contact choices and consent', () => {
    const body = hotline12338Schema.parse({
      callId: 'c-1',
      receivedAt: '2026-11-29T21:14:00+08:00',
      operatorId: 'op',
      summary: ' 文本 ',
      caller: { name: '某', phone: '+86 138-0013-8000' },
      location: { divisionCode: '222403' },
      contact: { safeToSms: false, doNotContact: true },
      consent: { shareWithDepartments: true },
      unknownField: 1,
    });
    expect(from12338(body)).toMatchObject({
      channel: '12338',
      externalId: 'c-1',
      operatorId: 'op',
      text: '文本',
      receivedAt: '2026-11-29T13:14:00.000Z',
      contact: { safeToSms: false, doNotContact: true },
      location: { divisionCode: '222403' },
    });
    expect(body).not.toHaveProperty('unknownField');
  });
  it('12348 maps agreeTransfer to consent and consultType to a category hint, and never allows SMS unasked', () => {
    const body = hotline12348Schema.parse({
      ticketNo: 'T1',
      createdTime: '2026-11-29 09:30:00',
      content: '咨询',
      consultType: '婚姻家庭',
      areaCode: '220182',
      applicant: { mobile: '13700137000' },
      agreeTransfer: false,
    });
    expect(from12348(body)).toMatchObject({ channel: '12348', consent: { shareWithDepartments: false }, categoryHint: '婚姻家庭', contact: {}, person: { phone: '13700137000' } });
  });
  it('web uses the server time as receivedAt', () => {
    const body = webIntakeSchema.parse({ clientRequestId: 'abcdefgh', description: '文本', consent: { shareWithDepartments: true } });
    expect(fromWeb(body, new Date('2026-11-29T00:00:00Z')).receivedAt).toBe('2026-11-29T00:00:00.000Z');
  });
  it('rejects a division code that is not six digits and a text over 8000 characters', () => {
    const r = webIntakeSchema.safeParse({ clientRequestId: 'abcdefgh', description: '字'.repeat(8001), divisionCode: '2201', consent: { shareWithDepartments: true } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['description', 'divisionCode']);
  });
});
