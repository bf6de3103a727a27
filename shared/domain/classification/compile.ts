// Compiles a validated lexicon into the tables the classifier scans with: one Aho–Corasick
// automaton over every term, cue word and division name, and what each key stands for.
// Done once per process; everything here is about construction, nothing runs per text.
import type { DivisionIndex } from '../divisions/divisions.js';
import type { Channel, Need, Urgency } from '../model.js';
import { buildAutomaton, type Automaton } from './automaton.js';
import { compileDivisionNames, type DivisionContext, type DivisionName } from './division-finder.js';
import type { Lexicon, NegationMode } from './lexicon.js';
import { cleanText } from './normalize.js';
import type { ToSimplified } from './simplify.js';

export const WILDCARD = '…';

// What a key of the automaton stands for.
export const TERM = 0; // a term of a rule (need rule or cue rule)
export const NEUTRAL = 1; // a phrase that cancels terms it overlaps (打电话)
export const RESOLUTION = 2; // the matter is over (已经离婚)
export const NEG_FACTS = 3;
export const NEG_WANTS = 4;
export const NEG_AFTER = 5;
export const QUESTION = 6; // 有没有: contains a negation but denies nothing
export const PAST = 7;
export const PRESENT = 8;
export const DIVISION = 9;
export const SEQ_PART = 10; // one word of one part of a sequence rule
export const HABITUAL = 11; // 经常, 总是: a habit, not something happening now

export interface Pattern {
  /** The term as written (normalised), for explanations. */
  display: string;
  /** Literal parts after "…" wildcards, each to be found within the wildcard gap. */
  rest: readonly string[];
  /** Number of literal characters: the strength of the reading when terms overlap. */
  literal: number;
}

export type Payload =
  | ({ kind: typeof TERM; rule: number } & Pattern)
  | ({ kind: typeof NEUTRAL | typeof RESOLUTION; rule: -1 } & Pattern)
  | { kind: typeof NEG_FACTS | typeof NEG_WANTS | typeof NEG_AFTER | typeof QUESTION | typeof PAST | typeof PRESENT | typeof HABITUAL }
  | { kind: typeof DIVISION; name: DivisionName }
  | { kind: typeof SEQ_PART; seq: number; part: number };

export interface CompiledRule {
  id: string;
  needs: readonly Need[];
  weight: number;
  urgency: Urgency | undefined;
  negation: NegationMode;
  past: boolean;
  happeningNow: boolean;
  /** Rules with needs (or cancels) compete when their terms overlap; other cue rules are markers only. */
  competes: boolean;
}

export interface CompiledSequence {
  rule: number;
  parts: number;
  maxGap: number;
  /** Characters allowed between two words (normalised), or null for any. */
  gapChars: string | null;
}

export interface CompiledCombo {
  id: string;
  all: readonly (readonly number[])[];
  unless: readonly number[];
  unlessCloser: readonly number[];
  scope: 'clause' | 'sentence' | 'text';
  needs: readonly Need[];
  urgency: Urgency | undefined;
}

export interface PriorEntry {
  key: string;
  needs: readonly Need[];
  whenSilent: boolean;
}

export interface CompiledLexicon {
  automaton: Automaton;
  /** keyLength[k]: length of key k (its start is end - length). */
  keyLength: Int32Array;
  /** What key k stands for (terms, cues, division names). A prebuilt classifier decodes them on first use. */
  payloadsOf(key: number): readonly Payload[];
  /**
   * Sequence words of every key as flat (sequence, part) pairs, those of key k from seqWordStart[k]
   * to seqWordStart[k + 1]: kept out of the payloads so the scan handles the most frequent matches
   * (打, 我, 孩子) in a tight typed loop.
   */
  seqWordStart: Int32Array;
  seqWords: Int32Array;
  rules: readonly CompiledRule[];
  sequences: readonly CompiledSequence[];
  combos: readonly CompiledCombo[];
  settings: Lexicon['settings'];
  /** gapChar[c]: 1 when char code c may sit between any negation cue and its term, 2 when only after a "wants" cue. */
  gapChar: Uint8Array;
  divisionContext: DivisionContext;
  /** The priors as data (names normalised, longest first), from which the lookups below are made. */
  priors: PriorTables;
  lookupPrior(hint: string): PriorEntry | undefined;
  channelPrior(channel: Channel): PriorEntry | undefined;
}

export interface PriorTables {
  /** categoryHint names and aliases (normalised) → prior, longest name first. */
  byName: [string, PriorEntry][];
  byChannel: [string, PriorEntry][];
}

/** The prior lookups over their tables; `normTerm` normalises a hint like the lexicon's terms. */
export function priorLookups(tables: PriorTables, normTerm: (t: string) => string): Pick<CompiledLexicon, 'lookupPrior' | 'channelPrior'> {
  const byName = new Map(tables.byName);
  const names = tables.byName.map(([n]) => n);
  const byChannel = new Map(tables.byChannel);
  return {
    // categoryHint: exact name or alias first, else the longest known name inside the hint (婚姻家庭纠纷 → 婚姻家庭).
    lookupPrior(hint) {
      const h = normTerm(hint);
      if (!h) return undefined;
      const exact = byName.get(h);
      if (exact) return exact;
      const inside = names.find((n) => h.includes(n));
      return inside ? byName.get(inside) : undefined;
    },
    channelPrior: (channel) => byChannel.get(channel),
  };
}

/** How a term or a hint is normalised, like the text it is matched in. */
export const termNormaliser =
  (toSimplified: ToSimplified) =>
  (t: string): string =>
    cleanText(toSimplified(t.replace(/\.\.\./g, WILDCARD))).trim();

/** Expands colloquial variants: every term containing `of` also gets each of `forms` in its place. */
export function expandVariants(terms: readonly string[], variants: Lexicon['variants']): string[] {
  const out = new Set(terms);
  for (const v of variants) {
    for (const t of [...out]) {
      if (t.length <= v.of.length || !t.includes(v.of)) continue;
      for (const form of v.forms) out.add(t.split(v.of).join(form));
    }
  }
  return [...out];
}

function toPattern(term: string): Pattern & { head: string } {
  const parts = term.split(WILDCARD).filter((p) => p.length > 0);
  const [head, ...rest] = parts;
  if (!head) throw new Error(`lexicon: term "${term}" has no literal text`);
  return { head, rest, display: term, literal: parts.reduce((n, p) => n + p.length, 0) };
}

function resolveRefs(refs: readonly string[], rules: readonly CompiledRule[], where: string): number[] {
  const out = new Set<number>();
  for (const ref of refs) {
    const prefix = ref.endsWith('.*') ? ref.slice(0, -1) : null;
    const hits = rules.flatMap((r, i) => ((prefix ? r.id.startsWith(prefix) : r.id === ref) ? [i] : []));
    if (hits.length === 0) throw new Error(`${where}: unknown rule "${ref}"`);
    hits.forEach((i) => out.add(i));
  }
  return [...out];
}

export function compileLexicon(lexicon: Lexicon, divisions: DivisionIndex, toSimplified: ToSimplified): CompiledLexicon {
  // Terms are normalised like text, so an administrator may type them in either script or width.
  const normTerm = termNormaliser(toSimplified);

  const keys: string[] = [];
  const payloads: Payload[][] = [];
  const seqPairs: number[][] = [];
  const keyIndex = new Map<string, number>();
  const add = (key: string, payload: Payload): void => {
    let k = keyIndex.get(key);
    if (k === undefined) {
      k = keys.length;
      keys.push(key);
      payloads.push([]);
      seqPairs.push([]);
      keyIndex.set(key, k);
    }
    if (payload.kind === SEQ_PART) seqPairs[k]!.push(payload.seq, payload.part);
    else payloads[k]!.push(payload);
  };
  const addPattern = (term: string, make: (p: Pattern) => Payload): void => {
    const p = toPattern(normTerm(term));
    add(p.head, make({ display: p.display, rest: p.rest, literal: p.literal }));
  };
  type PlainKind = typeof NEG_FACTS | typeof NEG_WANTS | typeof NEG_AFTER | typeof QUESTION | typeof PAST | typeof PRESENT | typeof HABITUAL;
  const addPlain = (terms: readonly string[], kind: PlainKind): void => {
    for (const t of terms) {
      const key = normTerm(t);
      if (key) add(key, { kind } as Payload);
    }
  };

  const rules: CompiledRule[] = lexicon.rules.map((r) => ({
    id: r.id,
    needs: r.needs,
    weight: r.weight,
    urgency: r.urgency,
    negation: r.negation,
    past: r.past,
    happeningNow: r.happeningNow,
    competes: r.needs.length > 0 || r.cancels,
  }));
  const sequences: CompiledSequence[] = [];
  lexicon.rules.forEach((r, rule) => {
    for (const t of expandVariants(r.terms, lexicon.variants)) addPattern(t, (p) => ({ kind: TERM, rule, ...p }));
    for (const sq of r.sequences) {
      const seq = sequences.length;
      sequences.push({ rule, parts: sq.parts.length, maxGap: sq.maxGap, gapChars: sq.gapChars === undefined ? null : normTerm(sq.gapChars) });
      sq.parts.forEach((words, part) => {
        for (const w of expandVariants(words, lexicon.variants)) {
          const key = normTerm(w);
          if (key) add(key, { kind: SEQ_PART, seq, part });
        }
      });
    }
  });
  for (const t of expandVariants(lexicon.neutral, lexicon.variants)) addPattern(t, (p) => ({ kind: NEUTRAL, rule: -1, ...p }));
  for (const t of expandVariants(lexicon.past.resolution, lexicon.variants)) {
    addPattern(t, (p) => ({ kind: RESOLUTION, rule: -1, ...p }));
  }
  addPlain(lexicon.negation.facts, NEG_FACTS);
  addPlain(lexicon.negation.wants, NEG_WANTS);
  addPlain(lexicon.negation.after, NEG_AFTER);
  addPlain(lexicon.negation.questionForms, QUESTION);
  addPlain(lexicon.past.markers, PAST);
  addPlain(lexicon.past.present, PRESENT);
  addPlain(lexicon.past.habitual, HABITUAL);
  for (const [key, name] of compileDivisionNames(lexicon.divisions, divisions, normTerm)) add(key, { kind: DIVISION, name });

  const combos: CompiledCombo[] = lexicon.combos.map((c, i) => ({
    id: c.id,
    all: c.all.map((group, g) => resolveRefs(group, rules, `lexicon.combos[${i}].all[${g}]`)),
    unless: resolveRefs(c.unless, rules, `lexicon.combos[${i}].unless`),
    unlessCloser: resolveRefs(c.unlessCloser, rules, `lexicon.combos[${i}].unlessCloser`),
    scope: c.scope,
    needs: c.needs,
    urgency: c.urgency,
  }));

  const gapChar = new Uint8Array(0x10000);
  for (const ch of normTerm(lexicon.negation.wantsGapChars)) gapChar[ch.charCodeAt(0)] = 2;
  for (const ch of normTerm(lexicon.negation.gapChars)) gapChar[ch.charCodeAt(0)] = 1;

  const normList = (l: readonly string[]): string[] => l.map(normTerm).filter((s) => s.length > 0);
  const d = lexicon.divisions;
  const divisionContext: DivisionContext = {
    suffixes: normList(d.suffixes),
    residenceBefore: normList(d.residenceBefore),
    residenceAfter: normList(d.residenceAfter),
    elsewhereBefore: normList(d.elsewhereBefore),
    elsewhereAfter: normList(d.elsewhereAfter),
    workAfter: normList(d.workAfter),
    outsideBefore: normList(d.outsideBefore),
  };

  const byName = new Map<string, PriorEntry>();
  for (const [key, p] of Object.entries(lexicon.categoryPriors)) {
    const entry: PriorEntry = { key: `categoryHint ${key}`, needs: p.needs, whenSilent: p.whenSilent };
    for (const name of [key, ...p.aliases]) byName.set(normTerm(name), entry);
  }
  const byChannel: [string, PriorEntry][] = [];
  for (const [channel, p] of Object.entries(lexicon.channelPriors)) {
    if (p) byChannel.push([channel, { key: `channel ${channel}`, needs: p.needs, whenSilent: p.whenSilent }]);
  }
  const priors: PriorTables = { byName: [...byName].sort((a, b) => b[0].length - a[0].length), byChannel };

  const seqWordStart = new Int32Array(keys.length + 1);
  seqPairs.forEach((pairs, k) => (seqWordStart[k + 1] = seqWordStart[k]! + pairs.length));
  return {
    automaton: buildAutomaton(keys),
    keyLength: Int32Array.from(keys, (k) => k.length),
    payloadsOf: (key) => payloads[key]!,
    seqWordStart,
    seqWords: Int32Array.from(seqPairs.flat()),
    rules,
    sequences,
    combos,
    settings: lexicon.settings,
    gapChar,
    divisionContext,
    priors,
    ...priorLookups(priors, normTerm),
  };
}
