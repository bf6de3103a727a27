// The scanner: one Aho–Corasick pass over a normalised text finds every term, cue and division
// name; sequence rules chain their words (拿 … 菜刀 … 砍); overlapping readings are settled (the
// longest wins: 打电话 cancels 打, 已经离婚 cancels 离婚).
import { DIVISION, HABITUAL, NEG_AFTER, NEG_FACTS, NEG_WANTS, NEUTRAL, PAST, PRESENT, QUESTION, RESOLUTION, TERM, type CompiledLexicon } from './compile.js';
import type { NormalizedText } from './normalize.js';
import { literalOverlap, type Mark, type Scan, type Span } from './spans.js';

/** A few chains per sequence are enough to decide; bounds the work on long texts. */
const MAX_CHAINS = 4;

/** A scanner for one compiled lexicon. Not re-entrant: it reuses its buffers between calls (one text at a time). */
export function createScanner(lex: CompiledLexicon): (norm: NormalizedText) => Scan {
  const { rules, sequences, settings, seqWordStart, seqWords, keyLength } = lex;

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
      const wordsEnd = seqWordStart[k + 1]!;
      if (seqWordStart[k]! < wordsEnd) {
        for (let w = seqWordStart[k]!; w < wordsEnd; w += 2) {
          const q = seqWords[w]!;
          const part = seqWords[w + 1]!;
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
      const ps = lex.payloadsOf(k);
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

  return (norm) => {
    const sc = scan(norm);
    buildSequenceSpans(norm, sc);
    dropOverlaps(sc.spans);
    dropNeutralCues(sc);
    return sc;
  };
}
