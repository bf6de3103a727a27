// npm run --silent classify:eval -- <labelled.jsonl>
//   Classifies every labelled intake with the shipped lexicon and prints the figures and misses.
//   Exit code 0 whatever the figures (it is a report); 2 when the file cannot be read or used.
// npm run --silent classify:eval -- --all
//   Every set of test/fixtures/manifest.json against the figures the manifest gives it (the same
//   check as the acceptance test): one line per set, then the report of each set that falls short.
//   Exit code 1 when any set falls short.
import { readFileSync } from 'node:fs';
import { loadClassifier } from '../shared/config/classifier.js';
import { loadDangerScreen } from '../shared/config/triage.js';
import { computeMetrics, formatReport, type EvaluatedItem } from '../shared/domain/classification/evaluation.js';
import { nonBlankLines, parseLabelledLine } from '../shared/domain/classification/jsonl.js';

function fail(message: string): never {
  process.stderr.write(`classify:eval: ${message}\n`);
  process.exit(2);
}

const path = process.argv[2];
if (!path) fail('usage: npm run --silent classify:eval -- <labelled.jsonl> | --all');
if (path === '--all') {
  const { runAll } = await import('./classify-eval-all.js');
  process.exit(runAll());
}

let content: string;
try {
  content = readFileSync(path, 'utf8');
} catch (err) {
  fail(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

let classifier;
let screen;
try {
  classifier = loadClassifier();
  screen = loadDangerScreen();
} catch (err) {
  fail(`cannot load the classifier: ${(err as Error).message}`);
}

const items: EvaluatedItem[] = [];
const skipped: string[] = [];
for (const { line, lineNo } of nonBlankLines(content)) {
  const parsed = parseLabelledLine(line, lineNo);
  if (!parsed.ok) {
    skipped.push(parsed.error);
    continue;
  }
  items.push({ expected: parsed.value, got: classifier.classify(parsed.value.input), screen: screen.screen(parsed.value.input.text) });
}
if (items.length === 0) fail(`${path} has no usable labelled lines${skipped.length ? ` (${skipped[0]})` : ''}`);

process.stdout.write(formatReport(computeMetrics(items), path) + '\n');
if (skipped.length > 0) process.stdout.write(`\nSkipped ${skipped.length} malformed line(s):\n${skipped.join('\n')}\n`);
