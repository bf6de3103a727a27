// The lexicon file is administrator-edited data: the shipped one must validate, and a broken
// one must fail with the exact place of the mistake.
import { describe, expect, it } from 'vitest';
import { loadDivisions, readJsonDataFile } from '../../../shared/config/data-files.js';
import { createClassifier } from '../../../shared/domain/classification/classifier.js';
import { expandVariants } from '../../../shared/domain/classification/compile.js';
import { parseLexicon, type Lexicon } from '../../../shared/domain/classification/lexicon.js';

const shipped = (): Record<string, unknown> => structuredClone(readJsonDataFile<Record<string, unknown>>('lexicon.json'));
const identity = (s: string): string => s;

describe('data/lexicon.json', () => {
  it('validates and builds a classifier', () => {
    const lexicon = parseLexicon(shipped());
    expect(lexicon.rules.length).toBeGreaterThan(20);
    expect(() => createClassifier(lexicon, loadDivisions())).not.toThrow();
  });

  it('has a rule for every need', () => {
    const lexicon = parseLexicon(shipped());
    const covered = new Set(lexicon.rules.flatMap((r) => r.needs));
    expect([...covered].sort()).toEqual(['employment_training', 'family_education', 'health_screening', 'legal_aid', 'psychological_support', 'safety_protection', 'social_assistance']);
  });
});

describe('parseLexicon errors name the path', () => {
  it('a term of the wrong type', () => {
    const bad = shipped() as { rules: { terms: unknown[] }[] };
    bad.rules[2]!.terms[1] = 42;
    expect(() => parseLexicon(bad)).toThrow(/lexicon\.rules\[2\]\.terms\[1\]/);
  });

  it('an unknown need', () => {
    const bad = shipped() as { rules: { needs: unknown[] }[] };
    bad.rules[0]!.needs = ['housing'];
    expect(() => parseLexicon(bad)).toThrow(/lexicon\.rules\[0\]\.needs\[0\]/);
  });

  it('a duplicate rule id', () => {
    const bad = shipped() as { rules: { id: string }[] };
    bad.rules[1]!.id = bad.rules[0]!.id;
    expect(() => parseLexicon(bad)).toThrow(/lexicon\.rules\[1\]\.id: duplicate rule id/);
  });

  it('a combo naming a rule that does not exist', () => {
    const bad = shipped() as { combos: { all: string[][] }[] };
    bad.combos[0]!.all[0] = ['safety.nonexistent'];
    expect(() => parseLexicon(bad)).toThrow(/lexicon\.combos\[0\]\.all\[0\]\[0\]: unknown rule/);
  });

  it('a division alias with a malformed code', () => {
    const bad = shipped() as { divisions: { aliases: Record<string, string> } };
    bad.divisions.aliases['延边州'] = '2224';
    expect(() => parseLexicon(bad)).toThrow(/lexicon\.divisions\.aliases\.延边州/);
  });

  it('a missing section and an unknown key', () => {
    const missing = shipped();
    delete missing.negation;
    expect(() => parseLexicon(missing)).toThrow(/lexicon\.negation/);
    const extra = { ...shipped(), colour: 'blue' };
    expect(() => parseLexicon(extra)).toThrow(/colour/);
  });

  it('not an object at all', () => {
    expect(() => parseLexicon('[]')).toThrow(/invalid lexicon/);
  });
});

describe('createClassifier checks what the schema cannot', () => {
  it('an alias code that is not in the division list', () => {
    const lex = parseLexicon(shipped());
    const bad: Lexicon = { ...lex, divisions: { ...lex.divisions, aliases: { ...lex.divisions.aliases, 某某县: '229999' } } };
    expect(() => createClassifier(bad, loadDivisions(), { toSimplified: identity })).toThrow(/229999/);
  });
});

describe('variants', () => {
  it('expand every term containing the word, not the word alone', () => {
    const out = expandVariants(['打我', '我'], [{ of: '我', forms: ['俺', '她'] }]);
    expect(out.sort()).toEqual(['我', '打她', '打俺', '打我'].sort());
  });

  it('an administrator’s new variant takes effect', () => {
    const lex = parseLexicon(shipped());
    const before = createClassifier(lex, loadDivisions(), { toSimplified: identity });
    expect(before.classify({ channel: 'web', text: '他又扽我' }).needs).toEqual([]);
    const withVariant: Lexicon = { ...lex, rules: lex.rules.map((r) => (r.id === 'safety.violence' ? { ...r, terms: [...r.terms, '扽我'] } : r)) };
    const after = createClassifier(withVariant, loadDivisions(), { toSimplified: identity });
    expect(after.classify({ channel: 'web', text: '他又扽俺' }).needs).toEqual(['safety_protection']);
  });
});
