// Traditional → Simplified before matching, and the gate that spares Simplified text the cost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, createNormalizer } from '../../../shared/domain/classification/normalize.js';
import { ConverterFactory } from 'opencc-js/core';
import { openccDictionaries } from '../../../shared/domain/classification/opencc-dictionaries.js';
import { dictionaryConverter } from '../../../shared/domain/classification/dictionary-converter.js';
import { sharedToSimplified, simplifyTriggers } from '../../../shared/domain/classification/simplify.js';

const toSimplified = sharedToSimplified();

describe('toSimplified', () => {
  it('converts Taiwan and Hong Kong forms', () => {
    expect(toSimplified('他拿著刀說要殺了我')).toBe('他拿着刀说要杀了我');
    expect(toSimplified('請問衞生院在哪裡')).toBe('请问卫生院在哪里');
    expect(toSimplified('離婚後孩子的撫養權')).toBe('离婚后孩子的抚养权');
  });

  it('keeps place names that a character map would spoil', () => {
    expect(toSimplified('乾安縣')).toBe('乾安县');
    expect(toSimplified('我住乾安县。')).toBe('我住乾安县。');
  });

  it('returns Simplified text unchanged, as the same string', () => {
    const gb = '来电人称丈夫在外打工三年未归也不寄钱想咨询起诉离婚和孩子抚养费怎么要家住农安县，。';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...gb), maxLength: 80 }), (text) => {
        expect(toSimplified(text)).toBe(text);
      }),
    );
  });

  it('only converts the clauses that need it', () => {
    expect(toSimplified('乾安县。他說要打我')).toBe('乾安县。他说要打我');
  });

  it('converts a clause with a Traditional-only character exactly as opencc does, and leaves any other as it is', () => {
    const d = openccDictionaries();
    const opencc = ConverterFactory([d.cjkCompatibility], [d.twVariantsRevPhrases, d.hkVariantsRevPhrases, d.twVariantsRev, d.hkVariantsRev], [d.tsPhrases, d.tsCharacters]);
    // Traditional and variant forms, compatibility ideographs (U+F900, U+F91D), phrases and plain Simplified.
    const triggers = new Set(simplifyTriggers());
    const units = [...'說著裡裏衞衛為爲麵面乾幹髮發後臺檯鐘鍾於著着他她我打罵錢醫院離婚撫養權縣鄉村', '\uf900', '\uf91d', '乾隆', '頭髮', '理髮店', ' ', 'a'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...units), { maxLength: 30 }), (parts) => {
        // One clause (the converter works clause by clause); one without a Traditional-only character is left as it is.
        const clause = parts.join('').replace(/[，。]/g, '');
        const traditional = [...clause].some((c) => triggers.has(c.charCodeAt(0)));
        expect(toSimplified(clause)).toBe(traditional ? opencc(clause) : clause);
      }),
      { numRuns: 300 },
    );
    for (const clause of ['他拿著刀說要殺了我', '\uf900有此理', '我去理髮店', '頭髮乾了', '請問衞生院在哪裡']) expect(toSimplified(clause)).toBe(opencc(clause));
  });
});

describe('dictionaryConverter', () => {
  const d = openccDictionaries();
  const groups = [[d.cjkCompatibility], [d.twVariantsRevPhrases, d.hkVariantsRevPhrases, d.twVariantsRev, d.hkVariantsRev], [d.tsPhrases, d.tsCharacters]];
  const opencc = ConverterFactory(...groups);
  const ours = dictionaryConverter(...groups);
  const entries = groups.flat().flatMap((dict) => dict.split('|').map((e) => e.split(' ') as [string, string]));

  it('gives what opencc-js gives on any mix of its keys, their characters, description sequences and surrogates', () => {
    const keys = entries.map(([k]) => k);
    const chars = [...new Set(entries.flatMap(([k, v]) => [...k, ...v]))];
    // Ideographic description operators (opencc skips a whole sequence), a pair and lone surrogates, plain text.
    const odd = ['⿰', '⿱', '⿲', '⿻', '𠀀', '\ud840', '\udc00', 'a', ' ', '。'];
    const piece = fc.oneof(fc.constantFrom(...keys), fc.constantFrom(...chars), fc.constantFrom(...odd));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(ours(text)).toBe(opencc(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('lets the first dictionary of a group win a key, and the longest key win a position', () => {
    const convert = dictionaryConverter(['ab X|a Y', 'a Z|b W'], ['X 1']);
    expect(convert('abab')).toBe('11');
    expect(convert('ba')).toBe('WY');
    expect(convert('ac')).toBe('Yc');
    expect(() => dictionaryConverter(['a'])).toThrow(/not "source replacement"/);
  });

  it('returns text nothing matches as the same string', () => {
    const text = '来电人称丈夫在外打工';
    expect(ours(text)).toBe(text);
  });
});

describe('the normaliser with the conversion gate in its cleaning pass', () => {
  it('gives what converting first and cleaning after gives, on Simplified, Traditional and mixed text', () => {
    // The same converter without its trigger list: the normaliser then converts every text first.
    const gated = createNormalizer(toSimplified);
    const convertFirst = createNormalizer((text: string) => toSimplified(text));
    const units = [...'說著裡衞為麵乾髮後臺鐘於他她我打罵錢醫院離婚撫養權縣鄉村乾安县，。！ ＡＢ　\r\n', '\ud83d\ude00', '\uf900', 'ab', 'A'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...units), { maxLength: 40 }), (parts) => {
        const raw = parts.join('');
        const a = gated(raw);
        const b = convertFirst(raw);
        expect(a.text).toBe(b.text);
        expect([...a.clause.subarray(0, a.text.length)]).toEqual([...b.clause.subarray(0, b.text.length)]);
        expect([...a.sentence.subarray(0, a.text.length)]).toEqual([...b.sentence.subarray(0, b.text.length)]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cleanText', () => {
  it('half-width, lower case, spaces', () => {
    expect(cleanText('ＨＰＶ检查')).toBe('hpv检查');
    expect(cleanText('家 暴　问题')).toBe('家暴问题');
    expect(cleanText('a  b')).toBe('a b');
    expect(cleanText('普通文本')).toBe('普通文本');
  });
});
