// A prebuilt classifier: the compiled lexicon (automaton tables, payloads, rules, sequences, combos,
// priors) and the Traditional-character gate, written at build time as JSON so that a function's
// first intake does not compile the lexicon (about 150 ms) nor validate it (about 30 ms): loading is
// a JSON parse and a few typed-array copies. It records a hash of the sources it was built from; a
// prebuilt file whose hash does not match the lexicon and divisions beside it is not used.
import { automatonOf, packTables, unpackTables, type PackedTables } from './automaton.js';
import { priorLookups, termNormaliser, type CompiledLexicon, type PriorTables } from './compile.js';
import type { ToSimplified } from './simplify.js';

/** Raised when the format changes: a file of another version is not used. */
export const PREBUILT_FORMAT = 2;

type Int32Fields = Exclude<keyof PackedTables, 'size' | 'tableSize'>;
const INT32_FIELDS: readonly Int32Fields[] = ['root', 'edges', 'fail', 'outLink', 'outStart', 'outKeys'];

export interface PrebuiltClassifier {
  format: typeof PREBUILT_FORMAT;
  /** sha256 of the lexicon's files and the divisions it was compiled from (sourceHash in config). */
  sourceHash: string;
  automaton: { size: number; tableSize: number } & Record<Int32Fields, string>;
  keyLength: string;
  payloads: CompiledLexicon['payloads'];
  seqWords: (number[] | null)[];
  rules: CompiledLexicon['rules'];
  sequences: CompiledLexicon['sequences'];
  combos: CompiledLexicon['combos'];
  settings: CompiledLexicon['settings'];
  /** gapChar as [char code, value] for the characters that have one. */
  gapChar: [number, number][];
  divisionContext: CompiledLexicon['divisionContext'];
  priors: PriorTables;
  /** The characters that send a text through opencc (simplify.ts). */
  simplifyTriggers: number[];
}

// Typed arrays travel as base64 of their little-endian bytes (every platform Lambda and these
// machines run on is little-endian).
const encode = (a: Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function decode(s: string): Int32Array {
  const bytes = Buffer.from(s, 'base64');
  const out = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function toPrebuilt(lex: CompiledLexicon, simplifyTriggers: readonly number[], sourceHash: string): PrebuiltClassifier {
  const t = packTables(lex.automaton.tables);
  const gapChar: [number, number][] = [];
  lex.gapChar.forEach((v, c) => {
    if (v !== 0) gapChar.push([c, v]);
  });
  return {
    format: PREBUILT_FORMAT,
    sourceHash,
    automaton: { size: t.size, tableSize: t.tableSize, ...(Object.fromEntries(INT32_FIELDS.map((f) => [f, encode(t[f])])) as Record<Int32Fields, string>) },
    keyLength: encode(lex.keyLength),
    payloads: lex.payloads,
    seqWords: lex.seqWords.map((w) => (w ? [...w] : null)),
    rules: lex.rules,
    sequences: lex.sequences,
    combos: lex.combos,
    settings: lex.settings,
    gapChar,
    divisionContext: lex.divisionContext,
    priors: lex.priors,
    simplifyTriggers: [...simplifyTriggers],
  };
}

/** The compiled lexicon of a prebuilt classifier; `toSimplified` must be made from its simplifyTriggers. */
export function fromPrebuilt(p: PrebuiltClassifier, toSimplified: ToSimplified): CompiledLexicon {
  if (p.format !== PREBUILT_FORMAT) throw new Error(`prebuilt classifier: format ${String(p.format)}, expected ${PREBUILT_FORMAT}`);
  const tables = unpackTables({
    size: p.automaton.size,
    tableSize: p.automaton.tableSize,
    ...(Object.fromEntries(INT32_FIELDS.map((f) => [f, decode(p.automaton[f])])) as Record<Int32Fields, Int32Array>),
  });
  const gapChar = new Uint8Array(0x10000);
  for (const [c, v] of p.gapChar) gapChar[c] = v;
  return {
    automaton: automatonOf(tables),
    keyLength: decode(p.keyLength),
    payloads: p.payloads,
    seqWords: p.seqWords.map((w) => (w ? Int32Array.from(w) : null)),
    rules: p.rules,
    sequences: p.sequences,
    combos: p.combos,
    settings: p.settings,
    gapChar,
    divisionContext: p.divisionContext,
    priors: p.priors,
    ...priorLookups(p.priors, termNormaliser(toSimplified)),
  };
}
