// Turns raw intake text into the form every lexicon term is matched against, and records where
// clauses and sentences end (negation reaches only within a clause, past markers within a sentence).
import type { ToSimplified } from './simplify.js';

export interface NormalizedText {
  /** Simplified, half-width, lower-case text; boundary characters are kept, so positions are stable. */
  text: string;
  /**
   * clause[i]: index of the clause that position i belongs to (a boundary char belongs to the
   * clause it ends). May be longer than text; entries past text.length are meaningless.
   */
  clause: Int32Array;
  /** sentence[i]: index of the sentence that position i belongs to. */
  sentence: Int32Array;
}

// One lookup table for every per-character decision, so the hot loops do no Set or regex work.
const SPACE = 1;
const NEEDS_CLEANING = 2; // full-width ASCII, upper case, CR
const CLAUSE_END = 4;
const SENTENCE_END = 8;
const CHAR = new Uint8Array(0x10000);
for (const c of [0x20, 0x09, 0x0b, 0x0c, 0xa0, 0x3000]) CHAR[c] = SPACE;
for (let c = 0xff01; c <= 0xff5e; c++) CHAR[c] = NEEDS_CLEANING;
for (let c = 0x41; c <= 0x5a; c++) CHAR[c] = NEEDS_CLEANING;
CHAR[0x0d] = NEEDS_CLEANING;
for (const ch of '，,、：: ~～—') CHAR[ch.charCodeAt(0)]! |= CLAUSE_END;
for (const ch of '。！？!?；;\n….') CHAR[ch.charCodeAt(0)]! |= SENTENCE_END;

/** True for CJK ideographs and the CJK symbol/punctuation blocks (where spaces carry no meaning). */
function isCjk(code: number): boolean {
  return code >= 0x2e80;
}

export function isSentenceEnd(code: number): boolean {
  return ((CHAR[code] ?? 0) & SENTENCE_END) !== 0;
}

export function isBoundary(code: number): boolean {
  return ((CHAR[code] ?? 0) & (SENTENCE_END | CLAUSE_END)) !== 0;
}

/**
 * Character-level clean-up: full-width ASCII to half-width, upper to lower case, CR to LF,
 * spaces between two CJK characters removed (家 暴 → 家暴), other runs of spaces to one space
 * (which ends a clause).
 */
export function cleanText(raw: string): string {
  // Fast path: most text needs no change, so check before building a new string.
  let first = 0;
  while (first < raw.length && ((CHAR[raw.charCodeAt(first)] ?? 0) & (SPACE | NEEDS_CLEANING)) === 0) first++;
  if (first === raw.length) return raw;
  let out = raw.slice(0, first);
  let pendingSpace = false;
  for (let i = first; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if ((CHAR[c]! & SPACE) !== 0) {
      pendingSpace = true;
      continue;
    }
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c === 0x0d) c = 0x0a;
    if (pendingSpace) {
      const prev = out.length > 0 ? out.charCodeAt(out.length - 1) : 0;
      if (out.length > 0 && !(isCjk(prev) && isCjk(c))) out += ' ';
      pendingSpace = false;
    }
    out += String.fromCharCode(c);
  }
  return out;
}

/**
 * The returned normaliser reuses its boundary buffers between calls: a result is valid until the
 * next call (the classifier is synchronous and keeps nothing), which spares two allocations per text.
 */
export function createNormalizer(toSimplified: ToSimplified): (raw: string) => NormalizedText {
  let clause = new Int32Array(512);
  let sentence = new Int32Array(512);
  return (raw) => {
    const text = cleanText(toSimplified(raw));
    if (text.length > clause.length) {
      clause = new Int32Array(text.length * 2);
      sentence = new Int32Array(text.length * 2);
    }
    let c = 0;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      clause[i] = c;
      sentence[i] = s;
      const kind = CHAR[text.charCodeAt(i)]!;
      if (kind & SENTENCE_END) {
        c++;
        s++;
      } else if (kind & CLAUSE_END) c++;
    }
    return { text, clause, sentence };
  };
}
