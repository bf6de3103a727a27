// npm run bench:classify
// Single-core throughput and per-text latency of the intake classifier on a realistic mix of
// texts of 20–300 characters, after warm-up; plus the one-time cost of loading the lexicon and
// building the classifier. JavaScript runs the classifier on one thread; CPU time is reported
// beside wall time because a shared machine makes wall time noisy.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadDivisions } from '../shared/config/data-files.js';
import { createClassifier } from '../shared/domain/classification/classifier.js';
import { parseManifest } from '../shared/domain/classification/labelled-sets.js';
import { mergeLexicon } from '../shared/domain/classification/lexicon.js';
import { readLexiconFiles } from '../shared/config/classifier.js';
import type { ClassificationInput } from '../shared/domain/classification/types.js';
import { CHANNELS } from '../shared/domain/model.js';

// The texts: the samples and regression sets of the manifest (the generalisation sets stay for checks).
const SOURCES = parseManifest(readFileSync('test/fixtures/manifest.json', 'utf8'))
  .filter((set) => set.purpose !== 'generalisation')
  .map((set) => `test/fixtures/${set.file}`);
const MIX_SIZE = 2000;
const MIN_LENGTH = 20;
const MAX_LENGTH = 300;
const THROUGHPUT_SECONDS = 3;
const LATENCY_SAMPLES = 20_000;

const ms = (ns: bigint | number): number => Number(ns) / 1e6;
const now = (): bigint => process.hrtime.bigint();

function timed<T>(fn: () => T): [T, number] {
  const t0 = now();
  const value = fn();
  return [value, ms(now() - t0)];
}

/** Deterministic pseudo-random numbers, so every run measures the same mix. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Texts of uniformly spread lengths, 20–300 characters, by concatenating real intakes. */
function buildMix(): ClassificationInput[] {
  const base = SOURCES.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text: string; channel: string }),
  );
  const random = rng(20250101);
  const mix: ClassificationInput[] = [];
  for (let i = 0; i < MIX_SIZE; i++) {
    const target = MIN_LENGTH + Math.floor(random() * (MAX_LENGTH - MIN_LENGTH + 1));
    let text = '';
    while (text.length < target) text += base[Math.floor(random() * base.length)]!.text;
    mix.push({ channel: CHANNELS[i % CHANNELS.length]!, text: text.slice(0, target) });
  }
  return mix;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

// ---- one-time cost -------------------------------------------------------------------------
const [json, readMs] = timed(() => readLexiconFiles());
const [lexicon, validateMs] = timed(() => mergeLexicon(json));
const [divisions, divisionsMs] = timed(() => loadDivisions());
const [classifier, buildMs] = timed(() => createClassifier(lexicon, divisions));

// ---- mix and warm-up -----------------------------------------------------------------------
const mix = buildMix();
const chars = mix.reduce((n, i) => n + i.text.length, 0);
for (let pass = 0; pass < 5; pass++) for (const i of mix) classifier.classify(i);

// ---- throughput ----------------------------------------------------------------------------
let done = 0;
const cpu0 = process.cpuUsage();
const t0 = now();
while (ms(now() - t0) < THROUGHPUT_SECONDS * 1000) {
  for (const i of mix) classifier.classify(i);
  done += mix.length;
}
const wallMs = ms(now() - t0);
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;

// ---- latency -------------------------------------------------------------------------------
const latencies = new Float64Array(LATENCY_SAMPLES);
for (let k = 0; k < LATENCY_SAMPLES; k++) {
  const i = mix[k % mix.length]!;
  const s = now();
  classifier.classify(i);
  latencies[k] = Number(now() - s) / 1000; // µs
}
latencies.sort();

const f0 = (x: number): string => x.toFixed(0);
const f1 = (x: number): string => x.toFixed(1);
const lines = [
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), load average ${loadavg().map(f1).join(' ')}`,
  '',
  'One-time load (first call in a process):',
  `  read data/lexicon/*.json   ${f1(readMs)} ms`,
  `  validate (zod)             ${f1(validateMs)} ms`,
  `  load divisions             ${f1(divisionsMs)} ms`,
  `  build classifier           ${f1(buildMs)} ms  (opencc converter, variant expansion, automaton)`,
  `  total                      ${f1(readMs + validateMs + divisionsMs + buildMs)} ms`,
  '',
  `Mix: ${mix.length} texts, ${MIN_LENGTH}–${MAX_LENGTH} characters, mean ${f0(chars / mix.length)}; 5 warm-up passes`,
  '',
  `Throughput (one thread, ${f1(wallMs / 1000)} s, ${done} texts):`,
  `  wall clock   ${f0((done / wallMs) * 1000)} texts/s   (${f1((done * (chars / mix.length)) / wallMs / 1000)} M chars/s)`,
  `  CPU time     ${f0((done / cpuMs) * 1000)} texts/s   (process CPU, includes GC threads)`,
  '',
  `Latency per text (${LATENCY_SAMPLES} calls):`,
  `  p50 ${f1(percentile(latencies, 50))} µs   p90 ${f1(percentile(latencies, 90))} µs   p99 ${f1(percentile(latencies, 99))} µs   max ${f1(latencies[latencies.length - 1]!)} µs`,
];
process.stdout.write(lines.join('\n') + '\n');
