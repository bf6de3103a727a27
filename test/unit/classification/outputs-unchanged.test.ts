// The classifier's results are recorded (npm run classify:record) for every labelled text, the
// benchmark mix and untidy variants of it. A change to the engine, such as the speed work on its
// tables and scan, must leave every result as it was: needs, urgency, division and explanation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outputDigest, RECORDED_OUTPUTS_FILE, recordedInputs } from '../../../bench/support/classify-mix.js';
import { lexiconSourceHash, loadLexicon } from '../../../shared/config/classifier.js';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { createClassifier } from '../../../shared/domain/classification/classifier.js';

const recorded = JSON.parse(readFileSync(RECORDED_OUTPUTS_FILE, 'utf8')) as { lexiconSourceHash: string; inputs: number; digests: string[] };

describe('the classifier’s results against those recorded', () => {
  it('were recorded on the lexicon and divisions in data/ (after a deliberate change to them, run npm run classify:record)', () => {
    expect(recorded.lexiconSourceHash).toBe(lexiconSourceHash());
  });

  it('are the same for every recorded input', () => {
    const classifier = createClassifier(loadLexicon(), loadDivisions());
    const inputs = recordedInputs();
    expect(inputs).toHaveLength(recorded.inputs);
    expect(inputs.length).toBeGreaterThan(3500);
    const changed = inputs.flatMap((input, i) => (outputDigest(classifier.classify(input)) === recorded.digests[i] ? [] : [`#${i} ${input.channel}: ${input.text.slice(0, 60)}`]));
    expect(changed, `${changed.length} results differ from the recording`).toEqual([]);
  });
});
