// npm run classify:record: records, for every input of recordedInputs() (the labelled sets, the
// benchmark mix and untidy variants of it), a digest of what the classifier returns (needs, urgency,
// division, explanation) into test/fixtures/classifier-outputs.json, with a hash of the lexicon and
// divisions it was recorded on. test/unit/classification/outputs-unchanged.test.ts then fails when a
// change to the engine (not to the lexicon) changes any result. After a deliberate change to the
// lexicon or divisions, record again: the new results become the reference.
import { writeFileSync } from 'node:fs';
import { outputDigest, RECORDED_OUTPUTS_FILE, recordedInputs } from '../bench/support/classify-mix.js';
import { lexiconSourceHash, loadClassifier } from '../shared/config/classifier.js';

const classifier = loadClassifier();
const inputs = recordedInputs();
const digests = inputs.map((input) => outputDigest(classifier.classify(input)));
writeFileSync(RECORDED_OUTPUTS_FILE, JSON.stringify({ lexiconSourceHash: lexiconSourceHash(), inputs: inputs.length, digests }, null, 0) + '\n');
console.log(`${RECORDED_OUTPUTS_FILE}: ${inputs.length} results recorded`);
