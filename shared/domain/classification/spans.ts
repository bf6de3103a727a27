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
const hasGap = (s: Span): boolean => s.headEnd < s.end || s.tailStart > s.start;

/** The literal regions of a span. */
function regions(s: Span | Mark): Mark[] {
  if (!('headEnd' in s) || !hasGap(s)) return [s];
  return [
    { start: s.start, end: s.headEnd },
    { start: s.tailStart, end: s.end },
  ];
}

/** Calls `visit` with each literal region of a span (one, or two around a gap), without allocating. */
export function forEachLiteralRegion(s: Span, visit: (from: number, to: number) => void): void {
  if (!hasGap(s)) visit(s.start, s.end);
  else {
    visit(s.start, s.headEnd);
    visit(s.tailStart, s.end);
  }
}

/** True when the literal text of a and b overlaps (a phrase inside a gap does not count). */
export function literalOverlap(a: Span | Mark, b: Span | Mark): boolean {
  if (!overlaps(a, b)) return false;
  for (const ra of regions(a)) for (const rb of regions(b)) if (overlaps(ra, rb)) return true;
  return false;
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
