// The modifiers of a match: is it negated (没有 家暴, 家暴倒是没有), in the past (以前 被打过),
// resolved (…现在已经离婚多年), or a habit (经常 吵架) rather than something happening now?
import type { CompiledLexicon } from './compile.js';
import type { NegationMode } from './lexicon.js';
import { isBoundary, type NormalizedText } from './normalize.js';
import { overlapsAny, type Mark, type Scan, type Span } from './spans.js';

/** Particles allowed between a trailing negation (家暴倒是没有) and the clause end. */
const TRAILING_PARTICLES = '的了啊呀过啦嘛呢吧';

export interface Modifiers {
  /** The negation cue that negates this match, if any. */
  negatedBy(norm: NormalizedText, sc: Scan, m: Span, mode: NegationMode): string | null;
  /** Why this match describes the past, if it does. */
  pastBy(norm: NormalizedText, sc: Scan, m: Span): string | null;
  /** True when a habit marker comes before the match in its clause with no present marker between. */
  habitualAt(norm: NormalizedText, sc: Scan, m: Span): boolean;
}

export function createModifiers(lex: Pick<CompiledLexicon, 'settings' | 'gapChar'>): Modifiers {
  const { settings, gapChar } = lex;

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

  return { negatedBy, pastBy, habitualAt };
}
