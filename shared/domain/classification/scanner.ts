// The scanner: one Aho–Corasick pass over a normalised text finds every term, cue and division
// name; sequence rules chain their words (拿 … 菜刀 … 砍); overlapping readings are settled (the
// longest wins: 打电话 cancels 打, 已经离婚 cancels 离婚).
import {
  DIVISION,
  HABITUAL,
  KEY_HEADER,
  KEY_LENGTH,
  KEY_PAYLOAD_INTS,
  KEY_SEQ_INTS,
  NEG_AFTER,
  NEG_FACTS,
  NEG_WANTS,
  NEUTRAL,
  PAST,
  PAYLOAD_DETAIL,
  PAYLOAD_FIELDS,
  PAYLOAD_KIND,
  PAYLOAD_LITERAL,
  PAYLOAD_AFTER_GAP,
  PAYLOAD_RULE,
  PRESENT,
  QUESTION,
  RESOLUTION,
  TERM,
  type CompiledLexicon,
} from './compile.js';
import type { NormalizedText } from './normalize.js';
import { hasGap, literalOverlap, type Scan, type Span } from './spans.js';

/** A few chains per sequence are enough to decide; bounds the work on long texts. */
const MAX_CHAINS = 4;

// An entry of the sequence-word buffer: the word's part, start and end, and the next entry of
// the same sequence (-1 for none).
const ENTRY = 4;
const PART = 0;
const START = 1;
const END = 2;
const NEXT = 3;

/**
 * Sorts spans by start, the longer first on the same start: an insertion sort, since a text has a
 * few dozen spans and the scan finds them nearly in order (Array.prototype.sort with a comparator
 * cost more than the rest of the overlap step).
 */
function sortByStartLongestFirst(spans: Span[]): void {
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i]!;
    let j = i - 1;
    for (; j >= 0 && (spans[j]!.start > s.start || (spans[j]!.start === s.start && spans[j]!.end < s.end)); j--) spans[j + 1] = spans[j]!;
    spans[j + 1] = s;
  }
}

/** A scanner for one compiled lexicon. Not re-entrant: it reuses its buffers between calls (one text at a time). */
export function createScanner(lex: CompiledLexicon): (norm: NormalizedText) => Scan {
  const { rules, sequences, settings, keyRecords } = lex;

  // Sequence words are frequent (我, 人, 打) and most sequences never complete, so their matches
  // go to a flat buffer (part, start, end, next of the same sequence) with a bitmask of parts seen per sequence, and
  // objects are made only for sequences whose every part matched. Reused between calls.
  const seqSeen = new Uint32Array(sequences.length);
  const seqFull = sequences.map((q) => (q.parts >= 32 ? 0xffffffff : 2 ** q.parts - 1) >>> 0);
  let seqBuf = new Int32Array(ENTRY * 256);
  let seqCount = 0;
  // The entries of each sequence in this text, as a list through their NEXT fields.
  const firstEntry = new Int32Array(sequences.length);
  const lastEntry = new Int32Array(sequences.length);
  // The sequences with a word in this text (at most one entry each: a sequence is added when its first word is seen).
  const touched = new Int32Array(sequences.length);
  let touchedCount = 0;

  /** True when character `code` is in text from `from` to `to` (inclusive). */
  function charWithin(text: string, code: number, from: number, to: number): boolean {
    const last = Math.min(to, text.length - 1);
    for (let i = from; i <= last; i++) if (text.charCodeAt(i) === code) return true;
    return false;
  }

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
    for (let t = 0; t < touchedCount; t++) seqSeen[touched[t]!] = 0;
    touchedCount = 0;
    seqCount = 0;
    const found = lex.automaton.scan(norm.text);
    for (let f = 0; f < found.count; f++) {
      const k = found.keys[f]!; // the offset of the key's record
      const headEnd = found.ends[f]!;
      const start = headEnd - keyRecords[k + KEY_LENGTH]!;
      const words = k + KEY_HEADER;
      const wordsEnd = words + keyRecords[k + KEY_SEQ_INTS]!;
      if (words < wordsEnd) {
        for (let w = words; w < wordsEnd; w += 2) {
          const q = keyRecords[w]!;
          const part = keyRecords[w + 1]!;
          // A word of part k can only extend a chain when words of parts 0..k-1 were already
          // seen (they must end before it starts, and matches come in order of their end).
          const before = (1 << part) - 1;
          const seen = seqSeen[q]!;
          if ((seen & before) !== before) continue;
          if (seen === 0) {
            touched[touchedCount++] = q;
            firstEntry[q] = seqCount;
          } else seqBuf[lastEntry[q]! * ENTRY + NEXT] = seqCount;
          lastEntry[q] = seqCount;
          seqSeen[q] = seen | (1 << part);
          if (seqCount * ENTRY === seqBuf.length) {
            const grown = new Int32Array(seqBuf.length * 2);
            grown.set(seqBuf);
            seqBuf = grown;
          }
          const at = seqCount * ENTRY;
          seqBuf[at + PART] = part;
          seqBuf[at + START] = start;
          seqBuf[at + END] = headEnd;
          seqBuf[at + NEXT] = -1;
          seqCount++;
        }
      }
      const entriesEnd = wordsEnd + keyRecords[k + KEY_PAYLOAD_INTS]!;
      for (let at = wordsEnd; at < entriesEnd; at += PAYLOAD_FIELDS) {
        const kind = keyRecords[at + PAYLOAD_KIND]!;
        switch (kind) {
          case TERM:
          case NEUTRAL:
          case RESOLUTION: {
            const afterGap = keyRecords[at + PAYLOAD_AFTER_GAP]!;
            const wildcard = afterGap >= 0;
            if (wildcard && !charWithin(norm.text, afterGap, headEnd, headEnd + settings.wildcardMaxGap)) break;
            const pattern = lex.patternOf(keyRecords[at + PAYLOAD_DETAIL]!);
            const end = wildcard ? wildcardEnd(norm, start, headEnd, pattern.rest) : headEnd;
            if (end < 0) break;
            const tailStart = wildcard ? end - pattern.rest[pattern.rest.length - 1]!.length : start;
            const rule = keyRecords[at + PAYLOAD_RULE]!;
            const span: Span = { kind, rule, start, end, headEnd, tailStart, literal: keyRecords[at + PAYLOAD_LITERAL]!, display: pattern.display, dropped: false };
            (kind === TERM && !rules[rule]!.competes ? s.cues : s.spans).push(span);
            if (kind === RESOLUTION) s.resolutions.push(span);
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
            s.divisions.push({ name: lex.divisionNameOf(keyRecords[at + PAYLOAD_DETAIL]!), start, end: headEnd });
            break;
        }
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const q = touched[t]!;
      if (seqSeen[q] === seqFull[q]) s.completeSeqs.push(q);
    }
    return s;
  }

  // cover[i]: the most literal characters of a span (of those given to coverOf) whose literal
  // text covers position i. Reused between calls.
  let cover = new Int32Array(512);

  /** Raises `cover` to `literal` from `from` to `to`. */
  function claim(from: number, to: number, literal: number): void {
    for (let i = from; i < to; i++) if (cover[i]! < literal) cover[i] = literal;
  }

  /** Fills `cover` with the spans of the given kind, or all (their gaps, 被…打, claim nothing). */
  function coverOf(length: number, spans: readonly Span[], kind?: Span['kind']): void {
    if (cover.length < length) cover = new Int32Array(length * 2);
    cover.fill(0, 0, length);
    // Each literal region written out, without a callback (which would make a closure a span).
    for (const b of spans) {
      if (kind !== undefined && b.kind !== kind) continue;
      if (!hasGap(b)) claim(b.start, b.end, b.literal);
      else {
        claim(b.start, b.headEnd, b.literal);
        claim(b.tailStart, b.end, b.literal);
      }
    }
  }

  /** The most `cover` from `from` to `to`, or `most` if more. */
  function coverWithin(from: number, to: number, most: number): number {
    for (let i = from; i < to; i++) if (cover[i]! > most) most = cover[i]!;
    return most;
  }

  /** The most `cover` over the literal text of span s. */
  function coverOver(s: Span): number {
    return hasGap(s) ? coverWithin(s.tailStart, s.end, coverWithin(s.start, s.headEnd, 0)) : coverWithin(s.start, s.end, 0);
  }

  /** A sequence word inside a longer term or neutral phrase does not count (抽 in 抽烟, 刺 in 刺绣). */
  function blocked(entry: number): boolean {
    const start = seqBuf[entry * ENTRY + START]!;
    const end = seqBuf[entry * ENTRY + END]!;
    for (let i = start; i < end; i++) if (cover[i]! > end - start) return true;
    return false;
  }

  /** True when every character from `from` to `to` is one the sequence allows between its words. */
  function gapAllowed(text: string, from: number, to: number, allowed: string | null): boolean {
    if (allowed === null) return true;
    for (let i = from; i < to; i++) if (!allowed.includes(text[i]!)) return false;
    return true;
  }

  // chain[p]: the entry of part p in the chain being built.
  const chain = new Int32Array(sequences.reduce((most, q) => Math.max(most, q.parts), 1));

  /**
   * Turns sequence word matches into rule spans: a word of each part in order, each starting
   * within maxGap characters after the previous one ends, all in one clause. Walks each complete
   * sequence's list of entries in the flat buffer (in order of their end).
   */
  function buildSequenceSpans(norm: NormalizedText, sc: Scan): void {
    if (sc.completeSeqs.length === 0) return;
    coverOf(norm.text.length, sc.spans); // terms and neutral phrases, before any sequence's span is added
    for (const q of sc.completeSeqs) {
      const seq = sequences[q]!;
      let found = 0;
      for (let first = firstEntry[q]!; first >= 0; first = seqBuf[first * ENTRY + NEXT]!) {
        if (seqBuf[first * ENTRY + PART] !== 0 || blocked(first)) continue;
        const firstStart = seqBuf[first * ENTRY + START]!;
        let prevStart = firstStart;
        let prevEnd = seqBuf[first * ENTRY + END]!;
        let literal = prevEnd - firstStart;
        chain[0] = first;
        let complete = true;
        for (let part = 1; part < seq.parts && complete; part++) {
          let next = -1;
          for (let e = firstEntry[q]!; e >= 0; e = seqBuf[e * ENTRY + NEXT]!) {
            if (seqBuf[e * ENTRY + PART] !== part) continue;
            const start = seqBuf[e * ENTRY + START]!;
            if (start >= prevEnd && start - prevEnd <= seq.maxGap && norm.clause[start] === norm.clause[firstStart] && gapAllowed(norm.text, prevEnd, start, seq.gapChars) && !blocked(e)) {
              next = e;
              break;
            }
          }
          if (next < 0) complete = false;
          else {
            prevStart = seqBuf[next * ENTRY + START]!;
            prevEnd = seqBuf[next * ENTRY + END]!;
            literal += prevEnd - prevStart;
            chain[part] = next;
          }
        }
        if (!complete) continue;
        // Its wording, written only for a chain that completes.
        let display = norm.text.slice(firstStart, seqBuf[first * ENTRY + END]!);
        for (let part = 1; part < seq.parts; part++) display += '…' + norm.text.slice(seqBuf[chain[part]! * ENTRY + START]!, seqBuf[chain[part]! * ENTRY + END]!);
        const span: Span = {
          kind: TERM,
          rule: seq.rule,
          start: firstStart,
          end: prevEnd,
          headEnd: seqBuf[first * ENTRY + END]!,
          tailStart: prevStart,
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
    sortByStartLongestFirst(spans);
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
  function dropNeutralCues(norm: NormalizedText, sc: Scan): void {
    if (sc.cues.length === 0 || !sc.spans.some((n) => n.kind === NEUTRAL)) return;
    coverOf(norm.text.length, sc.spans, NEUTRAL);
    for (const c of sc.cues) if (coverOver(c) >= c.literal) c.dropped = true;
  }

  return (norm) => {
    const sc = scan(norm);
    buildSequenceSpans(norm, sc);
    dropOverlaps(sc.spans);
    dropNeutralCues(norm, sc);
    return sc;
  };
}
