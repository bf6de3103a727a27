// Traditional → Simplified conversion for matching, built once per process from opencc's
// dictionaries (opencc-js ships them) and its algorithm (dictionary-converter.ts).
// Why a gate: the opencc converter costs several microseconds per text even on text that is
// already Simplified, which is most of the traffic. We precompute, from opencc's own
// dictionaries, the characters that only Traditional text contains; text without one of them
// is returned as is, and only the rest pays for the full (phrase-aware) conversion.
import { dictionaryConverter } from './dictionary-converter.js';
// The dictionaries this conversion uses (#opencc-dictionaries: package.json's imports; in a function
// bundle, a data file read when first needed).
import { openccDictionaries } from '#opencc-dictionaries';

/**
 * Traditional → Simplified for matching. `triggers`, when given, lists the code units without which
 * a text comes back unchanged: a caller that reads every character anyway (the normaliser) checks
 * for them on its way and calls the converter only when one is there.
 */
export type ToSimplified = ((text: string) => string) & { readonly triggers?: readonly number[] };

/** Source→target pairs of one opencc dictionary string ("src dst|src dst"). */
function pairsOf(dict: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const entry of dict.split('|')) {
    const [src, dst] = entry.split(' ');
    if (src && dst !== undefined) pairs.push([src, dst]);
  }
  return pairs;
}

/** Code units that a dictionary's conversion could rewrite, compared position by position. */
function sourceChars(dicts: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (const dict of dicts) {
    for (const [src, dst] of pairsOf(dict)) {
      if (src === dst) continue;
      if (src.length === dst.length) {
        for (let i = 0; i < src.length; i++) if (src[i] !== dst[i]) set.add(src.charCodeAt(i));
      } else {
        for (let i = 0; i < src.length; i++) if (!dst.includes(src[i]!)) set.add(src.charCodeAt(i));
      }
    }
  }
  return set;
}

/**
 * The 6,763 characters of GB 2312, the basic Simplified set. Decoded from its byte ranges with
 * the platform's decoder, so no character table has to be shipped.
 */
function gb2312Chars(): Set<number> {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder('gb2312');
  } catch {
    // A Node built without full ICU has no GB decoders: gate on the dictionaries alone
    // (correct, just converts a little more often).
    return new Set();
  }
  const set = new Set<number>();
  for (let hi = 0xb0; hi <= 0xf7; hi++) {
    const last = hi === 0xd7 ? 0xf9 : 0xfe; // row 0xD7 ends early in GB 2312
    const bytes = new Uint8Array((last - 0xa1 + 1) * 2);
    for (let lo = 0xa1, k = 0; lo <= last; lo++, k += 2) {
      bytes[k] = hi;
      bytes[k + 1] = lo;
    }
    const chars = decoder.decode(bytes);
    for (let i = 0; i < chars.length; i++) set.add(chars.charCodeAt(i));
  }
  return set;
}

/** Where a clause ends for the conversion: ，。！？；,.!?; and a line break. */
const CLAUSE_ENDS = Array.from('，。！？；,.!?;\n', (c) => c.charCodeAt(0));
const TRIGGER = 1;
const CLAUSE_END = 2;

/**
 * The characters whose presence sends a text through opencc: some dictionary rewrites them and they
 * are not GB 2312 characters (說 does; 吃/台, rewritten only between variant steps, and 乾 of 乾安县
 * do not). About 35 ms to work out: a prebuilt classifier carries the list.
 */
export function simplifyTriggers(): number[] {
  const d = openccDictionaries();
  const trigger = sourceChars([d.twVariantsRevPhrases, d.twVariantsRev, d.hkVariantsRevPhrases, d.hkVariantsRev, d.tsPhrases, d.tsCharacters, d.cjkCompatibility]);
  for (const c of gb2312Chars()) trigger.delete(c);
  return [...trigger].sort((a, b) => a - b);
}

/**
 * Builds the converter: opencc's Taiwan and Hong Kong variant dictionaries in one step, then its
 * Traditional→Simplified dictionaries (the dictionaries of opencc's tw2s and hk2s configurations).
 * One combined step rather than two chained converters ({from:'tw'} then {from:'hk'}), because a
 * chain re-converts the first one's output and loses phrase protection (乾安縣 → 乾安县 → 干安县).
 */
export function createToSimplified(options: { triggers?: readonly number[] } = {}): ToSimplified {
  // The converter's tables take about 20 ms to build: built on the first text
  // that needs it, not at every cold start, since nearly every intake is already Simplified.
  let converter: ((text: string) => string) | undefined;
  const build = () => {
    const d = openccDictionaries();
    return dictionaryConverter([d.cjkCompatibility], [d.twVariantsRevPhrases, d.hkVariantsRevPhrases, d.twVariantsRev, d.hkVariantsRev], [d.tsPhrases, d.tsCharacters]);
  };
  const convert = (text: string) => (converter ??= build())(text);
  // One flat table: whether a code unit sends its clause through the converter, and whether it ends a clause.
  const triggers = options.triggers ?? simplifyTriggers();
  const flags = new Uint8Array(0x10000);
  for (const c of triggers) flags[c] = TRIGGER;
  for (const c of CLAUSE_ENDS) flags[c] = flags[c]! | CLAUSE_END;
  const toSimplified = (text: string): string => {
    const n = text.length;
    let t = 0;
    while (t < n && (flags[text.charCodeAt(t)]! & TRIGGER) === 0) t++;
    if (t === n) return text;
    // Convert clause by clause, only the clauses that need it: cheaper, and a Simplified clause
    // such as "乾安县。" in mixed text is left alone instead of becoming 干安县. A clause runs to
    // its ending mark, included.
    let out = '';
    let copiedTo = 0;
    while (t < n) {
      let start = t;
      while (start > copiedTo && (flags[text.charCodeAt(start - 1)]! & CLAUSE_END) === 0) start--;
      let end = t;
      while (end < n && (flags[text.charCodeAt(end)]! & CLAUSE_END) === 0) end++;
      end = Math.min(end + 1, n);
      out += text.slice(copiedTo, start) + convert(text.slice(start, end));
      copiedTo = t = end;
      while (t < n && (flags[text.charCodeAt(t)]! & TRIGGER) === 0) t++;
    }
    return out + text.slice(copiedTo);
  };
  return Object.assign(toSimplified, { triggers });
}

let shared: ToSimplified | undefined;

/**
 * Makes `toSimplified` the process-wide converter, unless one is already in use: a prebuilt
 * classifier hands over its converter (made from its precomputed gate), so that the danger screen
 * does not work the gate out again at cold start.
 */
export function shareToSimplified(toSimplified: ToSimplified): void {
  shared ??= toSimplified;
}
/** The process-wide converter (its gate built on first use in a few milliseconds; opencc's tries on the first Traditional text). */
export function sharedToSimplified(): ToSimplified {
  shared ??= createToSimplified();
  return shared;
}
