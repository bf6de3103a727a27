// The classifier benchmarks' workload: texts of uniformly spread length, 20–300 characters, built
// deterministically by concatenating real intakes of the labelled sets (operator summaries,
// first-person texts, colloquial and Traditional texts, all three channels), so every run and
// every build (tsx or bundled) measures the same mix.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../shared/domain/classification/labelled-sets.js';
import type { ClassificationInput } from '../../shared/domain/classification/types.js';
import { CHANNELS } from '../../shared/domain/model.js';

export const MIX_SIZE = 2000;
export const MIN_LENGTH = 20;
export const MAX_LENGTH = 300;

/** Deterministic pseudo-random numbers, so every run measures the same mix. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Texts of uniformly spread lengths, 20–300 characters, by concatenating real intakes (the samples and regression sets; the generalisation sets stay for checks). */
export function buildMix(): ClassificationInput[] {
  const sources = parseManifest(readFileSync('test/fixtures/manifest.json', 'utf8'))
    .filter((set) => set.purpose !== 'generalisation')
    .map((set) => `test/fixtures/${set.file}`);
  const base = sources.flatMap((f) =>
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

/**
 * Throughput in `slices` slices of `secondsEach` seconds, after five warm-up passes: on a shared
 * machine another tenant's burst slows some slices and not others, and the fastest slice is the
 * closest to what the code costs on a quiet core (the median is printed beside it).
 */
export function throughputSlices(
  classify: (input: ClassificationInput) => unknown,
  mix: readonly ClassificationInput[],
  slices: number,
  secondsEach: number,
): { texts: number; wallMs: number; cpuMs: number }[] {
  for (let pass = 0; pass < 5; pass++) for (const i of mix) classify(i);
  const out: { texts: number; wallMs: number; cpuMs: number }[] = [];
  for (let s = 0; s < slices; s++) {
    let texts = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < secondsEach * 1000) {
      for (const i of mix) classify(i);
      texts += mix.length;
    }
    const cpu = process.cpuUsage(cpu0);
    out.push({ texts, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  return out;
}

/** Texts classified per second of wall and of process CPU time, after five warm-up passes over the mix. */
export function throughput(classify: (input: ClassificationInput) => unknown, mix: readonly ClassificationInput[], seconds: number): { texts: number; wallMs: number; cpuMs: number } {
  for (let pass = 0; pass < 5; pass++) for (const i of mix) classify(i);
  let texts = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (const i of mix) classify(i);
    texts += mix.length;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { texts, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * The inputs whose results `npm run classify:record` records and test/unit/classification/outputs-unchanged.test.ts
 * compares: every labelled text of the manifest (as labelled: channel, hint, division code), the
 * benchmark mix, and 300 texts of the mix made untidy (spaces and line breaks, full-width and upper-case
 * Latin, a Traditional character) so the clean-up is covered too.
 */
export function recordedInputs(): ClassificationInput[] {
  const labelled = parseManifest(readFileSync('test/fixtures/manifest.json', 'utf8')).flatMap((set) =>
    readFileSync(`test/fixtures/${set.file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const r = JSON.parse(l) as { text: string; channel?: string; divisionCode?: string; categoryHint?: string };
        return { channel: (r.channel ?? 'web') as ClassificationInput['channel'], text: r.text, divisionCode: r.divisionCode ?? null, categoryHint: r.categoryHint ?? null };
      }),
  );
  const mix = buildMix();
  const untidy = mix.slice(0, 300).map((m) => ({ ...m, text: m.text.replace(/。/g, ' 。\r\n').replace(/我/g, 'Ａ我 B').replace(/说/g, '說') }));
  return [...labelled, ...mix, ...untidy];
}

/** Where the recorded results live, from the repository root. */
export const RECORDED_OUTPUTS_FILE = 'test/fixtures/classifier-outputs.json';

/** A short digest of one classification (every field, the explanation too). */
export function outputDigest(output: unknown): string {
  return createHash('sha256').update(JSON.stringify(output)).digest('hex').slice(0, 16);
}
