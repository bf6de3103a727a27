// The intake classifier: needs, urgency and division from free text, driven entirely by the
// lexicon. Pure: all data comes in through createClassifier, nothing is read or written.
//
// How one text is classified:
//  1. normalise (Traditional → Simplified, half-width, lower case) and mark clause/sentence ends;
//  2. one Aho–Corasick pass finds every term, cue and division name;
//  3. sequence rules chain their words (拿 … 菜刀 … 砍); overlapping terms: the longest reading
//     wins (打电话 cancels 打, 已经离婚 cancels 离婚);
//  4. a term match may be suppressed: negated (没有 家暴), in the past (以前 被打过) or resolved
//     (…现在已经离婚多年);
//  5. rules with a surviving match fire; their weights per need add up; combos (two facts
//     together, e.g. treatment + cannot pay) add needs and urgency; priors help weak evidence;
//  6. urgency is the highest one set; a safety_protection need is never routine;
//  7. the division: a valid structured code wins, else the best name in the text.
import type { DivisionIndex } from '../divisions/divisions.js';
import { NEEDS, type Need, type Urgency } from '../model.js';
import { compileLexicon, DIVISION, HABITUAL, NEG_AFTER, NEG_FACTS, NEG_WANTS, NEUTRAL, PAST, PRESENT, QUESTION, RESOLUTION, TERM, type CompiledCombo, type CompiledLexicon } from './compile.js';
import { resolveDivisionFromText, type DivisionMatch } from './division-finder.js';
import type { Lexicon, NegationMode } from './lexicon.js';
import { createNormalizer, isBoundary, type NormalizedText } from './normalize.js';
import { sharedToSimplified, type ToSimplified } from './simplify.js';
import type { Classification, ClassificationExplanation, ClassificationInput, Classifier } from './types.js';

export interface ClassifierOptions {
  /** Traditional → Simplified conversion; defaults to the process-wide opencc-based one. */
  toSimplified?: ToSimplified;
}

interface Span {
  kind: typeof TERM | typeof NEUTRAL | typeof RESOLUTION;
  rule: number;
  start: number;
  end: number;
  /** End of the first literal part and start of the last one: equal to end/start without a gap. */
  headEnd: number;
  tailStart: number;
  literal: number;
  display: string;
  dropped: boolean;
}

interface Mark {
  start: number;
  end: number;
}

/** Everything one scan finds. */
interface Scan {
  /** Terms of need rules, neutral phrases and resolutions: the readings that compete. */
  spans: Span[];
  /** The resolutions among spans (已经离婚), for the past check. */
  resolutions: Span[];
  /** Terms of cue rules: markers that never compete. */
  cues: Span[];
  negFacts: Mark[];
  negWants: Mark[];
  negAfter: Mark[];
  questions: Mark[];
  past: Mark[];
  present: Mark[];
  habitual: Mark[];
  divisions: DivisionMatch[];
  /** Sequences whose every part has a word in the text (the only ones worth chaining). */
  completeSeqs: number[];
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const NEED_INDEX = Object.fromEntries(NEEDS.map((n, i) => [n, i])) as Record<Need, number>;
/** Particles allowed between a trailing negation (家暴倒是没有) and the clause end. */
const TRAILING_PARTICLES = '的了啊呀过啦嘛呢吧';
/** Distinct terms of one rule counted towards a need (beyond that, more of the same adds nothing). */
const MAX_TERMS_COUNTED = 3;
/** A few chains per sequence are enough to decide; bounds the work on long texts. */
const MAX_CHAINS = 4;

const overlaps = (a: Mark, b: Mark): boolean => a.start < b.end && b.start < a.end;

/** The literal regions of a span: a gap (被…打) is not text the span claims. */
function regions(s: Span | Mark): Mark[] {
  if (!('headEnd' in s) || (s.headEnd >= s.end && s.tailStart <= s.start)) return [s];
  return [
    { start: s.start, end: s.headEnd },
    { start: s.tailStart, end: s.end },
  ];
}

/** True when the literal text of a and b overlaps (a phrase inside a gap does not count). */
function literalOverlap(a: Span | Mark, b: Span | Mark): boolean {
  if (!overlaps(a, b)) return false;
  for (const ra of regions(a)) for (const rb of regions(b)) if (overlaps(ra, rb)) return true;
  return false;
}

/** Number of matches with different wording that do not overlap each other (残疾人 and 残疾 in one place count once). */
function separateHints(matches: readonly Span[]): number {
  const counted: Span[] = [];
  for (const m of matches) {
    if (counted.some((c) => c.display === m.display || overlaps(c, m))) continue;
    counted.push(m);
  }
  return counted.length;
}

function overlapsAny(m: Mark, marks: readonly Mark[]): boolean {
  for (const q of marks) if (overlaps(q, m)) return true;
  return false;
}

export function createClassifier(lexicon: Lexicon, divisions: DivisionIndex, options: ClassifierOptions = {}): Classifier {
  const toSimplified = options.toSimplified ?? sharedToSimplified();
  const normalize = createNormalizer(toSimplified);
  const lex: CompiledLexicon = compileLexicon(lexicon, divisions, toSimplified);
  const { rules, sequences, combos, settings, payloads, seqWords, keyLength, gapChar } = lex;

  // Sequence words are frequent (我, 人, 打) and most sequences never complete, so their matches
  // go to a flat buffer (seq, part, start, end) with a bitmask of parts seen per sequence, and
  // objects are made only for sequences whose every part matched. Reused between calls.
  const seqSeen = new Uint32Array(sequences.length);
  const seqFull = sequences.map((q) => (q.parts >= 32 ? 0xffffffff : 2 ** q.parts - 1) >>> 0);
  let seqBuf = new Int32Array(4 * 256);
  let seqCount = 0;
  const touched: number[] = [];

  /** End of a wildcard term whose head ends at headEnd, or -1: each part within the gap, one clause. */
  function wildcardEnd(norm: NormalizedText, start: number, headEnd: number, rest: readonly string[]): number {
    const { text, clause } = norm;
    let end = headEnd;
    for (const part of rest) {
      let at = -1;
      const last = Math.min(end + settings.wildcardMaxGap, text.length - part.length);
      for (let i = end; i <= last; i++) {
        if (text.startsWith(part, i)) {
          at = i;
          break;
        }
      }
      if (at < 0) return -1;
      end = at + part.length;
      if (clause[end - 1] !== clause[start]) return -1;
    }
    return end;
  }

  function scan(norm: NormalizedText): Scan {
    const s: Scan = {
      spans: [],
      resolutions: [],
      cues: [],
      negFacts: [],
      negWants: [],
      negAfter: [],
      questions: [],
      past: [],
      present: [],
      habitual: [],
      divisions: [],
      completeSeqs: [],
    };
    for (const q of touched) seqSeen[q] = 0;
    touched.length = 0;
    seqCount = 0;
    const found = lex.automaton.scan(norm.text);
    for (let f = 0; f < found.count; f++) {
      const k = found.keys[f]!;
      const headEnd = found.ends[f]!;
      const start = headEnd - keyLength[k]!;
      const words = seqWords[k];
      if (words) {
        for (let w = 0; w < words.length; w += 2) {
          const q = words[w]!;
          const part = words[w + 1]!;
          // A word of part k can only extend a chain when words of parts 0..k-1 were already
          // seen (they must end before it starts, and matches come in order of their end).
          const before = (1 << part) - 1;
          const seen = seqSeen[q]!;
          if ((seen & before) !== before) continue;
          if (seen === 0) touched.push(q);
          seqSeen[q] = seen | (1 << part);
          if (seqCount * 4 === seqBuf.length) {
            const grown = new Int32Array(seqBuf.length * 2);
            grown.set(seqBuf);
            seqBuf = grown;
          }
          const at = seqCount * 4;
          seqBuf[at] = q;
          seqBuf[at + 1] = part;
          seqBuf[at + 2] = start;
          seqBuf[at + 3] = headEnd;
          seqCount++;
        }
      }
      const ps = payloads[k]!;
      for (let pi = 0; pi < ps.length; pi++) {
        const p = ps[pi]!;
        switch (p.kind) {
          case TERM:
          case NEUTRAL:
          case RESOLUTION: {
            const end = p.rest.length === 0 ? headEnd : wildcardEnd(norm, start, headEnd, p.rest);
            if (end < 0) break;
            const tailStart = p.rest.length === 0 ? start : end - p.rest[p.rest.length - 1]!.length;
            const span: Span = { kind: p.kind, rule: p.rule, start, end, headEnd, tailStart, literal: p.literal, display: p.display, dropped: false };
            (p.kind === TERM && !rules[p.rule]!.competes ? s.cues : s.spans).push(span);
            if (p.kind === RESOLUTION) s.resolutions.push(span);
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
          case HABITUAL:
            s.habitual.push({ start, end: headEnd });
            break;
          case DIVISION:
            s.divisions.push({ name: p.name, start, end: headEnd });
            break;
        }
      }
    }
    for (const q of touched) if (seqSeen[q] === seqFull[q]) s.completeSeqs.push(q);
    return s;
  }

  /** The word matches of every complete sequence, per part, in one pass over the flat buffer. */
  function completeParts(complete: readonly number[]): Map<number, Mark[][]> {
    const out = new Map<number, Mark[][]>();
    for (const q of complete)
      out.set(
        q,
        Array.from({ length: sequences[q]!.parts }, () => []),
      );
    for (let i = 0; i < seqCount; i++) {
      const q = seqBuf[i * 4]!;
      if (seqSeen[q] !== seqFull[q]) continue;
      out.get(q)![seqBuf[i * 4 + 1]!]!.push({ start: seqBuf[i * 4 + 2]!, end: seqBuf[i * 4 + 3]! });
    }
    return out;
  }

  /** A sequence word inside a longer term or neutral phrase does not count (抽 in 抽烟, 刺 in 刺绣). */
  function blocked(m: Mark, blockers: readonly Span[]): boolean {
    const len = m.end - m.start;
    for (const b of blockers) if (b.literal > len && literalOverlap(b, m)) return true;
    return false;
  }

  /** True when every character from `from` to `to` is one the sequence allows between its words. */
  function gapAllowed(text: string, from: number, to: number, allowed: string | null): boolean {
    if (allowed === null) return true;
    for (let i = from; i < to; i++) if (!allowed.includes(text[i]!)) return false;
    return true;
  }

  /**
   * Turns sequence word matches into rule spans: a word of each part in order, each starting
   * within maxGap characters after the previous one ends, all in one clause.
   */
  function buildSequenceSpans(norm: NormalizedText, sc: Scan): void {
    if (sc.completeSeqs.length === 0) return;
    const blockers = sc.spans.slice(); // terms and neutral phrases, not other sequences' spans
    const partsOf = completeParts(sc.completeSeqs);
    for (const q of sc.completeSeqs) {
      const parts = partsOf.get(q)!;
      const seq = sequences[q]!;
      let found = 0;
      for (const first of parts[0]!) {
        if (blocked(first, blockers)) continue;
        let prev = first;
        let literal = first.end - first.start;
        let display = norm.text.slice(first.start, first.end);
        let complete = true;
        for (let i = 1; i < parts.length && complete; i++) {
          let next: Mark | undefined;
          for (const m of parts[i]!) {
            if (
              m.start >= prev.end &&
              m.start - prev.end <= seq.maxGap &&
              norm.clause[m.start] === norm.clause[first.start] &&
              gapAllowed(norm.text, prev.end, m.start, seq.gapChars) &&
              !blocked(m, blockers)
            ) {
              next = m;
              break;
            }
          }
          if (!next) complete = false;
          else {
            prev = next;
            literal += next.end - next.start;
            display += '…' + norm.text.slice(next.start, next.end);
          }
        }
        if (!complete) continue;
        const span: Span = {
          kind: TERM,
          rule: seq.rule,
          start: first.start,
          end: prev.end,
          headEnd: first.end,
          tailStart: prev.start,
          literal,
          display,
          dropped: false,
        };
        (rules[seq.rule]!.competes ? sc.spans : sc.cues).push(span);
        if (++found >= MAX_CHAINS) break;
      }
    }
  }

  /**
   * Overlapping readings: more literal characters win; on a tie a neutral phrase or a resolution
   * beats a term. Then, within one rule, a reading inside a surviving longer one goes (暴力 inside
   * 家庭暴力), so that negating the long one is not undone by the short one.
   */
  function dropOverlaps(spans: Span[]): void {
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    for (let i = 0; i < spans.length; i++) {
      const a = spans[i]!;
      for (let j = i + 1; j < spans.length && spans[j]!.start < a.end; j++) {
        const b = spans[j]!;
        if (a.kind === TERM && b.kind === TERM && a.rule === b.rule) continue;
        if (!literalOverlap(a, b)) continue;
        if (a.literal !== b.literal) (a.literal < b.literal ? a : b).dropped = true;
        else if (a.kind === TERM && b.kind !== TERM) a.dropped = true;
        else if (b.kind === TERM && a.kind !== TERM) b.dropped = true;
      }
    }
    for (let i = 0; i < spans.length; i++) {
      const a = spans[i]!;
      if (a.dropped || a.kind !== TERM) continue;
      for (let j = i + 1; j < spans.length && spans[j]!.start < a.end; j++) {
        const b = spans[j]!;
        // Sorted by start, then longer first: b starts inside a; drop b when a contains it.
        if (b.kind === TERM && b.rule === a.rule && b.end <= a.end && b.end - b.start < a.end - a.start) b.dropped = true;
      }
    }
  }

  /** Neutral phrases also cancel cue words they contain (今天 in 今天打工 stays; 打 of 打电话 is no cue). */
  function dropNeutralCues(sc: Scan): void {
    for (const c of sc.cues) {
      for (const n of sc.spans) {
        if (n.kind === NEUTRAL && n.literal >= c.literal && literalOverlap(n, c)) {
          c.dropped = true;
          break;
        }
      }
    }
  }

  /** True when every character between from and to may sit between a negation cue and its term. */
  function gapIsFiller(text: string, from: number, to: number, wants: boolean): boolean {
    for (let i = from; i < to; i++) {
      const g = gapChar[text.charCodeAt(i)];
      if (g !== 1 && !(wants && g === 2)) return false;
    }
    return true;
  }

  /** The nearest cue before m, in its clause, separated only by filler characters (没有 受到 家暴). */
  function cueBefore(norm: NormalizedText, cues: readonly Mark[], questions: readonly Mark[], m: Mark, wants: boolean): Mark | undefined {
    for (const q of cues) {
      if (q.end > m.start || m.start - q.end > settings.negationMaxGap) continue;
      if (norm.clause[q.start] !== norm.clause[m.start]) continue;
      if (!gapIsFiller(norm.text, q.end, m.start, wants) || overlapsAny(q, questions)) continue;
      return q;
    }
    return undefined;
  }

  /** The negation cue that negates this match, if any. */
  function negatedBy(norm: NormalizedText, sc: Scan, m: Span, mode: NegationMode): string | null {
    if (mode === 'none') return null;
    const { text, clause } = norm;
    const wants = mode === 'all' || mode === 'wants';
    const facts = mode === 'all' || mode === 'facts';
    const hit = (wants ? cueBefore(norm, sc.negWants, sc.questions, m, true) : undefined) ?? (facts ? cueBefore(norm, sc.negFacts, sc.questions, m, false) : undefined);
    if (hit) return text.slice(hit.start, hit.end);
    if (!facts) return null;
    // After the term, ending its clause: 家暴倒是没有。
    for (const q of sc.negAfter) {
      if (q.start < m.end || q.start - m.end > 2 || clause[q.start] !== clause[m.start] || !gapIsFiller(text, m.end, q.start, false)) continue;
      let e = q.end;
      while (e < text.length && TRAILING_PARTICLES.includes(text[e]!)) e++;
      if (e === text.length || isBoundary(text.charCodeAt(e))) return text.slice(q.start, q.end);
    }
    return null;
  }

  /** Why this match describes the past, if it does. */
  function pastBy(norm: NormalizedText, sc: Scan, m: Span): string | null {
    const { text, clause, sentence } = norm;
    for (const p of sc.past) {
      if (p.end > m.start || m.start - p.end > settings.pastMaxDistance || sentence[p.start] !== sentence[m.start]) continue;
      if (overlapsAny(p, sc.present)) continue; // "三天以前" is recent
      let renewed = false; // a present marker between them brings it back: 以前…现在又打
      for (const q of sc.present) if (q.start >= p.end && q.start < m.end) renewed = true;
      if (!renewed) return `past: ${text.slice(p.start, p.end)}`;
    }
    for (const q of sc.present) if (clause[q.start] === clause[m.start]) return null;
    for (const r of sc.resolutions) {
      if (!r.dropped && clause[r.start]! >= clause[m.start]!) return `resolved: ${text.slice(r.start, r.end)}`;
    }
    return null;
  }

  /** True when a habit marker (经常…) comes before m in its clause with no present marker (又, 现在) between. */
  function habitualAt(norm: NormalizedText, sc: Scan, m: Span): boolean {
    for (const h of sc.habitual) {
      if (h.end > m.start || norm.clause[h.start] !== norm.clause[m.start]) continue;
      let renewed = false;
      for (const q of sc.present) if (q.start >= h.end && q.start < m.start) renewed = true;
      if (!renewed) return true;
    }
    return false;
  }

  /**
   * Time anchoring (unlessCloser): some match of the first group whose nearest marker in the
   * combo's unit — before it, else after it — is a match of the second group, not of the rules
   * that name another time.
   */
  function anchored(c: CompiledCombo, live: ReadonlyMap<number, Span[]>, norm: NormalizedText): boolean {
    const unit = c.scope === 'clause' ? norm.clause : c.scope === 'sentence' ? norm.sentence : null;
    const markers: { start: number; ours: boolean }[] = [];
    for (const r of c.all[1]!) for (const k of live.get(r) ?? []) markers.push({ start: k.start, ours: true });
    for (const r of c.unlessCloser) for (const k of live.get(r) ?? []) markers.push({ start: k.start, ours: false });
    for (const r of c.all[0]!) {
      for (const m of live.get(r) ?? []) {
        let before: { start: number; ours: boolean } | undefined;
        let after: { start: number; ours: boolean } | undefined;
        for (const k of markers) {
          if (unit && unit[k.start] !== unit[m.start]) continue;
          if (k.start < m.start) {
            if (!before || k.start > before.start) before = k;
          } else if (!after || k.start < after.start) after = k;
        }
        if ((before ?? after)?.ours) return true;
      }
    }
    return false;
  }

  /** A combo holds when every group has a live match, in one clause/sentence unless scope is "text". */
  function comboHolds(c: CompiledCombo, live: ReadonlyMap<number, Span[]>, norm: NormalizedText): boolean {
    for (const group of c.all) if (!group.some((r) => live.has(r))) return false;
    if (c.unlessCloser.length > 0) return anchored(c, live, norm);
    if (c.scope === 'text') return true;
    const unit = c.scope === 'clause' ? norm.clause : norm.sentence;
    const unitsOf = (group: readonly number[]): Set<number> => {
      const set = new Set<number>();
      for (const r of group) for (const m of live.get(r) ?? []) set.add(unit[m.start]!);
      return set;
    };
    const [first, ...others] = c.all.map(unitsOf);
    for (const u of first!) if (others.every((o) => o.has(u))) return true;
    return false;
  }

  function classify(input: ClassificationInput): Classification {
    const norm = normalize(typeof input.text === 'string' ? input.text : '');
    const sc = scan(norm);
    buildSequenceSpans(norm, sc);
    dropOverlaps(sc.spans);
    dropNeutralCues(sc);

    // Which rule matches survive negation, past and resolution.
    const suppressed: string[] = [];
    const negatedNeeds = new Set<Need>();
    const live = new Map<number, Span[]>();
    /** happeningNow rules with at least one match that is not a habit: only these raise urgency. */
    const happening = new Set<number>();
    const consider = (m: Span): void => {
      if (m.kind !== TERM || m.dropped) return;
      const rule = rules[m.rule]!;
      const neg = negatedBy(norm, sc, m, rule.negation);
      const past = neg ? null : rule.past ? pastBy(norm, sc, m) : null;
      if (neg || past) {
        // The pattern, not the raw span: a wildcard gap may hold a name.
        suppressed.push(`${rule.id}: ${m.display} (${neg ? `negated: ${neg}` : past})`);
        if (neg) for (const n of rule.needs) negatedNeeds.add(n);
        return;
      }
      if (rule.happeningNow) {
        if (habitualAt(norm, sc, m)) suppressed.push(`${rule.id}: ${m.display} (a habit: needs kept, urgency not raised)`);
        else happening.add(m.rule);
      }
      const list = live.get(m.rule);
      if (list) list.push(m);
      else live.set(m.rule, [m]);
    };
    for (const m of sc.spans) consider(m);
    for (const m of sc.cues) consider(m);

    // Rules → need scores (indexed like NEEDS) and urgency.
    const score = new Float64Array(NEEDS.length);
    const reasons: string[][] = NEEDS.map(() => []);
    const note = (n: number, why: string): void => {
      if (!reasons[n]!.includes(why)) reasons[n]!.push(why);
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
    const distinctTerms = (r: number): string[] => {
      const shown: string[] = [];
      for (const m of live.get(r) ?? []) if (!shown.includes(m.display)) shown.push(m.display);
      return shown;
    };
    const termsOf = (r: number): string => distinctTerms(r).join('、');
    const fired = [...live.keys()].sort((a, b) => a - b);
    for (const r of fired) {
      const rule = rules[r]!;
      if (rule.needs.length === 0 && !rule.urgency) continue; // a cue: only combos read it
      const why = `${rule.id}: ${termsOf(r)}`;
      // Each separate hint adds the rule's weight, so two different weak hints make a need.
      const weight = rule.weight * Math.min(separateHints(live.get(r)!), MAX_TERMS_COUNTED);
      for (const need of rule.needs) {
        const n = NEED_INDEX[need];
        score[n] = score[n]! + weight;
        note(n, why);
      }
      if (!rule.happeningNow || happening.has(r)) raise(rule.urgency, why);
    }
    for (const c of combos) {
      if (c.unless.some((r) => live.has(r)) || !comboHolds(c, live, norm)) continue;
      const why = `${c.id} (${c.all
        .map((g) =>
          g
            .filter((r) => live.has(r))
            .map(termsOf)
            .join('/'),
        )
        .join(' + ')})`;
      for (const need of c.needs) {
        const n = NEED_INDEX[need];
        score[n] = Math.max(score[n]!, settings.needThreshold);
        note(n, why);
      }
      raise(c.urgency, why);
    }

    // Priors (categoryHint, channel): strengthen weak evidence, or speak when the text names no need.
    const threshold = settings.needThreshold;
    const textIsSilent = !score.some((v) => v >= threshold);
    const hintPrior = input.categoryHint ? lex.lookupPrior(input.categoryHint) : undefined;
    const channelPrior = lex.channelPrior(input.channel);
    for (const prior of [hintPrior, channelPrior]) {
      if (!prior) continue;
      for (const need of prior.needs) {
        const n = NEED_INDEX[need];
        const v = score[n]!;
        if (v >= threshold) continue;
        if (v > 0 && v + settings.priorBoost >= threshold) {
          score[n] = v + settings.priorBoost;
          note(n, `prior: ${prior.key} (+${settings.priorBoost})`);
        } else if (textIsSilent && prior.whenSilent && !negatedNeeds.has(need)) {
          score[n] = threshold;
          note(n, `prior: ${prior.key} (the text names no need)`);
        }
      }
    }

    const needs = NEEDS.filter((_, n) => score[n]! >= threshold);
    if (needs.includes('safety_protection') && urgency === 'routine') {
      urgency = 'urgent';
      urgencyWhy.push('a safety_protection need is never routine');
    }

    const explanationNeeds: ClassificationExplanation['needs'] = {};
    for (const n of needs) explanationNeeds[n] = reasons[NEED_INDEX[n]]!;
    const division = resolveDivision(input, norm, sc);
    const explanation: ClassificationExplanation = { needs: explanationNeeds, urgency: urgencyWhy, division: division.explanation };
    if (suppressed.length > 0) explanation.suppressed = suppressed;
    return { needs, urgency, divisionCode: division.code, explanation };
  }

  function resolveDivision(input: ClassificationInput, norm: NormalizedText, sc: Scan): { code: string | null; explanation: string } {
    const structured = typeof input.divisionCode === 'string' ? input.divisionCode.trim() : '';
    const known = structured ? divisions.get(structured) : undefined;
    if (known && known.level !== 'province') {
      return { code: known.code, explanation: `structured field: ${known.code} ${known.name}` };
    }
    const blockers = sc.spans.filter((s) => s.kind === NEUTRAL);
    const fromText = resolveDivisionFromText(sc.divisions, norm, lex.divisionContext, blockers);
    if (!structured) return fromText;
    const why = known ? `structured field ${structured} names only the province` : `structured field ${structured} is not a known division code`;
    return { code: fromText.code, explanation: `${why}; ${fromText.explanation}` };
  }

  return { classify };
}
