// What one scan of a text finds, and the geometry of matches: the types and helpers the scanner,
// the modifiers (negation, past, habit) and the classifier share.
import type { NEUTRAL, RESOLUTION, TERM } from './compile.js';
import type { DivisionMatch } from './division-finder.js';

export interface Span {
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

export interface Mark {
  start: number;
  end: number;
}

/** Everything one scan finds. */
export interface Scan {
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

export const overlaps = (a: Mark, b: Mark): boolean => a.start < b.end && b.start < a.end;

/** True when a span has a gap (被…打): the gap is not text the span claims. */
export const hasGap = (s: Span): boolean => s.headEnd < s.end || s.tailStart > s.start;

/** True when the literal text of span b overlaps from..to. */
function literalOverlapWith(from: number, to: number, b: Span): boolean {
  if (!hasGap(b)) return from < b.end && b.start < to;
  return (from < b.headEnd && b.start < to) || (from < b.end && b.tailStart < to);
}

/** True when the literal text of a and b overlaps (a phrase inside a gap does not count). Allocates nothing: it runs for every pair of nearby spans. */
export function literalOverlap(a: Span, b: Span): boolean {
  if (!overlaps(a, b)) return false;
  if (!hasGap(a)) return literalOverlapWith(a.start, a.end, b);
  return literalOverlapWith(a.start, a.headEnd, b) || literalOverlapWith(a.tailStart, a.end, b);
}

/** Number of matches with different wording that do not overlap each other (残疾人 and 残疾 in one place count once). */
export function separateHints(matches: readonly Span[]): number {
  const counted: Span[] = [];
  for (const m of matches) {
    if (counted.some((c) => c.display === m.display || overlaps(c, m))) continue;
    counted.push(m);
  }
  return counted.length;
}

export function overlapsAny(m: Mark, marks: readonly Mark[]): boolean {
  for (const q of marks) if (overlaps(q, m)) return true;
  return false;
}
