// `classify:eval -- --all`: every labelled set of the manifest against its figures (see classify-eval.ts).
import { readFileSync } from 'node:fs';
import { loadClassifier } from '../shared/config/classifier.js';
import { loadDangerScreen } from '../shared/config/triage.js';
import { computeMetrics, formatReport } from '../shared/domain/classification/evaluation.js';
import { nonBlankLines, parseLabelledLine } from '../shared/domain/classification/jsonl.js';
import { parseManifest, shortfalls } from '../shared/domain/classification/labelled-sets.js';

const pct = (x: number | null) => (x === null ? '  n/a' : `${(x * 100).toFixed(1)}%`.padStart(6));

export function runAll(manifestPath = 'test/fixtures/manifest.json'): number {
  const sets = parseManifest(readFileSync(manifestPath, 'utf8'));
  const classifier = loadClassifier();
  const screen = loadDangerScreen();
  const reports: string[] = [];
  process.stdout.write('set                                                          n  macro-F1  urgency  emerg.  path   review  result\n');
  for (const set of sets) {
    const path = `test/fixtures/${set.file}`;
    const items = nonBlankLines(readFileSync(path, 'utf8')).map(({ line, lineNo }) => {
      const parsed = parseLabelledLine(line, lineNo);
      if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
      return { expected: parsed.value, got: classifier.classify(parsed.value.input), screen: screen.screen(parsed.value.text) };
    });
    const m = computeMetrics(items);
    const short = shortfalls(set, m);
    process.stdout.write(
      `${set.file.padEnd(58)} ${String(m.count).padStart(4)}  ${pct(m.macroF1)}   ${pct(m.urgencyAccuracy)}  ${pct(m.emergencyRecall)} ${pct(m.screen?.combinedRecall ?? null)} ${pct(m.screen?.reviewRate ?? null)}  ${short.length ? `SHORT: ${short.join('; ')}` : 'ok'}\n`,
    );
    if (short.length) reports.push(formatReport(m, path));
  }
  for (const r of reports) process.stdout.write(`\n${r}\n`);
  return reports.length ? 1 : 0;
}
