// npm run screen:train [-- <labelled.jsonl> ...]
// Trains the danger screen's second opinion (shared/domain/triage/ngram-model.ts) on labelled sets
// and writes data/danger-model.tsv. Without arguments it trains on the sets the current model names
// in its header (so a retrain after editing a set is one command). Prints the cross-validated recall
// and the share of other intakes it would send to review: figures for wording it has not seen.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDir } from '../shared/config/data-files.js';
import { cleanText } from '../shared/domain/classification/normalize.js';
import { sharedToSimplified } from '../shared/domain/classification/simplify.js';
import { nonBlankLines, parseLabelledLine } from '../shared/domain/classification/jsonl.js';
import { serializeModel, train } from '../shared/domain/triage/ngram-model.js';

export const MODEL_FILE = 'danger-model.tsv';

export function trainFromFiles(files: readonly string[]) {
  const data = files.flatMap((f) =>
    nonBlankLines(readFileSync(f, 'utf8')).map(({ line, lineNo }) => {
      const parsed = parseLabelledLine(line, lineNo);
      if (!parsed.ok) throw new Error(`${f}: ${parsed.error}`);
      return { text: parsed.value.text, emergency: parsed.value.urgency === 'emergency' };
    }),
  );
  const toSimplified = sharedToSimplified();
  const report = train(data, { normalize: (s) => cleanText(toSimplified(s)) });
  return { report, tsv: serializeModel(report.model, { trainedOn: [...files], targetRecall: 0.95, folds: 5, seed: 1 }) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const path = resolve(dataDir(), MODEL_FILE);
  let files = process.argv.slice(2);
  if (files.length === 0) files = (JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!) as { trainedOn: string[] }).trainedOn;
  const { report, tsv } = trainFromFiles(files);
  writeFileSync(path, tsv);
  const { model, crossValidated } = report;
  process.stdout.write(
    `danger model: ${model.docs.emergency} emergencies and ${model.docs.other} other intakes from ${files.length} file(s), ${model.grams.size} n-grams\n` +
      `threshold ${model.threshold.toFixed(2)}: cross-validated recall ${(crossValidated.recall * 100).toFixed(1)} %, other intakes flagged ${(crossValidated.flaggedOther * 100).toFixed(1)} %\n` +
      `written to data/${MODEL_FILE}\n`,
  );
}
