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

export interface NgramModel {
  /** Documents of each class in the training data. */
  docs: { emergency: number; other: number };
  /** Per n-gram: in how many emergency and other documents it occurs. */
  grams: Map<string, [number, number]>;
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
  const lines = [...m.grams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([g, [p, n]]) => `${g}\t${p}\t${n}`);
  return `${header}\n${lines.join('\n')}\n`;
}

export function parseModel(tsv: string): NgramModel {
  const lines = tsv.split('\n');
  const header = JSON.parse(lines[0] ?? '') as { docs?: { emergency?: unknown; other?: unknown }; threshold?: unknown };
  const e = Number(header.docs?.emergency);
  const o = Number(header.docs?.other);
  const threshold = Number(header.threshold);
  if (!(e > 0) || !(o > 0) || !Number.isFinite(threshold)) throw new Error('danger model: the header needs docs.emergency, docs.other and threshold');
  // Read at every cold start of the intake functions (32,000 lines): by index, without a split per line.
  const grams = new Map<string, [number, number]>();
  const count = (text: string, from: number, to: number): number => {
    if (from >= to) return -1;
    let n = 0;
    for (let k = from; k < to; k++) {
      const d = text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  };
  for (let i = 1; i < lines.length; i++) {
    // A checkout on Windows may have turned the line ends into CRLF.
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line === '') continue;
    const t1 = line.indexOf('\t');
    const t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
    const pos = t2 < 0 ? -1 : count(line, t1 + 1, t2);
    const neg = t2 < 0 ? -1 : count(line, t2 + 1, line.length);
    if (t1 <= 0 || pos < 0 || neg < 0 || line.indexOf('\t', t2 + 1) >= 0) throw new Error(`danger model: line ${i + 1} is malformed`);
    grams.set(line.slice(0, t1), [pos, neg]);
  }
  return { docs: { emergency: e, other: o }, grams, threshold };
}
