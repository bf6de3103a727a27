// The intake classifier: needs, urgency and division from free text, driven entirely by the
// lexicon. Pure: all data comes in through createClassifier, nothing is read or written.
//
// How one text is classified:
//  1. normalise (Traditional → Simplified, half-width, lower case) and mark clause/sentence ends;
//  2. one Aho–Corasick pass finds every term, cue and division name;
//  3. overlapping terms: the longest reading wins (打电话 cancels 打, 已经离婚 cancels 离婚);
//  4. each term match may be suppressed: negated (没有 家暴), in the past (以前 被打过) or
//     resolved (…现在已经离婚多年);
//  5. rules with a surviving match fire; their weights per need are added up, combos (two facts
//     together, e.g. treatment + cannot pay) add needs and urgency, priors from categoryHint help;
//  6. urgency is the highest one set; a safety_protection need is never routine;
//  7. the division: a valid structured code wins, else the best name in the text.
import type { DivisionIndex } from '../divisions/divisions.js';
import { NEEDS, type Need, type Urgency } from '../model.js';
import { buildAutomaton } from './automaton.js';
import {
  compileDivisionNames,
  resolveDivisionFromText,
  type DivisionContext,
  type DivisionMatch,
  type DivisionName,
} from './division-finder.js';
import type { Lexicon, NegationMode } from './lexicon.js';
import { cleanText, createNormalizer, isBoundary, type NormalizedText } from './normalize.js';
import { sharedToSimplified, type ToSimplified } from './simplify.js';
import type { Classification, ClassificationExplanation, ClassificationInput, Classifier } from './types.js';

export interface ClassifierOptions {
  /** Traditional → Simplified conversion; defaults to the process-wide opencc-based one. */
  toSimplified?: ToSimplified;
}

const WILDCARD = '…';

// Kinds of lexicon keys found by the automaton.
const TERM = 0; // a rule's term (need or cue rule)
const NEUTRAL = 1;
const RESOLUTION = 2;
const NEG_FACTS = 3;
const NEG_WANTS = 4;
const NEG_AFTER = 5;
const QUESTION = 6;
const PAST = 7;
const PRESENT = 8;
const DIVISION = 9;
const SEQ_PART = 10; // one word of one part of a sequence rule

interface Pattern {
  /** The term as written (normalised), for explanations. */
  display: string;
  /** Further literal parts after "…" wildcards. */
  rest: readonly string[];
  /** Number of literal characters: the strength of the reading when terms overlap. */
  literal: number;
}

type Payload =
  | ({ kind: typeof TERM; rule: number } & Pattern)
  | ({ kind: typeof NEUTRAL | typeof RESOLUTION } & Pattern)
  | { kind: typeof NEG_FACTS | typeof NEG_WANTS | typeof NEG_AFTER | typeof QUESTION | typeof PAST | typeof PRESENT }
  | { kind: typeof DIVISION; name: DivisionName }
  | { kind: typeof SEQ_PART; seq: number; part: number };

interface CompiledSequence {
  rule: number;
  parts: number;
  maxGap: number;
}

interface CompiledRule {
  id: string;
  needs: readonly Need[];
  weight: number;
  urgency: Urgency | undefined;
  negation: NegationMode;
  past: boolean;
  /** Cue rules (no needs) are markers for combos and never compete with other readings. */
  competes: boolean;
}

interface CompiledCombo {
  id: string;
  all: readonly (readonly number[])[];
  unless: readonly number[];
  scope: 'clause' | 'sentence' | 'text';
  needs: readonly Need[];
  urgency: Urgency | undefined;
}

interface Span {
  kind: typeof TERM | typeof NEUTRAL | typeof RESOLUTION;
  rule: number;
  start: number;
  end: number;
  literal: number;
  display: string;
  dropped: boolean;
}

interface Mark {
  start: number;
  end: number;
}

interface Scan {
  spans: Span[];
  cues: Span[];
  negFacts: Mark[];
  negWants: Mark[];
  negAfter: Mark[];
  questions: Mark[];
  past: Mark[];
  present: Mark[];
  divisions: DivisionMatch[];
  /** Sequence word matches: seq index → part index → matches. Only for sequences with any match. */
  seqParts: Map<number, Mark[][]>;
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const NEED_ORDER = new Map<Need, number>(NEEDS.map((n, i) => [n, i]));
/** Particles allowed between a trailing negation (家暴倒是没有) and the clause end. */
const TRAILING_PARTICLES = '的了啊呀过啦嘛呢吧';

/** Expands colloquial variants: every term containing `of` also gets each of `forms` in its place. */
function expandVariants(terms: readonly string[], variants: Lexicon['variants']): string[] {
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

export function createClassifier(lexicon: Lexicon, divisions: DivisionIndex, options: ClassifierOptions = {}): Classifier {
  const toSimplified = options.toSimplified ?? sharedToSimplified();
  const normalize = createNormalizer(toSimplified);
  // Terms are normalised like text, so an administrator may type them in either script or width.
  const normTerm = (t: string): string => cleanText(toSimplified(t.replace(/\.\.\./g, WILDCARD))).trim();
  const settings = lexicon.settings;

  const keys: string[] = [];
  const payloads: Payload[][] = [];
  const keyIndex = new Map<string, number>();
  const add = (rawKey: string, payload: Payload): void => {
    let k = keyIndex.get(rawKey);
    if (k === undefined) {
      k = keys.length;
      keys.push(rawKey);
      payloads.push([]);
      keyIndex.set(rawKey, k);
    }
    payloads[k]!.push(payload);
  };
  const addPattern = (term: string, make: (p: Pattern) => Payload): void => {
    const p = toPattern(normTerm(term));
    add(p.head, make({ display: p.display, rest: p.rest, literal: p.literal }));
  };
  const addPlain = (terms: readonly string[], kind: typeof NEG_FACTS | typeof NEG_WANTS | typeof NEG_AFTER | typeof QUESTION | typeof PAST | typeof PRESENT): void => {
    for (const t of terms) {
      const key = normTerm(t);
      if (key) add(key, { kind });
    }
  };

  const rules: CompiledRule[] = lexicon.rules.map((r) => ({
    id: r.id,
    needs: r.needs,
    weight: r.weight,
    urgency: r.urgency,
    negation: r.negation,
    past: r.past,
    competes: r.needs.length > 0,
  }));
  const sequences: CompiledSequence[] = [];
  lexicon.rules.forEach((r, rule) => {
    for (const t of expandVariants(r.terms, lexicon.variants)) addPattern(t, (p) => ({ kind: TERM, rule, ...p }));
    for (const sq of r.sequences) {
      const seq = sequences.length;
      sequences.push({ rule, parts: sq.parts.length, maxGap: sq.maxGap });
      sq.parts.forEach((words, part) => {
        for (const w of expandVariants(words, lexicon.variants)) {
          const key = normTerm(w);
          if (key) add(key, { kind: SEQ_PART, seq, part });
        }
      });
    }
  });
  for (const t of expandVariants(lexicon.neutral, lexicon.variants)) addPattern(t, (p) => ({ kind: NEUTRAL, ...p }));
  for (const t of expandVariants(lexicon.past.resolution, lexicon.variants)) addPattern(t, (p) => ({ kind: RESOLUTION, ...p }));
  addPlain(lexicon.negation.facts, NEG_FACTS);
  addPlain(lexicon.negation.wants, NEG_WANTS);
  addPlain(lexicon.negation.after, NEG_AFTER);
  addPlain(lexicon.negation.questionForms, QUESTION);
  addPlain(lexicon.past.markers, PAST);
  addPlain(lexicon.past.present, PRESENT);
  for (const [key, name] of compileDivisionNames(lexicon.divisions, divisions, normTerm)) add(key, { kind: DIVISION, name });

  const combos: CompiledCombo[] = lexicon.combos.map((c, i) => ({
    id: c.id,
    all: c.all.map((group, g) => resolveRefs(group, rules, `lexicon.combos[${i}].all[${g}]`)),
    unless: resolveRefs(c.unless, rules, `lexicon.combos[${i}].unless`),
    scope: c.scope,
    needs: c.needs,
    urgency: c.urgency,
  }));

  const gapChars = new Set(normTerm(lexicon.negation.gapChars));
  const normList = (l: readonly string[]): string[] => l.map(normTerm).filter((s) => s.length > 0);
  const d = lexicon.divisions;
  const divisionContext: DivisionContext = {
    suffixes: normList(d.suffixes),
    residenceBefore: normList(d.residenceBefore),
    residenceAfter: normList(d.residenceAfter),
    elsewhereBefore: normList(d.elsewhereBefore),
    elsewhereAfter: normList(d.elsewhereAfter),
    workAfter: normList(d.workAfter),
  };
  const priors = compilePriors(lexicon, normTerm);
  const channelPriors = new Map<string, PriorEntry>(
    Object.entries(lexicon.channelPriors).flatMap(([channel, p]) =>
      p ? [[channel, { key: `channel ${channel}`, needs: p.needs, whenSilent: p.whenSilent }] as const] : [],
    ),
  );
  const automaton = buildAutomaton(keys);

  // ---- per text ---------------------------------------------------------------------------

  /** Finds where the remaining wildcard parts sit, or -1: each within the gap and the same clause. */
  function wildcardEnd(norm: NormalizedText, start: number, headEnd: number, rest: readonly string[]): number {
    let end = headEnd;
    for (const part of rest) {
      const at = norm.text.indexOf(part, end);
      if (at < 0 || at - end > settings.wildcardMaxGap) return -1;
      end = at + part.length;
      if (norm.clause[end - 1] !== norm.clause[start]) return -1;
    }
    return end;
  }

  function scan(norm: NormalizedText): Scan {
    const s: Scan = {
      spans: [],
      cues: [],
      negFacts: [],
      negWants: [],
      negAfter: [],
      questions: [],
      past: [],
      present: [],
      divisions: [],
      seqParts: new Map(),
    };
    automaton.scan(norm.text, (k, headEnd) => {
      const start = headEnd - keys[k]!.length;
      for (const p of payloads[k]!) {
        switch (p.kind) {
          case TERM:
          case NEUTRAL:
          case RESOLUTION: {
            const end = p.rest.length === 0 ? headEnd : wildcardEnd(norm, start, headEnd, p.rest);
            if (end < 0) break;
            const rule = p.kind === TERM ? p.rule : -1;
            const span: Span = { kind: p.kind, rule, start, end, literal: p.literal, display: p.display, dropped: false };
            (p.kind === TERM && !rules[rule]!.competes ? s.cues : s.spans).push(span);
            break;
          }
          case NEG_FACTS:
            s.negFacts.push({ start, end: headEnd });
            break;
          case NEG_WANTS:
            s.negWants.push({ start, end: headEnd });
            break;
          case NEG_AFTER:
            s.negAfter.push({ start, end: headEnd });
            break;
          case QUESTION:
            s.questions.push({ start, end: headEnd });
            break;
          case PAST:
            s.past.push({ start, end: headEnd });
            break;
          case PRESENT:
            s.present.push({ start, end: headEnd });
            break;
          case DIVISION:
            s.divisions.push({ name: p.name, start, end: headEnd });
            break;
          case SEQ_PART: {
            let parts = s.seqParts.get(p.seq);
            if (!parts) {
              parts = Array.from({ length: sequences[p.seq]!.parts }, () => []);
              s.seqParts.set(p.seq, parts);
            }
            parts[p.part]!.push({ start, end: headEnd });
            break;
          }
        }
      }
    });
    return s;
  }

  /**
   * Turns sequence word matches into rule spans: a word of each part in order, each starting
   * within maxGap characters after the previous one ends, all in one clause. A word inside a
   * longer neutral phrase or term does not count (抽 in 抽烟, 刺 in 刺绣, 打 in 打游戏).
   */
  function buildSequenceSpans(norm: NormalizedText, sc: Scan): void {
    const blockers = sc.spans.slice(); // terms and neutral phrases only, not other sequences' spans
    for (const [q, parts] of sc.seqParts) {
      if (parts.some((p) => p.length === 0)) continue;
      const seq = sequences[q]!;
      const usable = parts.map((p) =>
        p.filter((m) => !blockers.some((n) => n.start < m.end && m.start < n.end && n.literal > m.end - m.start)),
      );
      let found = 0;
      for (const first of usable[0]!) {
        const chain: Mark[] = [first];
        for (let i = 1; i < usable.length; i++) {
          const prev = chain[i - 1]!;
          const next = usable[i]!.find(
            (m) => m.start >= prev.end && m.start - prev.end <= seq.maxGap && norm.clause[m.start] === norm.clause[first.start],
          );
          if (!next) break;
          chain.push(next);
        }
        if (chain.length !== usable.length) continue;
        const last = chain[chain.length - 1]!;
        const span: Span = {
          kind: TERM,
          rule: seq.rule,
          start: first.start,
          end: last.end,
          literal: chain.reduce((n, m) => n + m.end - m.start, 0),
          display: chain.map((m) => norm.text.slice(m.start, m.end)).join('…'),
          dropped: false,
        };
        (rules[seq.rule]!.competes ? sc.spans : sc.cues).push(span);
        if (++found >= 4) break; // a few readings are enough to decide
      }
    }
  }

  /** Neutral phrases also cancel cue words they contain (打 of 打电话 is no time cue). */
  function dropNeutralCues(cues: Span[], neutral: readonly Span[]): void {
    for (const c of cues) {
      if (neutral.some((n) => n.start < c.end && c.start < n.end && n.literal >= c.literal)) c.dropped = true;
    }
  }

  /** Overlapping readings: the one with more literal characters wins; on a tie a neutral phrase or a resolution beats a term. */
  function dropOverlaps(spans: Span[]): void {
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    for (let i = 0; i < spans.length; i++) {
      const a = spans[i]!;
      for (let j = i + 1; j < spans.length && spans[j]!.start < a.end; j++) {
        const b = spans[j]!;
        if (a.kind === TERM && b.kind === TERM && a.rule === b.rule) continue;
        if (a.literal !== b.literal) (a.literal < b.literal ? a : b).dropped = true;
        else if (a.kind === TERM && b.kind !== TERM) a.dropped = true;
        else if (b.kind === TERM && a.kind !== TERM) b.dropped = true;
      }
    }
  }

  const overlapsAny = (m: Mark, marks: readonly Mark[]): boolean => marks.some((q) => q.start < m.end && m.start < q.end);

  function gapIsFiller(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (!gapChars.has(text[i]!)) return false;
    return true;
  }

  /** The negation cue that negates this match, if any. */
  function negatedBy(norm: NormalizedText, sc: Scan, m: Span, mode: NegationMode): string | null {
    if (mode === 'none') return null;
    const { text, clause } = norm;
    const before = (cues: readonly Mark[]): Mark | undefined =>
      cues.find(
        (q) =>
          q.end <= m.start &&
          m.start - q.end <= settings.negationMaxGap &&
          clause[q.start] === clause[m.start] &&
          gapIsFiller(text, q.end, m.start) &&
          !overlapsAny(q, sc.questions),
      );
    const wants = mode === 'all' || mode === 'wants';
    const facts = mode === 'all' || mode === 'facts';
    const hit = (wants ? before(sc.negWants) : undefined) ?? (facts ? before(sc.negFacts) : undefined);
    if (hit) return text.slice(hit.start, hit.end);
    if (!facts) return null;
    for (const q of sc.negAfter) {
      if (q.start < m.end || q.start - m.end > 2 || clause[q.start] !== clause[m.start] || !gapIsFiller(text, m.end, q.start)) continue;
      let e = q.end;
      while (e < text.length && TRAILING_PARTICLES.includes(text[e]!)) e++;
      if (e === text.length || isBoundary(text.charCodeAt(e))) return text.slice(q.start, q.end);
    }
    return null;
  }

  /** Why this match describes the past, if it does. */
  function pastBy(norm: NormalizedText, sc: Scan, resolutions: readonly Span[], m: Span): string | null {
    const { text, clause, sentence } = norm;
    for (const p of sc.past) {
      // "三天以前" is recent: a present marker covering the past marker cancels it.
      if (overlapsAny(p, sc.present)) continue;
      if (p.end > m.start || m.start - p.end > settings.pastMaxDistance || sentence[p.start] !== sentence[m.start]) continue;
      if (sc.present.some((q) => q.start >= p.end && q.start < m.end)) continue;
      return `past: ${text.slice(p.start, p.end)}`;
    }
    const presentInClause = sc.present.some((q) => clause[q.start] === clause[m.start]);
    if (presentInClause) return null;
    for (const r of resolutions) {
      if (clause[r.start]! >= clause[m.start]!) return `resolved: ${text.slice(r.start, r.end)}`;
    }
    return null;
  }

  function classify(input: ClassificationInput): Classification {
    const norm = normalize(typeof input.text === 'string' ? input.text : '');
    const sc = scan(norm);
    const neutral = sc.spans.filter((s) => s.kind === NEUTRAL);
    buildSequenceSpans(norm, sc);
    dropOverlaps(sc.spans);
    dropNeutralCues(sc.cues, neutral);
    const resolutions = sc.spans.filter((s) => s.kind === RESOLUTION && !s.dropped);

    // Which rule matches survive negation, past and resolution.
    const suppressed: string[] = [];
    const negatedNeeds = new Set<Need>();
    const live: Span[][] = rules.map(() => []);
    const consider = (m: Span): void => {
      if (m.kind !== TERM || m.dropped) return;
      const rule = rules[m.rule]!;
      const said = norm.text.slice(m.start, m.end);
      const neg = negatedBy(norm, sc, m, rule.negation);
      if (neg) {
        suppressed.push(`${rule.id}: ${said} (negated: ${neg})`);
        rule.needs.forEach((n) => negatedNeeds.add(n));
        return;
      }
      const past = rule.past ? pastBy(norm, sc, resolutions, m) : null;
      if (past) {
        suppressed.push(`${rule.id}: ${said} (${past})`);
        return;
      }
      live[m.rule]!.push(m);
    };
    sc.spans.forEach(consider);
    sc.cues.forEach(consider);

    // Rules → need scores and urgency.
    const score = new Map<Need, number>();
    const reasons = new Map<Need, string[]>();
    const note = (need: Need, why: string): void => {
      const list = reasons.get(need) ?? [];
      if (!list.includes(why)) list.push(why);
      reasons.set(need, list);
    };
    let urgency: Urgency = 'routine';
    const urgencyWhy: string[] = [];
    const raise = (u: Urgency | undefined, why: string): void => {
      if (!u || u === 'routine') return;
      if (URGENCY_RANK[u] > URGENCY_RANK[urgency]) {
        urgency = u;
        urgencyWhy.length = 0;
      }
      if (u === urgency && !urgencyWhy.includes(why)) urgencyWhy.push(why);
    };
    const terms = (r: number): string => [...new Set(live[r]!.map((m) => m.display))].join('、');
    rules.forEach((rule, r) => {
      if (live[r]!.length === 0) return;
      const why = `${rule.id}: ${terms(r)}`;
      for (const need of rule.needs) {
        score.set(need, (score.get(need) ?? 0) + rule.weight);
        note(need, why);
      }
      raise(rule.urgency, why);
    });
    for (const c of combos) {
      if (c.unless.some((r) => live[r]!.length > 0)) continue;
      if (!comboHolds(c, live, norm)) continue;
      const why = `${c.id} (${c.all.map((g) => g.filter((r) => live[r]!.length > 0).map(terms).join('/')).join(' + ')})`;
      for (const need of c.needs) {
        score.set(need, Math.max(score.get(need) ?? 0, settings.needThreshold));
        note(need, why);
      }
      raise(c.urgency, why);
    }

    // Channel prior: strengthens weak evidence, or speaks when the text names no need at all.
    const textNeeds = NEEDS.filter((n) => (score.get(n) ?? 0) >= settings.needThreshold);
    const channelPrior = channelPriors.get(input.channel);
    const hintPrior = input.categoryHint ? priors.lookup(input.categoryHint) : undefined;
    for (const prior of [hintPrior, channelPrior]) {
      if (!prior) continue;
      for (const need of prior.needs) {
        const s = score.get(need) ?? 0;
        if (s >= settings.needThreshold) continue;
        if (s > 0 && s + settings.priorBoost >= settings.needThreshold) {
          score.set(need, s + settings.priorBoost);
          note(need, `prior: ${prior.key} (+${settings.priorBoost})`);
        } else if (textNeeds.length === 0 && prior.whenSilent && !negatedNeeds.has(need)) {
          score.set(need, settings.needThreshold);
          note(need, `prior: ${prior.key} (the text names no need)`);
        }
      }
    }

    const needs = NEEDS.filter((n) => (score.get(n) ?? 0) >= settings.needThreshold);
    if (needs.includes('safety_protection') && urgency === 'routine') {
      urgency = 'urgent';
      urgencyWhy.push('a safety_protection need is never routine');
    }

    const explanationNeeds: ClassificationExplanation['needs'] = {};
    for (const n of needs) explanationNeeds[n] = reasons.get(n) ?? [];
    const division = resolveDivision(input, norm, sc);
    const explanation: ClassificationExplanation = { needs: explanationNeeds, urgency: urgencyWhy, division: division.explanation };
    if (suppressed.length > 0) explanation.suppressed = suppressed;
    return { needs: [...needs].sort((a, b) => NEED_ORDER.get(a)! - NEED_ORDER.get(b)!), urgency, divisionCode: division.code, explanation };
  }

  function resolveDivision(input: ClassificationInput, norm: NormalizedText, sc: Scan): { code: string | null; explanation: string } {
    const structured = typeof input.divisionCode === 'string' ? input.divisionCode.trim() : '';
    const known = structured ? divisions.get(structured) : undefined;
    if (known && known.level !== 'province') {
      return { code: known.code, explanation: `structured field: ${known.code} ${known.name}` };
    }
    const blockers = sc.spans.filter((s) => s.kind === NEUTRAL);
    const fromText = resolveDivisionFromText(sc.divisions, norm, divisionContext, blockers);
    if (!structured) return fromText;
    const why = known ? `structured field ${structured} names only the province` : `structured field ${structured} is not a known division code`;
    return { code: fromText.code, explanation: `${why}; ${fromText.explanation}` };
  }

  return { classify };
}

/** A combo holds when every group has a live match, in one clause/sentence unless scope is "text". */
function comboHolds(c: CompiledCombo, live: readonly Span[][], norm: NormalizedText): boolean {
  const unit = c.scope === 'clause' ? norm.clause : norm.sentence;
  const sentencesOf = (group: readonly number[]): Set<number> => {
    const set = new Set<number>();
    for (const r of group) for (const m of live[r]!) set.add(unit[m.start]!);
    return set;
  };
  const sets = c.all.map(sentencesOf);
  if (sets.some((s) => s.size === 0)) return false;
  if (c.scope === 'text') return true;
  const [first, ...others] = sets;
  for (const s of first!) if (others.every((o) => o.has(s))) return true;
  return false;
}

interface PriorEntry {
  key: string;
  needs: readonly Need[];
  whenSilent: boolean;
}

/** categoryHint lookup: exact name or alias first, else the longest known name inside the hint (婚姻家庭纠纷 → 婚姻家庭). */
function compilePriors(lexicon: Lexicon, normTerm: (s: string) => string): { lookup(hint: string): PriorEntry | undefined } {
  const byName = new Map<string, PriorEntry>();
  for (const [key, p] of Object.entries(lexicon.categoryPriors)) {
    const entry: PriorEntry = { key: `categoryHint ${key}`, needs: p.needs, whenSilent: p.whenSilent };
    for (const name of [key, ...p.aliases]) byName.set(normTerm(name), entry);
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  return {
    lookup(hint) {
      const h = normTerm(hint);
      if (!h) return undefined;
      const exact = byName.get(h);
      if (exact) return exact;
      const inside = names.find((n) => h.includes(n));
      return inside ? byName.get(inside) : undefined;
    },
  };
}
