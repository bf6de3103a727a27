// The lexicon features the classifier code provides, each on a tiny lexicon made for the test, so
// that a failure points at the engine and not at vocabulary: sequence gap characters, habits that
// keep a need but not its urgency, time anchoring of combos, and district names shared with
// other provinces.
import { describe, expect, it } from 'vitest';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { createClassifier } from '../../../shared/domain/classification/classifier.js';
import { parseLexicon } from '../../../shared/domain/classification/lexicon.js';

const identity = (s: string): string => s;

function lexicon(parts: { rules: unknown[]; combos?: unknown[]; habitual?: string[]; divisions?: Record<string, unknown> }) {
  return parseLexicon({
    version: 'test',
    settings: {},
    rules: parts.rules,
    combos: parts.combos ?? [],
    neutral: ['打电话'],
    negation: { facts: ['没有'], wants: ['不需要'], after: [], questionForms: ['有没有'], gapChars: '' },
    past: { markers: ['以前'], present: ['现在', '又', '今天'], resolution: [], habitual: parts.habitual ?? [] },
    categoryPriors: {},
    divisions: {
      aliases: {},
      noCode: {},
      ignore: [],
      requireContext: [],
      sharedNames: [],
      outsideBefore: [],
      residenceBefore: ['住'],
      residenceAfter: [],
      elsewhereBefore: [],
      elsewhereAfter: [],
      workAfter: ['打工'],
      suffixes: [],
      ...parts.divisions,
    },
  });
}

const build = (parts: Parameters<typeof lexicon>[0]) => createClassifier(lexicon(parts), loadDivisions(), { toSimplified: identity });

describe('sequence gapChars', () => {
  const violence = (gapChars?: string) => ({
    id: 'safety.violence',
    needs: ['safety_protection'],
    sequences: [
      {
        parts: [
          ['打', '砸'],
          ['我', '腰', '头'],
        ],
        maxGap: 3,
        ...(gapChars ? { gapChars } : {}),
      },
    ],
  });

  it('without gapChars any character may stand between the words', () => {
    const c = build({ rules: [violence()] });
    expect(c.classify({ channel: 'web', text: '他打了我' }).needs).toEqual(['safety_protection']);
    expect(c.classify({ channel: 'web', text: '俺做打糕我拿手' }).needs).toEqual(['safety_protection']);
  });

  it('with gapChars only those characters may', () => {
    const c = build({ rules: [violence('了过在她')] });
    expect(c.classify({ channel: 'web', text: '他打了我' }).needs).toEqual(['safety_protection']);
    expect(c.classify({ channel: 'web', text: '他打在她头上' }).needs).toEqual(['safety_protection']);
    expect(c.classify({ channel: 'web', text: '他打我' }).needs).toEqual(['safety_protection']);
    expect(c.classify({ channel: 'web', text: '俺做打糕我拿手' }).needs).toEqual([]);
    expect(c.classify({ channel: 'web', text: '在矿上砸伤了腰' }).needs).toEqual([]);
  });
});

describe('happeningNow and habit markers', () => {
  const rules = [{ id: 'emergency.violence_now', needs: ['safety_protection'], urgency: 'emergency', happeningNow: true, terms: ['砸窗户'] }];

  it('a habit marker before the event in its clause keeps the need, not the urgency', () => {
    const c = build({ rules, habitual: ['经常'] });
    const r = c.classify({ channel: 'web', text: '他经常半夜来砸窗户' });
    expect(r.needs).toEqual(['safety_protection']);
    expect(r.urgency).toBe('urgent'); // a safety need is never routine
    expect(r.explanation.suppressed?.join(' ')).toMatch(/habit/);
  });

  it('without a habit marker, or with a present marker after it, the event is an emergency', () => {
    const c = build({ rules, habitual: ['经常'] });
    expect(c.classify({ channel: 'web', text: '他半夜来砸窗户' }).urgency).toBe('emergency');
    expect(c.classify({ channel: 'web', text: '他经常喝酒，现在又来砸窗户' }).urgency).toBe('emergency');
    expect(c.classify({ channel: 'web', text: '他经常喝酒又来砸窗户' }).urgency).toBe('emergency');
  });

  it('a rule without happeningNow ignores habit markers', () => {
    const c = build({ rules: [{ ...rules[0], happeningNow: false }], habitual: ['经常'] });
    expect(c.classify({ channel: 'web', text: '他经常半夜来砸窗户' }).urgency).toBe('emergency');
  });
});

describe('combo unlessCloser (time anchoring)', () => {
  const rules = [
    { id: 'safety.violence', needs: ['safety_protection'], terms: ['被打', '打我'] },
    { id: 'cue.just_now', terms: ['今天', '刚才'] },
    { id: 'cue.earlier_day', terms: ['昨天', '前天'] },
  ];
  const combo = (unlessCloser: string[]) => ({
    id: 'emergency.violence_just_now',
    all: [['safety.violence'], ['cue.just_now']],
    unlessCloser,
    scope: 'sentence',
    urgency: 'emergency',
  });

  it('the nearest time marker before the violence decides', () => {
    const c = build({ rules, combos: [combo(['cue.earlier_day'])] });
    expect(c.classify({ channel: 'web', text: '今天被打了' }).urgency).toBe('emergency');
    expect(c.classify({ channel: 'web', text: '前天被打了，今天他道歉了' }).urgency).toBe('urgent');
    expect(c.classify({ channel: 'web', text: '昨天被打了，今天他又打我' }).urgency).toBe('emergency');
  });

  it('with no marker before, the nearest one after decides', () => {
    const c = build({ rules, combos: [combo(['cue.earlier_day'])] });
    expect(c.classify({ channel: 'web', text: '我被打了，就刚才' }).urgency).toBe('emergency');
  });

  it('only within the combo scope (sentence)', () => {
    const c = build({ rules, combos: [combo(['cue.earlier_day'])] });
    expect(c.classify({ channel: 'web', text: '前天被打了。今天想问问' }).urgency).toBe('urgent');
  });

  it('without unlessCloser the combo is plain co-occurrence', () => {
    const c = build({ rules, combos: [combo([])] });
    expect(c.classify({ channel: 'web', text: '前天被打了，今天他道歉了' }).urgency).toBe('emergency');
  });

  it('is rejected on a combo that has not exactly two groups', () => {
    expect(() => lexicon({ rules, combos: [{ ...combo(['cue.earlier_day']), all: [['safety.violence']] }] })).toThrow(/combo "[^"]+"\.unlessCloser: unlessCloser needs exactly two groups/);
    expect(() => lexicon({ rules, combos: [combo(['cue.nothing'])] })).toThrow(/combo "[^"]+"\.unlessCloser\[0\]: unknown rule/);
  });
});

describe('district names shared with other provinces', () => {
  const rules = [{ id: 'employment.training', needs: ['employment_training'], terms: ['培训'] }];
  const divisions = { sharedNames: ['铁西区', '朝阳区'], outsideBefore: ['沈阳', '北京', '辽宁'] };

  it('are the Jilin district by default', () => {
    const c = build({ rules, divisions });
    expect(c.classify({ channel: 'web', text: '住铁西区，想参加培训' }).divisionCode).toBe('220302');
    expect(c.classify({ channel: 'web', text: '想参加培训。朝阳区' }).divisionCode).toBe('220104');
  });

  it('are not after a place outside Jilin, with up to two of 市省的区县 between', () => {
    const c = build({ rules, divisions });
    const r = c.classify({ channel: 'web', text: '娘家在沈阳市铁西区，想参加培训' });
    expect(r.divisionCode).toBeNull();
    expect(r.explanation.division).toMatch(/after 沈阳/);
    expect(c.classify({ channel: 'web', text: '他在北京的朝阳区，想参加培训' }).divisionCode).toBeNull();
    expect(c.classify({ channel: 'web', text: '辽宁省沈阳市铁西区的' }).divisionCode).toBeNull();
  });

  it('an outside place in another clause does not count', () => {
    const c = build({ rules, divisions });
    expect(c.classify({ channel: 'web', text: '丈夫去了北京，我住铁西区' }).divisionCode).toBe('220302');
  });

  it('a shared name must be a county-level name of the list', () => {
    expect(() => build({ rules, divisions: { sharedNames: ['长春'] } })).toThrow(/sharedNames: "长春"/);
  });
});

describe('a rule with cancels', () => {
  const rules = (cancels: boolean) => [
    { id: 'emergency.suicide', needs: ['psychological_support'], urgency: 'emergency', terms: ['想不开'] },
    { id: 'neutral.worry_other', needs: [], cancels, sequences: [{ parts: [['怕他'], ['想不开']], maxGap: 3 }] },
  ];

  it('wins over the shorter term it overlaps and gives nothing itself', () => {
    const c = build({ rules: rules(true) });
    const r = c.classify({ channel: 'web', text: '我怕他一时想不开' });
    expect(r.needs).toEqual([]);
    expect(r.urgency).toBe('routine');
    expect(c.classify({ channel: 'web', text: '我真想不开了' }).urgency).toBe('emergency');
  });

  it('without cancels it is only a marker', () => {
    const c = build({ rules: rules(false) });
    expect(c.classify({ channel: 'web', text: '我怕他一时想不开' }).urgency).toBe('emergency');
  });
});

describe('sequence words out of order', () => {
  it('a later part seen before the first part does not chain', () => {
    const c = build({ rules: [{ id: 'safety.violence', needs: ['safety_protection'], sequences: [{ parts: [['打'], ['我']], maxGap: 3 }] }] });
    expect(c.classify({ channel: 'web', text: '我去打' }).needs).toEqual([]);
    expect(c.classify({ channel: 'web', text: '我去打我' }).needs).toEqual(['safety_protection']);
  });
});
