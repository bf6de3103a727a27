// Builds the process-wide classifier from data/lexicon/ (the base file and one file per need) and
// data/divisions.csv, once.
import { createClassifier } from '../domain/classification/classifier.js';
import { mergeLexicon, type Lexicon, type LexiconFiles } from '../domain/classification/lexicon.js';
import type { Classifier } from '../domain/classification/types.js';
import { loadDivisions, readJsonDataFile } from './data-files.js';

/** The base file of the lexicon, under data/: it lists the parts (data/lexicon/<part>.json). */
export const LEXICON_FILE = 'lexicon/lexicon.json';

/** The lexicon's files as read from data/lexicon/ (unvalidated). */
export function readLexiconFiles(): LexiconFiles {
  const base = readJsonDataFile<Record<string, unknown>>(LEXICON_FILE);
  const names = Array.isArray(base.parts) ? (base.parts as unknown[]).filter((p): p is string => typeof p === 'string' && /^[a-z-]+$/.test(p)) : [];
  return { base, parts: new Map(names.map((n) => [n, readJsonDataFile<{ rules?: unknown[]; combos?: unknown[] }>(`lexicon/${n}.json`)])) };
}

let lexicon: Lexicon | undefined;
let classifier: Classifier | undefined;

/** The validated lexicon (throws with the path of the first problems when the file is malformed). */
export function loadLexicon(): Lexicon {
  lexicon ??= mergeLexicon(readLexiconFiles());
  return lexicon;
}

/** The classifier, built on first use and reused for the life of the process (a Lambda container). */
export function loadClassifier(): Classifier {
  classifier ??= createClassifier(loadLexicon(), loadDivisions());
  return classifier;
}
