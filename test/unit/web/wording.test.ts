// The console speaks Chinese: the classifier's English trace and the API's bilingual messages, as
// staff read them.
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';
import { divisionSource, messageForStaff, reasonsForStaff, suppressedForStaff } from '../../../web/src/console/wording.js';

describe('explanations for staff', () => {
  it('shows the words that matched, never a rule id or English', () => {
    const c = loadClassifier().classify({ text: '丈夫经常打我，我想离婚，住在敦化市。', channel: '12338' });
    const shown = [...Object.values(c.explanation.needs).flatMap((r) => reasonsForStaff(r)), ...reasonsForStaff(c.explanation.urgency), divisionSource(c.explanation.division)];
    expect(shown.join(' ')).toMatch(/离婚/);
    expect(shown.join(' ')).toMatch(/敦化/);
    for (const s of shown) expect(s, s).not.toMatch(/[A-Za-z_]{3,}/);
  });

  it('says where the division came from', () => {
    expect(divisionSource('structured field: 220722 长岭县')).toBe('登记时填写');
    expect(divisionSource('text: 敦化市 (where she lives) → 222403 敦化市')).toBe('据求助内容中的“敦化市”');
    expect(divisionSource('no division named in the text')).toBe('求助内容中未提及地区');
  });

  it('turns the English-only reasons into Chinese and drops what says nothing', () => {
    expect(reasonsForStaff(['a safety_protection need is never routine', 'safety.violence: 打我', 'safety.violence: 打我'])).toEqual(['涉及人身安全的需求至少按较急处理', '打我']);
    expect(suppressedForStaff('safety.violence: 打我 (negated: 没有)')).toBe('打我（否定）');
  });
});

describe('messages for staff', () => {
  it('keeps the Chinese half and names codes by their labels', () => {
    expect(messageForStaff('结果不是 service_provided 时须填写原因 (a reason is required unless the outcome is service_provided)')).toBe('结果不是 “已提供服务” 时须填写原因');
    expect(messageForStaff('该转介刚被他人修改，请刷新后重试 (the referral was changed by someone else meanwhile; reload and retry)')).toBe('该转介刚被他人修改，请刷新后重试');
    expect(messageForStaff('not found')).toBe('not found');
  });
});
