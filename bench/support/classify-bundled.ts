// The entry of the bundled classifier benchmark: built by bench/classify.bench.ts with the settings of
// the function bundles (infra/function-bundling.ts), run by node. It loads the classifier as an
// intake function does (the prebuilt file beside it when it matches) and prints its throughput on
// the mix it is given as JSON, in slices: what the deployed code does, not what tsx runs.
import { readFileSync } from 'node:fs';
import { loadClassifier } from '../../shared/config/classifier.js';
import type { ClassificationInput } from '../../shared/domain/classification/types.js';
import { throughputSlices } from './classify-mix.js';

const [mixFile, slices, secondsEach] = process.argv.slice(2);
const mix = JSON.parse(readFileSync(mixFile!, 'utf8')) as ClassificationInput[];
const classifier = loadClassifier();
process.stdout.write(JSON.stringify(throughputSlices((i) => classifier.classify(i), mix, Number(slices ?? 6), Number(secondsEach ?? 1))));
