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

/** What a key stands for, while compiling (the compiled lexicon holds them as flat integers). */
type Payload =
  | ({ kind: typeof TERM; rule: number } & Pattern)
  | ({ kind: typeof NEUTRAL | typeof RESOLUTION; rule: -1 } & Pattern)
  | { kind: typeof NEG_FACTS | typeof NEG_WANTS | typeof NEG_AFTER | typeof QUESTION | typeof PAST | typeof PRESENT | typeof HABITUAL }
  | { kind: typeof DIVISION; name: DivisionName }
  | { kind: typeof SEQ_PART; seq: number; part: number };

// A key's record in CompiledLexicon.keyRecords: its length, the number of ints of its sequence
// words and of its payload entries, then the (sequence, part) pairs, then the entries.
export const KEY_LENGTH = 0;
export const KEY_SEQ_INTS = 1;
export const KEY_PAYLOAD_INTS = 2;
export const KEY_HEADER = 3;

/**
 * The ints of one payload entry: its kind; its rule (TERM) or -1; its literal length (patterns)
 * or 0; its detail (a pattern or a division name) or -1; for a pattern with a wildcard, the first
 * character of the part after it (most wildcard terms are ruled out by that character alone,
 * without reading the pattern), else -1.
 */
export const PAYLOAD_FIELDS = 5;
export const PAYLOAD_KIND = 0;
export const PAYLOAD_RULE = 1;
export const PAYLOAD_LITERAL = 2;
export const PAYLOAD_DETAIL = 3;
export const PAYLOAD_AFTER_GAP = 4;

/** A pattern or a division name, the part of a payload the scan reads only when it uses the entry. */
export type PayloadDetail = Pattern | DivisionName;

/**
 * The key records (see KEY_LENGTH) of every key, the offset of each key's record, and the details
 * the entries point to, numbered in the order of the entries.
 */
function keyRecordsOf(
  keys: readonly string[],
  seqPairs: readonly (readonly number[])[],
  perKey: readonly (readonly Payload[])[],
): { records: Int32Array; offsets: Int32Array; details: PayloadDetail[] } {
  const ints: number[] = [];
  const offsets = new Int32Array(keys.length);
  const details: PayloadDetail[] = [];
  keys.forEach((key, k) => {
    offsets[k] = ints.length;
    ints.push(key.length, seqPairs[k]!.length, perKey[k]!.length * PAYLOAD_FIELDS, ...seqPairs[k]!);
    for (const p of perKey[k]!) {
      let rule = -1;
      let literal = 0;
      let detail = -1;
      let afterGap = -1;
      if (p.kind === TERM || p.kind === NEUTRAL || p.kind === RESOLUTION) {
        rule = p.rule;
        literal = p.literal;
        if (p.rest.length > 0) afterGap = p.rest[0]!.charCodeAt(0);
        detail = details.push({ display: p.display, rest: p.rest, literal: p.literal }) - 1;
      } else if (p.kind === DIVISION) {
        detail = details.push(p.name) - 1;
      }
      ints.push(p.kind, rule, literal, detail, afterGap);
    }
  });
  return { records: Int32Array.from(ints), offsets, details };
}

/** The offset of every payload entry in the key records, in order. */
export function* payloadEntries(records: Int32Array): Generator<number> {
  for (let at = 0; at < records.length;) {
    const entries = at + KEY_HEADER + records[at + KEY_SEQ_INTS]!;
    const end = entries + records[at + KEY_PAYLOAD_INTS]!;
    for (let e = entries; e < end; e += PAYLOAD_FIELDS) yield e;
    at = end;
  }
}

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
  /** Reports each key by the offset of its record in keyRecords. */
  automaton: Automaton;
  /**
   * What the keys stand for (terms, cues, division names, sequence words), a record a key (see
   * KEY_LENGTH): flat integers the scan reads in order, one or two cache lines a match. Objects
   * per key, or five arrays read per match, cost a cache miss each and were the larger part of
   * a classification's time. Sequence words are kept apart from the payload entries so the scan
   * handles the most frequent matches (打, 我, 孩子) in a tight loop.
   */
  keyRecords: Int32Array;
  /** The pattern of a TERM, NEUTRAL or RESOLUTION entry (its PAYLOAD_DETAIL). A prebuilt classifier decodes it when first needed. */
  patternOf(detail: number): Pattern;
  /** The division name of a DIVISION entry (its PAYLOAD_DETAIL). */
  divisionNameOf(detail: number): DivisionName;
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

  const records = keyRecordsOf(keys, seqPairs, payloads);
  return {
    automaton: buildAutomaton(keys, records.offsets),
    keyRecords: records.records,
    // An entry's kind says which of the two its detail is.
    patternOf: (detail) => records.details[detail] as Pattern,
    divisionNameOf: (detail) => records.details[detail] as DivisionName,
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
