// A second opinion for the danger screen: a naive Bayes model over the character bigrams and
// trigrams of an intake, trained on the project's own labelled sets (emergency or not). It knows
// no rule: it has seen how emergencies are worded and scores how much a new text looks like them,
// so it catches wordings the cue list has never met. Pure: training and scoring are functions of
// the data; the trained model is a data file (data/danger-model.tsv, `npm run screen:train`).
import { cleanText } from '../classification/normalize.js';

export interface LabelledText {
  text: string;
  emergency: boolean;
}

/** Per n-gram: in how many emergency and other documents it occurs (a Map when trained, packed arrays when read from the file). */
export interface GramCounts {
  get(gram: string): readonly [number, number] | undefined;
  readonly size: number;
  entries(): IterableIterator<[string, readonly [number, number]]>;
}

export interface NgramModel {
  /** Documents of each class in the training data. */
  docs: { emergency: number; other: number };
  grams: GramCounts;
  /** Scores at or above this flag a possible emergency (chosen by cross-validation, see train()). */
  threshold: number;
}

const BOUNDARY = /[，。！？、：；,.!?;:（）()“”"'‘’\s\n]/;

/** The distinct character bigrams and trigrams of a text, none across punctuation. */
export function gramsOf(raw: string, normalize: (s: string) => string = cleanText): Set<string> {
  const text = normalize(raw);
  const out = new Set<string>();
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !BOUNDARY.test(text[i]!)) continue;
    const piece = text.slice(start, i);
    for (let n = 2; n <= 3; n++) for (let j = 0; j + n <= piece.length; j++) out.add(piece.slice(j, j + n));
    start = i + 1;
  }
  return out;
}

function counts(data: readonly { grams: Set<string>; emergency: boolean }[]): Omit<NgramModel, 'threshold'> {
  const grams = new Map<string, [number, number]>();
  const docs = { emergency: 0, other: 0 };
  for (const d of data) {
    if (d.emergency) docs.emergency++;
    else docs.other++;
    for (const g of d.grams) {
      const c = grams.get(g) ?? [0, 0];
      c[d.emergency ? 0 : 1]++;
      grams.set(g, c);
    }
  }
  return { grams, docs };
}

/** Log-odds that the text is an emergency, from the grams seen in training (unseen grams say nothing). */
export function scoreGrams(m: Omit<NgramModel, 'threshold'>, grams: Set<string>): number {
  let s = Math.log((m.docs.emergency + 1) / (m.docs.other + 1));
  for (const g of grams) {
    const c = m.grams.get(g);
    if (!c) continue;
    s += Math.log((c[0] + 0.5) / (m.docs.emergency + 1)) - Math.log((c[1] + 0.5) / (m.docs.other + 1));
  }
  return s;
}

/** A small deterministic PRNG, so that training twice on the same data gives the same model. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrainOptions {
  /** Share of emergencies the threshold must catch in cross-validation (default 0.95). */
  targetRecall?: number;
  folds?: number;
  seed?: number;
  normalize?: (s: string) => string;
}

export interface TrainReport {
  model: NgramModel;
  /** Cross-validated figures at the chosen threshold: what to expect on wording not seen. */
  crossValidated: { recall: number; flaggedOther: number };
}

/**
 * Trains on labelled texts. The threshold is set by k-fold cross-validation: each text is scored by
 * a model that never saw it, and the threshold is the highest score that still flags targetRecall
 * of the emergencies, so it is chosen for unseen wording, not for the training sentences.
 */
export function train(data: readonly LabelledText[], options: TrainOptions = {}): TrainReport {
  const k = options.folds ?? 5;
  const target = options.targetRecall ?? 0.95;
  const docs = data.map((d) => ({ grams: gramsOf(d.text, options.normalize), emergency: d.emergency }));
  const order = docs.map((_, i) => i);
  const random = mulberry32(options.seed ?? 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const scored: { score: number; emergency: boolean }[] = [];
  for (let f = 0; f < k; f++) {
    const held = new Set(order.filter((_, i) => i % k === f));
    const m = counts(docs.filter((_, i) => !held.has(i)));
    for (const i of held) scored.push({ score: scoreGrams(m, docs[i]!.grams), emergency: docs[i]!.emergency });
  }
  const pos = scored
    .filter((s) => s.emergency)
    .map((s) => s.score)
    .sort((a, b) => a - b);
  const neg = scored.filter((s) => !s.emergency).map((s) => s.score);
  if (pos.length === 0 || neg.length === 0) throw new Error('training needs emergencies and other intakes');
  const threshold = pos[Math.min(pos.length - 1, Math.floor(pos.length * (1 - target)))]!;
  return {
    model: { ...counts(docs), threshold },
    crossValidated: { recall: pos.filter((s) => s >= threshold).length / pos.length, flaggedOther: neg.filter((s) => s >= threshold).length / neg.length },
  };
}

// ---- The data file: a header line of JSON, then one "gram<TAB>emergency<TAB>other" line per gram.

export function serializeModel(m: NgramModel, meta: Record<string, unknown> = {}): string {
  const header = JSON.stringify({ ...meta, docs: m.docs, threshold: Number(m.threshold.toFixed(6)) });
  const lines = [...m.grams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([g, [p, n]]) => `${g}\t${p}\t${n}`);
  return `${header}\n${lines.join('\n')}\n`;
}

/**
 * The bigram or trigram of `length` code units at `at` as one number: its UTF-16 code units in base
 * 65,536, a bigram padded with 0. Exact in a double, and ordered as the strings are.
 */
function gramKey(text: string, at: number, length: number): number {
  return text.charCodeAt(at) * 4294967296 + text.charCodeAt(at + 1) * 65536 + (length === 3 ? text.charCodeAt(at + 2) : 0);
}

/**
 * The counts of a model read from its file: keys in a sorted Float64Array, counts in an Int32Array,
 * found by binary search. Read at every cold start of the intake functions (32,000 grams): a Map of
 * 32,000 strings and pairs took about 45 ms to build, these arrays a few.
 */
class PackedGrams implements GramCounts {
  constructor(
    readonly keys: Float64Array,
    /** emergency, other: two per key. */
    readonly counts: Int32Array,
  ) {}

  get size(): number {
    return this.keys.length;
  }

  get(gram: string): readonly [number, number] | undefined {
    if (gram.length < 2 || gram.length > 3) return undefined;
    const key = gramKey(gram, 0, gram.length);
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k === key) return [this.counts[2 * mid]!, this.counts[2 * mid + 1]!];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  *entries(): IterableIterator<[string, [number, number]]> {
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i]!;
      const c1 = Math.floor(k / 4294967296);
      const c2 = Math.floor(k / 65536) % 65536;
      const c3 = k % 65536;
      yield [String.fromCharCode(c1, c2) + (c3 === 0 ? '' : String.fromCharCode(c3)), [this.counts[2 * i]!, this.counts[2 * i + 1]!]];
    }
  }
}

export function parseModel(tsv: string): NgramModel {
  const firstEnd = tsv.indexOf('\n');
  const header = JSON.parse(firstEnd < 0 ? tsv : tsv.slice(0, firstEnd)) as { docs?: { emergency?: unknown; other?: unknown }; threshold?: unknown };
  const e = Number(header.docs?.emergency);
  const o = Number(header.docs?.other);
  const threshold = Number(header.threshold);
  if (!(e > 0) || !(o > 0) || !Number.isFinite(threshold)) throw new Error('danger model: the header needs docs.emergency, docs.other and threshold');
  // One pass over the text by index: no line, gram or number strings are made.
  let keys = new Float64Array(1024);
  let counts = new Int32Array(2048);
  let n = 0;
  let sorted = true;
  let lineNo = 1;
  for (let at = firstEnd < 0 ? tsv.length : firstEnd + 1; at < tsv.length;) {
    lineNo++;
    let end = tsv.indexOf('\n', at);
    if (end < 0) end = tsv.length;
    // A checkout on Windows may have turned the line ends into CRLF.
    const last = end > at && tsv.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (last > at) {
      const t1 = tsv.indexOf('\t', at);
      const t2 = t1 < 0 || t1 >= last ? -1 : tsv.indexOf('\t', t1 + 1);
      const gramLength = t1 - at;
      const pos = t2 < 0 || t2 >= last ? -1 : digits(tsv, t1 + 1, t2);
      const neg = pos < 0 ? -1 : digits(tsv, t2 + 1, last);
      if (gramLength < 2 || gramLength > 3 || neg < 0) throw new Error(`danger model: line ${lineNo} is malformed`);
      const key = gramKey(tsv, at, gramLength);
      if (n === keys.length) {
        const k2 = new Float64Array(n * 2);
        k2.set(keys);
        keys = k2;
        const c2 = new Int32Array(n * 4);
        c2.set(counts);
        counts = c2;
      }
      if (n > 0 && key <= keys[n - 1]!) sorted = false;
      keys[n] = key;
      counts[2 * n] = pos;
      counts[2 * n + 1] = neg;
      n++;
    }
    at = end + 1;
  }
  keys = keys.slice(0, n);
  counts = counts.slice(0, 2 * n);
  if (!sorted) [keys, counts] = sortByKey(keys, counts);
  return { docs: { emergency: e, other: o }, grams: new PackedGrams(keys, counts), threshold };
}

/** A non-negative integer written in decimal digits between from and to, or -1. */
function digits(text: string, from: number, to: number): number {
  if (from >= to) return -1;
  let n = 0;
  for (let k = from; k < to; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A hand-edited file may be out of order (npm run screen:train writes it sorted); a gram listed twice is a mistake. */
function sortByKey(keys: Float64Array<ArrayBuffer>, counts: Int32Array<ArrayBuffer>): [Float64Array<ArrayBuffer>, Int32Array<ArrayBuffer>] {
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const k = new Float64Array(keys.length);
  const c = new Int32Array(counts.length);
  order.forEach((from, to) => {
    if (to > 0 && keys[from] === k[to - 1]) throw new Error('danger model: an n-gram is listed twice');
    k[to] = keys[from]!;
    c[2 * to] = counts[2 * from]!;
    c[2 * to + 1] = counts[2 * from + 1]!;
  });
  return [k, c];
}

// ---- The compiled form: what an intake function reads at cold start (written at bundling by
// npm run build:classifier). A little-endian header of 16 bytes (magic, format, gram count, JSON
// length), the JSON (docs, threshold, and the hash of the file it was compiled from), padding to 8,
// then the keys (float64) and the counts (int32).

const PACKED_MAGIC = 0x4d4e4744; // "DGNM"
const PACKED_FORMAT = 1;

export function packModel(model: NgramModel, sourceHash: string): Uint8Array {
  const packed = model.grams instanceof PackedGrams ? model.grams : parseModel(serializeModel(model)).grams;
  if (!(packed instanceof PackedGrams)) throw new Error('danger model: cannot pack');
  const json = new TextEncoder().encode(JSON.stringify({ docs: model.docs, threshold: model.threshold, sourceHash }));
  const keysAt = Math.ceil((16 + json.length) / 8) * 8;
  const countsAt = keysAt + packed.keys.byteLength;
  const out = new Uint8Array(countsAt + packed.counts.byteLength);
  const header = new DataView(out.buffer);
  header.setUint32(0, PACKED_MAGIC, true);
  header.setUint32(4, PACKED_FORMAT, true);
  header.setUint32(8, packed.keys.length, true);
  header.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(new Uint8Array(packed.keys.buffer, packed.keys.byteOffset, packed.keys.byteLength), keysAt);
  out.set(new Uint8Array(packed.counts.buffer, packed.counts.byteOffset, packed.counts.byteLength), countsAt);
  return out;
}

/** The model of a compiled file and the hash of the file it was compiled from; undefined when the bytes are not a compiled model of this format. */
export function unpackModel(bytes: Uint8Array): { model: NgramModel; sourceHash: string } | undefined {
  if (bytes.byteLength < 16) return undefined;
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const header = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  if (header.getUint32(0, true) !== PACKED_MAGIC || header.getUint32(4, true) !== PACKED_FORMAT) return undefined;
  const count = header.getUint32(8, true);
  const jsonLength = header.getUint32(12, true);
  const keysAt = Math.ceil((16 + jsonLength) / 8) * 8;
  if (keysAt + count * 16 !== aligned.byteLength) return undefined;
  const meta = JSON.parse(new TextDecoder().decode(aligned.subarray(16, 16 + jsonLength))) as { docs: NgramModel['docs']; threshold: number; sourceHash: string };
  const keys = new Float64Array(aligned.buffer, aligned.byteOffset + keysAt, count);
  const counts = new Int32Array(aligned.buffer, aligned.byteOffset + keysAt + count * 8, count * 2);
  return { model: { docs: meta.docs, threshold: meta.threshold, grams: new PackedGrams(keys, counts) }, sourceHash: meta.sourceHash };
}
