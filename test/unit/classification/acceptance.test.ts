// Acceptance on the labelled sets, with the shipped lexicon and danger screen: every set of
// test/fixtures/manifest.json must reach the figures the manifest gives it (the same check as
// `npm run classify:eval -- --all`, which the lexicon guide runs before deploying). Each set's
// purpose and history: docs/fresh-sets.md.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';
import { loadDangerScreen } from '../../../shared/config/triage.js';
import { computeMetrics, formatReport, type Metrics } from '../../../shared/domain/classification/evaluation.js';
import { nonBlankLines, parseLabelledLine } from '../../../shared/domain/classification/jsonl.js';
import { parseManifest, shortfalls } from '../../../shared/domain/classification/labelled-sets.js';

const SETS = parseManifest(readFileSync('test/fixtures/manifest.json', 'utf8'));

function evaluateFile(path: string): Metrics {
  const classifier = loadClassifier();
  const screen = loadDangerScreen();
  const items = nonBlankLines(readFileSync(path, 'utf8')).map(({ line, lineNo }) => {
    const parsed = parseLabelledLine(line, lineNo);
    if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
    return { expected: parsed.value, got: classifier.classify(parsed.value.input), screen: screen.screen(parsed.value.text) };
  });
  return computeMetrics(items);
}

describe('acceptance on the labelled sets of the manifest', () => {
  it('names every labelled file under test/fixtures once, each with something to reach', () => {
    const files = SETS.map((s) => s.file);
    expect(new Set(files).size).toBe(files.length);
    // No set lies unused: every labelled file is in the manifest.
    const onDisk = (readdirSync('test/fixtures', { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl')).sort();
    expect([...files].sort()).toEqual(onDisk);
    for (const s of SETS) expect(s.classifier ?? s.emergencyPath, s.file).toBeDefined();
    expect(SETS.filter((s) => s.purpose === 'samples').map((s) => s.file)).toEqual(['samples.jsonl']);
  });

  it.each(SETS.map((s) => [s.file, s] as const))('%s', (file, set) => {
    const path = `test/fixtures/${file}`;
    const m = evaluateFile(path);
    // On failure, the administrator's report: every miss and the rules behind it.
    expect(shortfalls(set, m), formatReport(m, path)).toEqual([]);
  });

  it('the check can fail: a set that misses an emergency falls short', () => {
    const m = evaluateFile('test/fixtures/samples.jsonl');
    expect(shortfalls({ file: 'x.jsonl', purpose: 'samples', classifier: { macroF1: 1.01, urgency: 0, division: 0 } }, m)).toEqual([`macro-F1 ${m.macroF1!.toFixed(3)} < 1.01`]);
    expect(shortfalls({ file: 'x.jsonl', purpose: 'samples', classifier: { macroF1: 0, urgency: 0, division: 0 } }, { ...m, emergencyRecall: 0.5 })).toEqual(['emergency recall 0.500 < 1']);
    expect(shortfalls({ file: 'x.jsonl', purpose: 'samples', emergencyPath: { combinedRecall: 1, maxReviewRate: 0 } }, m).length).toBeGreaterThan(0);
  });
});
