// The classifier compiled from data/lexicon/ at run time: what local runs, the tests and the CLI use
// (their data folder has no prebuilt classifier, or one made from other sources). A function bundle
// swaps this module for shared/adapters/no-classifier-source.ts (infra/function-bundling.ts): its
// package carries the prebuilt classifier and not the lexicon, so the lexicon's validation and
// compiler stay out of its code.
import { createClassifier } from '../domain/classification/classifier.js';
import type { Classifier } from '../domain/classification/types.js';
import { loadLexicon } from './classifier.js';
import { loadDivisions } from './data-files.js';

export function classifierFromSource(): Classifier {
  return createClassifier(loadLexicon(), loadDivisions());
}
