// A prebuilt classifier: the compiled lexicon and the Traditional-character gate, written at build
// time so that a function's first intake neither compiles the lexicon (about 150 ms) nor validates
// it (about 30 ms). Two parts: a small JSON document (rules, sequences, combos, priors, the gate) and
// a binary one holding the automaton's tables, the sequence words and the payloads of every key.
// Loading is a parse of the small document and typed-array views over the binary one: decoding a
// 1.5 MB JSON file instead took about 55 ms of every cold start. A key's payloads are decoded when a
// text first matches it. The document records a hash of the sources it was built from; a prebuilt
// classifier whose hash does not match the lexicon and divisions beside it is not used.
import { automatonOf } from './automaton.js';
import { priorLookups, termNormaliser, type CompiledLexicon, type Payload, type PriorTables } from './compile.js';
import type { ToSimplified } from './simplify.js';

/** Raised when the format changes: a file of another version is not used. */
export const PREBUILT_FORMAT = 3;

/** The arrays of the binary part, each a run of little-endian 32-bit integers (every platform Lambda and these machines run on is little-endian). */
const INT32_ARRAYS = ['root', 'hNode', 'hChar', 'hNext', 'fail', 'outLink', 'outStart', 'outKeys', 'keyLength', 'seqWordStart', 'seqWords', 'payloadStart'] as const;
type Int32ArrayName = (typeof INT32_ARRAYS)[number];

export interface PrebuiltClassifier {
  format: typeof PREBUILT_FORMAT;
  /** sha256 of the lexicon's files and the divisions it was compiled from (sourceHash in config). */
  sourceHash: string;
  automatonSize: number;
  /** Where each array lies in the binary part: byte offset and element count. `payloadBytes` is UTF-8: each key's payloads as JSON, key k from payloadStart[k] to payloadStart[k + 1]. */
  arrays: Record<Int32ArrayName | 'payloadBytes', [offset: number, length: number]>;
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

export function toPrebuilt(lex: CompiledLexicon, simplifyTriggers: readonly number[], sourceHash: string): { document: PrebuiltClassifier; binary: Uint8Array } {
  const t = lex.automaton.tables;
  const encoder = new TextEncoder();
  const keys = lex.keyLength.length;
  const payloadChunks: Uint8Array[] = [];
  const payloadStart = new Int32Array(keys + 1);
  for (let k = 0; k < keys; k++) {
    const bytes = encoder.encode(JSON.stringify(lex.payloadsOf(k)));
    payloadChunks.push(bytes);
    payloadStart[k + 1] = payloadStart[k]! + bytes.length;
  }
  const ints: Record<Int32ArrayName, Int32Array> = {
    root: t.root,
    hNode: t.hNode,
    hChar: t.hChar,
    hNext: t.hNext,
    fail: t.fail,
    outLink: t.outLink,
    outStart: t.outStart,
    outKeys: t.outKeys,
    keyLength: lex.keyLength,
    seqWordStart: lex.seqWordStart,
    seqWords: lex.seqWords,
    payloadStart,
  };
  const intBytes = INT32_ARRAYS.reduce((n, name) => n + ints[name].byteLength, 0);
  const binary = new Uint8Array(intBytes + payloadStart[keys]!);
  const arrays = {} as PrebuiltClassifier['arrays'];
  let at = 0;
  for (const name of INT32_ARRAYS) {
    const a = ints[name];
    binary.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    arrays[name] = [at, a.length];
    at += a.byteLength;
  }
  arrays.payloadBytes = [at, payloadStart[keys]!];
  for (const chunk of payloadChunks) {
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
  const [payloadOffset, payloadLength] = p.arrays.payloadBytes;
  if (payloadOffset + payloadLength > bytes.byteLength) throw new Error('prebuilt classifier: the payloads lie outside the binary part');
  const payloadBytes = bytes.subarray(payloadOffset, payloadOffset + payloadLength);
  const payloadStart = view('payloadStart');
  const decoder = new TextDecoder();
  const payloads: (readonly Payload[] | undefined)[] = [];
  const gapChar = new Uint8Array(0x10000);
  for (const [c, v] of p.gapChar) gapChar[c] = v;
  return {
    automaton: automatonOf({
      size: p.automatonSize,
      root: view('root'),
      hNode: view('hNode'),
      hChar: view('hChar'),
      hNext: view('hNext'),
      fail: view('fail'),
      outLink: view('outLink'),
      outStart: view('outStart'),
      outKeys: view('outKeys'),
    }),
    keyLength: view('keyLength'),
    payloadsOf: (key) => (payloads[key] ??= JSON.parse(decoder.decode(payloadBytes.subarray(payloadStart[key]!, payloadStart[key + 1]!))) as Payload[]),
    seqWordStart: view('seqWordStart'),
    seqWords: view('seqWords'),
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
