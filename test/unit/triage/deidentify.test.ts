import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deidentify } from '../../../shared/domain/triage/deidentify.js';

describe('de-identification of correction texts', () => {
  it('masks what she gave and what looks like a number or a place, keeps the rest of her words and the county', () => {
    const text = '来电人王小红，电话139-1234-5678，住敦化市大石头镇红旗村三组，身份证22240319800101123X，说丈夫打她。';
    const out = deidentify(text, { name: '王小红', phone: '13912345678', township: '大石头镇', village: '红旗村' });
    for (const s of ['王小红', '1234', '大石头', '红旗', '19800101']) expect(out).not.toContain(s);
    expect(out).toContain('敦化市');
    expect(out).toContain('说丈夫打她');
  });

  it('keeps ordinary words that end like a place (村干部, 村卫生室, 村委会)', () => {
    expect(deidentify('村干部说要去村卫生室，村委会不管')).toBe('村干部说要去村卫生室，村委会不管');
  });

  it('property: a planted mobile number never survives, whatever surrounds it', () => {
    const words = fc.array(fc.constantFrom('丈夫', '打', '孩子', '，', '。', '电话', '是', ' ', '-', '86', '+'), { maxLength: 8 }).map((a) => a.join(''));
    const mobile = fc.tuple(fc.constantFrom('13', '15', '18', '19'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })).map(([p, d]) => p + d.join(''));
    fc.assert(
      fc.property(words, mobile, words, (a, m, b) => {
        const out = deidentify(`${a}${m}${b}`);
        expect(out).not.toContain(m);
        expect(out.replace(/\D/g, '')).not.toContain(m.slice(3, 10));
      }),
      { numRuns: 1000 },
    );
  });
});
