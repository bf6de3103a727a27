// Properties that must hold for any input, checked with fast-check on arbitrary strings and on
// texts assembled from lexicon fragments (which reach the interesting code paths).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadClassifier, loadLexicon } from '../../../shared/config/classifier.js';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { CHANNELS, NEEDS, URGENCIES } from '../../../shared/domain/model.js';
import type { Classification, ClassificationInput } from '../../../shared/domain/classification/types.js';

const classifier = loadClassifier();
const lexicon = loadLexicon();
const divisions = loadDivisions();

// Fragments: terms of every rule, cue words, division names, punctuation and filler.
const fragments = [
  ...lexicon.rules.flatMap((r) => r.terms.filter((t) => !t.includes('…')).slice(0, 12)),
  ...lexicon.negation.facts,
  ...lexicon.negation.wants,
  ...lexicon.past.markers.slice(0, 8),
  ...lexicon.past.present.slice(0, 8),
  ...divisions.all.map((d) => d.shortName),
  '，',
  '。',
  '？',
  ' ',
  '我',
  '她',
  '他',
  '丈夫',
  '孩子',
  '想问问',
  '现在',
  '的',
  '了',
];
const fragmentText = fc.array(fc.constantFrom(...fragments), { maxLength: 14 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fragmentText);
const hints = Object.keys(lexicon.categoryPriors);
const input = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  text: anyText,
  divisionCode: fc.option(fc.oneof(fc.constantFrom(...divisions.all.map((d) => d.code)), fc.string({ maxLength: 8 })), { nil: undefined }),
  categoryHint: fc.option(fc.oneof(fc.constantFrom(...hints), fc.string({ maxLength: 8 })), { nil: undefined }),
});

function checkShape(r: Classification): void {
  // Needs: known codes, in the canonical order, no repeats.
  const order = r.needs.map((n) => NEEDS.indexOf(n));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect(order).toEqual([...new Set(order)].sort((a, b) => a - b));
  expect(URGENCIES).toContain(r.urgency);
  if (r.needs.includes('safety_protection')) expect(r.urgency).not.toBe('routine');
  expect(Object.keys(r.explanation.needs).sort()).toEqual([...r.needs].sort());
  for (const n of r.needs) expect(r.explanation.needs[n]!.length).toBeGreaterThan(0);
  if (r.urgency !== 'routine') expect(r.explanation.urgency.length).toBeGreaterThan(0);
  expect(typeof r.explanation.division).toBe('string');
  if (r.divisionCode !== null) {
    const d = divisions.get(r.divisionCode);
    expect(d).toBeDefined();
    expect(d!.level).not.toBe('province');
  }
}

describe('classifier properties', () => {
  it('never throws, and every result is well-formed', () => {
    fc.assert(
      fc.property(input, (i) => {
        checkShape(classifier.classify(i as ClassificationInput));
      }),
      { numRuns: 1500 },
    );
  });

  it('is deterministic and keeps no state between texts', () => {
    fc.assert(
      fc.property(input, input, (a, b) => {
        const first = classifier.classify(a as ClassificationInput);
        classifier.classify(b as ClassificationInput);
        expect(classifier.classify(a as ClassificationInput)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('an unrelated denial sentence before the text changes no need and no urgency (negation stays in its clause)', () => {
    fc.assert(
      fc.property(fragmentText, (text) => {
        const plain = classifier.classify({ channel: 'web', text });
        const prefixed = classifier.classify({ channel: 'web', text: `我没有别的事。${text}` });
        expect(prefixed.needs).toEqual(plain.needs);
        expect(prefixed.urgency).toEqual(plain.urgency);
      }),
      { numRuns: 800 },
    );
  });

  it('a categoryHint never removes a need and never raises urgency, except that a safety need it adds is urgent', () => {
    fc.assert(
      fc.property(fragmentText, fc.constantFrom(...hints), (text, categoryHint) => {
        const without = classifier.classify({ channel: '12338', text });
        const withHint = classifier.classify({ channel: '12338', text, categoryHint });
        for (const n of without.needs) expect(withHint.needs).toContain(n);
        const addedSafety = !without.needs.includes('safety_protection') && withHint.needs.includes('safety_protection');
        if (addedSafety && without.urgency === 'routine') expect(withHint.urgency).toBe('urgent');
        else expect(withHint.urgency).toBe(without.urgency);
      }),
      { numRuns: 800 },
    );
  });

  it('a valid structured county or prefecture code always wins', () => {
    const codes = divisions.all.filter((d) => d.level !== 'province').map((d) => d.code);
    fc.assert(
      fc.property(fragmentText, fc.constantFrom(...codes), (text, divisionCode) => {
        expect(classifier.classify({ channel: 'web', text, divisionCode }).divisionCode).toBe(divisionCode);
      }),
      { numRuns: 300 },
    );
  });
});

describe('negation over the whole lexicon', () => {
  // Every plain term of every rule that facts can deny: "我并没有<term>。" must not fire that rule.
  const negatable = lexicon.rules
    .filter((r) => r.needs.length > 0 && (r.negation === 'facts' || r.negation === 'all'))
    .flatMap((r) => r.terms.filter((t) => !t.includes('…') && !/^[不没无未别非]/.test(t)).map((t) => [r.id, t] as const));

  it.each(negatable)('%s: 我并没有%s', (ruleId, term) => {
    const r = classifier.classify({ channel: 'web', text: `我并没有${term}。` });
    const reasons = Object.values(r.explanation.needs).flat();
    expect(reasons.filter((why) => why.startsWith(`${ruleId}:`))).toEqual([]);
  });
});
