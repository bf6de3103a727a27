// npm run --silent classify < intakes.jsonl
// Reads JSON lines {id?, channel, text, divisionCode?, categoryHint?} on stdin and writes one
// JSON line per non-blank input line, in order: {id, needs, urgency, divisionCode, explanation,
// screen: {possibleEmergency, cues}} (the danger screen's verdict beside the classifier's),
// or {id, error} for a line that cannot be used (the run goes on). Blank lines are skipped.
import { createInterface } from 'node:readline';
import { loadClassifier } from '../shared/config/classifier.js';
import { loadDangerScreen } from '../shared/config/triage.js';
import { parseIntakeLine } from '../shared/domain/classification/jsonl.js';
import type { Classifier } from '../shared/domain/classification/types.js';
import type { DangerScreen } from '../shared/domain/triage/danger-screen.js';

// A reader that stops early (`| head`) closes the pipe: that is the end, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

async function main(): Promise<void> {
  let classifier: Classifier;
  let danger: DangerScreen;
  try {
    classifier = loadClassifier();
    danger = loadDangerScreen();
  } catch (err) {
    process.stderr.write(`classify: cannot load the classifier: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const parsed = parseIntakeLine(line, lineNo);
    if (!parsed.ok) {
      out({ id: parsed.id, error: parsed.error });
      continue;
    }
    try {
      const { needs, urgency, divisionCode, explanation } = classifier.classify(parsed.value);
      const { possibleEmergency, cues } = danger.screen(parsed.value.text);
      out({ id: parsed.id, needs, urgency, divisionCode, explanation, screen: { possibleEmergency, cues } });
    } catch (err) {
      // Not expected (the classifier is total), but one bad line must not stop a batch.
      out({ id: parsed.id, error: `line ${lineNo}: ${(err as Error).message}` });
    }
  }
}

await main();
