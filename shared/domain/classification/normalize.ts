// Turns raw intake text into the form every lexicon term is matched against, and records where
// clauses and sentences end (negation reaches only within a clause, past markers within a sentence).
import type { ToSimplified } from './simplify.js';

export interface NormalizedText {
  /** Simplified, half-width, lower-case text; boundary characters are kept, so positions are stable. */
  text: string;
  /** clause[i]: index of the clause that position i belongs to (a boundary char belongs to the clause it ends). */
  clause: Int32Array;
  /** sentence[i]: index of the sentence that position i belongs to. */
  sentence: Int32Array;
}

const SENTENCE_END = new Set([...'。！？!?；;\n…'].map((c) => c.charCodeAt(0)));
const CLAUSE_END = new Set([...'，,、：: ~～—'].map((c) => c.charCodeAt(0)));
const SPACES = new Set([0x20, 0x09, 0x0b, 0x0c, 0xa0, 0x3000]);

/** True for CJK ideographs and the CJK symbol/punctuation blocks (where spaces carry no meaning). */
function isCjk(code: number): boolean {
  return code >= 0x2e80;
}

export function isSentenceEnd(code: number): boolean {
  return SENTENCE_END.has(code) || code === 0x2e; // "." too
}

export function isBoundary(code: number): boolean {
  return isSentenceEnd(code) || CLAUSE_END.has(code);
}

/**
 * Character-level clean-up: full-width ASCII to half-width, upper to lower case, CR to LF,
 * spaces between two CJK characters removed (家 暴 → 家暴), other runs of spaces to one space
 * (which ends a clause).
 */
export function cleanText(raw: string): string {
  // Fast path: most text needs no change, so check before building a new string.
  let first = 0;
  while (first < raw.length && !needsCleaning(raw.charCodeAt(first))) first++;
  if (first === raw.length) return raw;
  let out = raw.slice(0, first);
  let pendingSpace = false;
  for (let i = first; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (SPACES.has(c)) {
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

function needsCleaning(c: number): boolean {
  return SPACES.has(c) || (c >= 0xff01 && c <= 0xff5e) || (c >= 0x41 && c <= 0x5a) || c === 0x0d;
}

export function createNormalizer(toSimplified: ToSimplified): (raw: string) => NormalizedText {
  return (raw) => {
    const text = cleanText(toSimplified(raw));
    const clause = new Int32Array(text.length);
    const sentence = new Int32Array(text.length);
    let c = 0;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      clause[i] = c;
      sentence[i] = s;
      const code = text.charCodeAt(i);
      if (isSentenceEnd(code)) {
        c++;
        s++;
      } else if (CLAUSE_END.has(code)) c++;
    }
    return { text, clause, sentence };
  };
}
