// A prebuilt classifier: the compiled lexicon and the Traditional-character gate, written at build
// time so that a function's first intake neither compiles the lexicon (about 150 ms) nor validates
// it (about 30 ms). Two parts: a small JSON document (rules, sequences, combos, priors, the gate) and
// a binary one holding the automaton's tables, the key records and the details their payload
// entries point to (patterns, division names). Loading is a parse of the small document and
// typed-array views over the binary one: decoding a 1.5 MB JSON file instead took about 55 ms of
// every cold start. A detail is decoded when a text first uses it. The document records a hash of
// the sources it was built from; a prebuilt classifier whose hash does not match the lexicon and
// divisions beside it is not used.
import { automatonOf } from './automaton.js';
import type { DivisionName } from './division-finder.js';
import { DIVISION, PAYLOAD_DETAIL, PAYLOAD_KIND, payloadEntries, priorLookups, termNormaliser, type CompiledLexicon, type Pattern, type PayloadDetail, type PriorTables } from './compile.js';
import type { ToSimplified } from './simplify.js';

/** Raised when the format changes: a file of another version is not used. */
export const PREBUILT_FORMAT = 6;

/** The arrays of the binary part, each a run of little-endian 32-bit integers (every platform Lambda and these machines run on is little-endian). */
/** `charPairs` is the automaton's 64K character table as (character, value) pairs of its non-zero entries. */
const INT32_ARRAYS = ['charPairs', 'nodes', 'outputs', 'slots', 'keyRecords', 'detailStart'] as const;
type Int32ArrayName = (typeof INT32_ARRAYS)[number];

export interface PrebuiltClassifier {
  format: typeof PREBUILT_FORMAT;
  /** sha256 of the lexicon's files and the divisions it was compiled from (sourceHash in config). */
  sourceHash: string;
  automatonSize: number;
  /** Where each array lies in the binary part: byte offset and element count. `detailBytes` is UTF-8: each payload detail as JSON, detail d from detailStart[d] to detailStart[d + 1]. */
  arrays: Record<Int32ArrayName | 'detailBytes', [offset: number, length: number]>;
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

/** The non-zero entries of a table indexed by character, as flat (character, value) pairs. */
function nonZeroPairs(table: Int32Array): Int32Array {
  const pairs: number[] = [];
  table.forEach((v, c) => {
    if (v !== 0) pairs.push(c, v);
  });
  return Int32Array.from(pairs);
}

function fromPairs(pairs: Int32Array, table: Int32Array): Int32Array {
  for (let i = 0; i < pairs.length; i += 2) table[pairs[i]!] = pairs[i + 1]!;
  return table;
}

export function toPrebuilt(lex: CompiledLexicon, simplifyTriggers: readonly number[], sourceHash: string): { document: PrebuiltClassifier; binary: Uint8Array } {
  const t = lex.automaton.tables;
  const encoder = new TextEncoder();
  // Detail d belongs to the d-th entry that has one (compile.ts numbers them in entry order).
  const detailChunks: Uint8Array[] = [];
  for (const at of payloadEntries(lex.keyRecords)) {
    const d = lex.keyRecords[at + PAYLOAD_DETAIL]!;
    if (d < 0) continue;
    if (d !== detailChunks.length) throw new Error('prebuilt classifier: payload details out of order');
    const detail: PayloadDetail = lex.keyRecords[at + PAYLOAD_KIND] === DIVISION ? lex.divisionNameOf(d) : lex.patternOf(d);
    detailChunks.push(encoder.encode(JSON.stringify(detail)));
  }
  const detailStart = new Int32Array(detailChunks.length + 1);
  detailChunks.forEach((bytes, d) => (detailStart[d + 1] = detailStart[d]! + bytes.length));
  const ints: Record<Int32ArrayName, Int32Array> = {
    charPairs: nonZeroPairs(t.chars),
    nodes: t.nodes,
    outputs: t.outputs,
    slots: t.slots,
    keyRecords: lex.keyRecords,
    detailStart,
  };
  const intBytes = INT32_ARRAYS.reduce((n, name) => n + ints[name].byteLength, 0);
  const detailByteLength = detailStart[detailChunks.length]!;
  const binary = new Uint8Array(intBytes + detailByteLength);
  const arrays = {} as PrebuiltClassifier['arrays'];
  let at = 0;
  for (const name of INT32_ARRAYS) {
    const a = ints[name];
    binary.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    arrays[name] = [at, a.length];
    at += a.byteLength;
  }
  arrays.detailBytes = [at, detailByteLength];
  for (const chunk of detailChunks) {
    binary.set(chunk, at);
    at += chunk.length;
  }
  const gapChar: [number, number][] = [];
  lex.gapChar.forEach((v, c) => {
    if (v !== 0) gapChar.push([c, v]);
  });
  const document: PrebuiltClassifier = {
    format: PREBUILT_FORMAT,
    sourceHash,
    automatonSize: t.size,
    arrays,
    rules: lex.rules,
    sequences: lex.sequences,
    combos: lex.combos,
    settings: lex.settings,
    gapChar,
    divisionContext: lex.divisionContext,
    priors: lex.priors,
    simplifyTriggers: [...simplifyTriggers],
  };
  return { document, binary };
}

/** The compiled lexicon of a prebuilt classifier; `toSimplified` must be made from its simplifyTriggers. */
export function fromPrebuilt(p: PrebuiltClassifier, binary: Uint8Array, toSimplified: ToSimplified): CompiledLexicon {
  if (p.format !== PREBUILT_FORMAT) throw new Error(`prebuilt classifier: format ${String(p.format)}, expected ${PREBUILT_FORMAT}`);
  // Views need 4-byte alignment; a file read whole starts at offset 0, anything else is copied once.
  const bytes = binary.byteOffset % 4 === 0 ? binary : binary.slice();
  const view = (name: Int32ArrayName): Int32Array => {
    const [offset, length] = p.arrays[name];
    if (offset % 4 !== 0 || offset + length * 4 > bytes.byteLength) throw new Error(`prebuilt classifier: ${name} lies outside the binary part`);
    return new Int32Array(bytes.buffer, bytes.byteOffset + offset, length);
  };
  const [detailOffset, detailLength] = p.arrays.detailBytes;
  if (detailOffset + detailLength > bytes.byteLength) throw new Error('prebuilt classifier: the payload details lie outside the binary part');
  const detailBytes = bytes.subarray(detailOffset, detailOffset + detailLength);
  const detailStart = view('detailStart');
  const decoder = new TextDecoder();
  const details: (PayloadDetail | undefined)[] = [];
  const detailOf = (d: number): PayloadDetail => (details[d] ??= JSON.parse(decoder.decode(detailBytes.subarray(detailStart[d]!, detailStart[d + 1]!))) as PayloadDetail);
  const gapChar = new Uint8Array(0x10000);
  for (const [c, v] of p.gapChar) gapChar[c] = v;
  return {
    automaton: automatonOf({
      size: p.automatonSize,
      chars: fromPairs(view('charPairs'), new Int32Array(0x10000)),
      nodes: view('nodes'),
      outputs: view('outputs'),
      slots: view('slots'),
    }),
    keyRecords: view('keyRecords'),
    // An entry's kind says which of the two its detail is.
    patternOf: (d) => detailOf(d) as Pattern,
    divisionNameOf: (d) => detailOf(d) as DivisionName,
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
