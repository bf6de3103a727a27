// The Aho–Corasick automaton must report exactly what a brute-force search finds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAutomaton } from '../../../shared/domain/classification/automaton.js';

function bruteForce(keys: readonly string[], text: string): string[] {
  const out: string[] = [];
  keys.forEach((key, k) => {
    for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) out.push(`${k}@${i + key.length}`);
  });
  return out.sort();
}

function viaAutomaton(keys: readonly string[], text: string): string[] {
  const { count, keys: found, ends } = buildAutomaton(keys).scan(text);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${found[i]}@${ends[i]}`);
  return out.sort();
}

describe('buildAutomaton', () => {
  it('finds overlapping, nested and repeated keys', () => {
    const keys = ['打', '打我', '我', '家暴', '暴', '家庭暴力', '被打'];
    expect(viaAutomaton(keys, '他被打了，打我，家庭暴力家暴')).toEqual(bruteForce(keys, '他被打了，打我，家庭暴力家暴'));
  });

  it('reports ends in text order', () => {
    const { count, ends } = buildAutomaton(['ab', 'b', 'abc']).scan('xabcab');
    const list = Array.from(ends.subarray(0, count));
    expect(list).toEqual([...list].sort((a, b) => a - b));
  });

  it('matches brute force on random keys and texts (small alphabet, many collisions)', () => {
    const word = fc.string({ unit: fc.constantFrom('打', '我', '她', '家', '暴', 'a', 'b'), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 30 }), fc.string({ unit: fc.constantFrom('打', '我', '她', '家', '暴', 'a', 'b', '，'), maxLength: 60 }), (keys, text) => {
        expect(viaAutomaton(keys, text)).toEqual(bruteForce(keys, text));
      }),
      { numRuns: 400 },
    );
  });

  it('handles astral characters as two code units and grows its result buffer', () => {
    const keys = ['𠮷', 'a'];
    expect(viaAutomaton(keys, '𠮷a𠮷')).toEqual(bruteForce(keys, '𠮷a𠮷'));
    const long = 'a'.repeat(5000);
    expect(buildAutomaton(['a']).scan(long).count).toBe(5000);
  });

  it('rejects an empty key and a key given twice (a node ends at most one key)', () => {
    expect(() => buildAutomaton(['a', ''])).toThrow(/empty key/);
    expect(() => buildAutomaton(['打', '家暴', '打'])).toThrow(/duplicate key "打"/);
  });

  it('reports each key as asked (the compiled lexicon asks for its record offsets)', () => {
    const { count, keys } = buildAutomaton(['家暴', '暴'], Int32Array.from([100, 7])).scan('家暴');
    expect(Array.from(keys.subarray(0, count))).toEqual([100, 7]);
  });
});
