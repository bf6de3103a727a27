// Builds the process-wide classifier from data/lexicon.json and data/divisions.csv, once.
import { createClassifier } from '../domain/classification/classifier.js';
import { parseLexicon, type Lexicon } from '../domain/classification/lexicon.js';
import type { Classifier } from '../domain/classification/types.js';
import { loadDivisions, readJsonDataFile } from './data-files.js';

export const LEXICON_FILE = 'lexicon.json';

let lexicon: Lexicon | undefined;
let classifier: Classifier | undefined;

/** The validated lexicon (throws with the path of the first problems when the file is malformed). */
export function loadLexicon(): Lexicon {
  lexicon ??= parseLexicon(readJsonDataFile(LEXICON_FILE));
  return lexicon;
}

/** The classifier, built on first use and reused for the life of the process (a Lambda container). */
export function loadClassifier(): Classifier {
  classifier ??= createClassifier(loadLexicon(), loadDivisions());
  return classifier;
}
