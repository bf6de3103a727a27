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
const SURROGATE = 16; // half of a pair (or a lone half): decoded by String.fromCharCode, which keeps it as is
const TRIGGER = 32; // in a normaliser's own table only: the text needs converting to Simplified first
const CHAR = new Uint8Array(0x10000);
for (const c of [0x20, 0x09, 0x0b, 0x0c, 0xa0, 0x3000]) CHAR[c] = SPACE;
for (let c = 0xff01; c <= 0xff5e; c++) CHAR[c] = NEEDS_CLEANING;
for (let c = 0x41; c <= 0x5a; c++) CHAR[c] = NEEDS_CLEANING;
CHAR[0x0d] = NEEDS_CLEANING;
for (let c = 0xd800; c <= 0xdfff; c++) CHAR[c] = SURROGATE;
for (const ch of '，,、：: ~～—') CHAR[ch.charCodeAt(0)]! |= CLAUSE_END;
for (const ch of '。！？!?；;\n….') CHAR[ch.charCodeAt(0)]! |= SENTENCE_END;

/** True for CJK ideographs and the CJK symbol/punctuation blocks (where spaces carry no meaning). */
function isCjk(code: number): boolean {
  return code >= 0x2e80;
}

export function isBoundary(code: number): boolean {
  return ((CHAR[code] ?? 0) & (SENTENCE_END | CLAUSE_END)) !== 0;
}

/** Where one pass of cleanInto writes: the cleaned code units, and each one's clause and sentence. */
interface Buffers {
  codes: Uint16Array;
  clause: Int32Array;
  sentence: Int32Array;
}

const newBuffers = (length: number): Buffers => ({ codes: new Uint16Array(length), clause: new Int32Array(length), sentence: new Int32Array(length) });

/**
 * Cleans `raw` into the buffers (at least raw.length long) in one pass, numbering clauses and
 * sentences as it goes: full-width ASCII to half-width, upper to lower case, CR to LF, spaces
 * between two CJK characters removed (家 暴 → 家暴), other runs of spaces to one space (which ends
 * a clause). Returns the cleaned length, whether anything changed and whether there are surrogates.
 */
function cleanInto(raw: string, into: Buffers, table: Uint8Array = CHAR): { length: number; changed: boolean; surrogates: boolean; trigger: boolean } {
  const { codes, clause, sentence } = into;
  let n = 0;
  let c = 0;
  let s = 0;
  let changed = false;
  let surrogates = false;
  let pendingSpace = false;
  for (let i = 0; i < raw.length; i++) {
    let code = raw.charCodeAt(i);
    let kind = table[code]!;
    if (kind & (SPACE | NEEDS_CLEANING | SURROGATE | TRIGGER)) {
      // A character the converter rewrites: this pass is abandoned, the converted text cleaned instead.
      if (kind & TRIGGER) return { length: 0, changed: false, surrogates: false, trigger: true };
      if (kind & SURROGATE) surrogates = true;
      else {
        changed = true;
        if (kind & SPACE) {
          pendingSpace = true;
          continue;
        }
        if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
        if (code >= 0x41 && code <= 0x5a) code += 0x20;
        if (code === 0x0d) code = 0x0a;
        kind = CHAR[code]!;
      }
    }
    if (pendingSpace) {
      pendingSpace = false;
      if (n > 0 && !(isCjk(codes[n - 1]!) && isCjk(code))) {
        // The space ends a clause.
        codes[n] = 0x20;
        clause[n] = c++;
        sentence[n] = s;
        n++;
      }
    }
    codes[n] = code;
    clause[n] = c;
    sentence[n] = s;
    n++;
    if (kind & SENTENCE_END) {
      c++;
      s++;
    } else if (kind & CLAUSE_END) c++;
  }
  return { length: n, changed, surrogates, trigger: false };
}

const utf16 = new TextDecoder('utf-16le');

/** The string of the first `length` cleaned code units. */
function decode(codes: Uint16Array, length: number, surrogates: boolean): string {
  // TextDecoder is the fastest way from code units to a string, but it replaces a lone surrogate;
  // String.fromCharCode keeps every unit as it is (in slices: an argument list has a limit).
  if (!surrogates) return utf16.decode(new Uint8Array(codes.buffer, codes.byteOffset, length * 2));
  let out = '';
  for (let i = 0; i < length; i += 4096) out += String.fromCharCode(...codes.subarray(i, Math.min(length, i + 4096)));
  return out;
}

let termBuffers = newBuffers(64);

/** The cleaned form of a term or hint (the rules of cleanInto), as a string. */
export function cleanText(raw: string): string {
  if (raw.length > termBuffers.codes.length) termBuffers = newBuffers(raw.length * 2);
  const r = cleanInto(raw, termBuffers);
  return r.changed ? decode(termBuffers.codes, r.length, r.surrogates) : raw;
}

/**
 * The returned normaliser reuses its buffers between calls: a result is valid until the next
 * call (the classifier is synchronous and keeps nothing), which spares allocations per text.
 */
export function createNormalizer(toSimplified: ToSimplified): (raw: string) => NormalizedText {
  let buffers = newBuffers(512);
  // Nearly every text is Simplified already: with the converter's trigger characters in this
  // normaliser's table, the cleaning pass is also the check, and only a text holding one of them
  // is converted (and cleaned again).
  const gate = toSimplified.triggers ? CHAR.slice() : undefined;
  for (const c of toSimplified.triggers ?? []) gate![c] = gate![c]! | TRIGGER;
  return (raw) => {
    let text = raw;
    if (!gate) text = toSimplified(raw);
    if (text.length > buffers.codes.length) buffers = newBuffers(text.length * 2);
    let r = cleanInto(text, buffers, gate);
    if (r.trigger) {
      text = toSimplified(raw);
      if (text.length > buffers.codes.length) buffers = newBuffers(text.length * 2);
      r = cleanInto(text, buffers);
    }
    return { text: r.changed ? decode(buffers.codes, r.length, r.surrogates) : text, clause: buffers.clause, sentence: buffers.sentence };
  };
}
