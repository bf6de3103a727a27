// The lexicon is administrator-edited data (data/lexicon/: a base file and one file per need): the
// shipped one must validate, and a broken one must fail naming the part file and the rule's id.
import { describe, expect, it } from 'vitest';
import { readLexiconFiles } from '../../../shared/config/classifier.js';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { createClassifier } from '../../../shared/domain/classification/classifier.js';
import { expandVariants } from '../../../shared/domain/classification/compile.js';
import { mergeLexicon, parseLexicon, type Lexicon, type LexiconFiles } from '../../../shared/domain/classification/lexicon.js';

const files = (): LexiconFiles => structuredClone(readLexiconFiles());
/** The merged lexicon as plain JSON (what parseLexicon validates). */
const shipped = (): Record<string, unknown> => {
  const f = files();
  const { parts, ...base } = f.base as { parts: string[] };
  return { ...base, rules: parts.flatMap((p) => f.parts.get(p)!.rules ?? []), combos: parts.flatMap((p) => f.parts.get(p)!.combos ?? []) };
};
const identity = (s: string): string => s;

describe('data/lexicon/', () => {
  it('validates and builds a classifier', () => {
    const lexicon = parseLexicon(shipped());
    expect(lexicon.rules.length).toBeGreaterThan(20);
    expect(() => createClassifier(lexicon, loadDivisions())).not.toThrow();
  });

  it('is split by need: each part holds its own rules, and the merge keeps every one', () => {
    const f = files();
    const lexicon = mergeLexicon(f);
    expect([...f.parts.keys()]).toEqual((f.base as { parts: string[] }).parts);
    const count = [...f.parts.values()].reduce((n, p) => n + (p.rules?.length ?? 0), 0);
    expect(lexicon.rules).toHaveLength(count);
    const legal = (f.parts.get('legal-aid')!.rules ?? []) as { needs: string[] }[];
    expect(legal.length).toBeGreaterThan(3);
    for (const r of legal) expect(r.needs).toEqual(['legal_aid']);
  });

  it('has a rule for every need', () => {
    const lexicon = parseLexicon(shipped());
    const covered = new Set(lexicon.rules.flatMap((r) => r.needs));
    expect([...covered].sort()).toEqual(['employment_training', 'family_education', 'health_screening', 'legal_aid', 'psychological_support', 'safety_protection', 'social_assistance']);
  });
});

describe('lexicon errors name the part file and the rule id', () => {
  it('a term of the wrong type, in a part file', () => {
    const f = files();
    const rules = f.parts.get('legal-aid')!.rules as { id: string; terms: unknown[] }[];
    rules[1]!.terms[1] = 42;
    expect(() => mergeLexicon(f)).toThrow(new RegExp(`lexicon/legal-aid\\.json rule "${rules[1]!.id.replace('.', '\\.')}"\\.terms\\[1\\]`));
  });

  it('an unknown need', () => {
    const f = files();
    const rules = f.parts.get('health-screening')!.rules as { id: string; needs: unknown[] }[];
    rules[0]!.needs = ['housing'];
    expect(() => mergeLexicon(f)).toThrow(`lexicon/health-screening.json rule "${rules[0]!.id}".needs[0]`);
  });

  it('a duplicate rule id across two parts', () => {
    const f = files();
    const legal = f.parts.get('legal-aid')!.rules as { id: string }[];
    const social = f.parts.get('social-assistance')!.rules as { id: string }[];
    social[0]!.id = legal[0]!.id;
    expect(() => mergeLexicon(f)).toThrow(`lexicon/social-assistance.json rule "${legal[0]!.id}".id: duplicate rule id`);
  });

  it('a combo naming a rule that does not exist', () => {
    const f = files();
    const combos = f.parts.get('urgency')!.combos as { id: string; all: string[][] }[];
    combos[0]!.all[0] = ['safety.nonexistent'];
    expect(() => mergeLexicon(f)).toThrow(`lexicon/urgency.json combo "${combos[0]!.id}".all[0][0]: unknown rule "safety.nonexistent"`);
  });

  it('two combos with one id (a reason names its combo by id)', () => {
    const f = files();
    const combos = f.parts.get('urgency')!.combos as { id: string }[];
    combos[1]!.id = combos[0]!.id;
    expect(() => mergeLexicon(f)).toThrow(`lexicon/urgency.json combo "${combos[0]!.id}".id: duplicate combo id`);
  });

  it('a part the base file names but that is missing, and a base file without parts', () => {
    const f = files();
    (f.base as { parts: string[] }).parts.push('housing');
    expect(() => mergeLexicon(f)).toThrow('no file lexicon/housing.json');
    expect(() => mergeLexicon({ base: {}, parts: new Map() })).toThrow('a list of part names is required');
  });

  it('without the part files (a single merged object), rules by id', () => {
    const bad = shipped() as { rules: { id: string; terms: unknown[] }[] };
    bad.rules[2]!.terms[1] = 42;
    expect(() => parseLexicon(bad)).toThrow(`lexicon rule "${bad.rules[2]!.id}".terms[1]`);
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
