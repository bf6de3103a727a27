// Builds the process-wide classifier from data/lexicon/ (the base file and one file per need) and
// data/divisions.csv, once. A deployed function finds a prebuilt classifier beside its data
// (data/generated/classifier.json, written when the function is bundled): loading it skips the
// lexicon's validation and compilation. It is used only when it was built from exactly the lexicon
// and divisions beside it; otherwise (and locally, where there is none) the lexicon is compiled.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { logger } from '../adapters/logger.js';
import { classifierOf } from '../domain/classification/classifier.js';
// Compiling the lexicon at run time (local runs, tests); a function bundle has a stub in its place (infra/function-bundling.ts).
import { classifierFromSource } from '#classifier-from-source';
import { compileLexicon } from '../domain/classification/compile.js';
import { mergeLexicon, type Lexicon, type LexiconFiles } from '../domain/classification/lexicon.js';
import { fromPrebuilt, PREBUILT_FORMAT, toPrebuilt, type PrebuiltClassifier } from '../domain/classification/prebuilt.js';
import { createToSimplified, shareToSimplified, simplifyTriggers } from '../domain/classification/simplify.js';
import type { Classifier } from '../domain/classification/types.js';
import { dataDir, loadDivisions, readDataBytes, readJsonDataFile } from './data-files.js';

/** The base file of the lexicon, under data/: it lists the parts (data/lexicon/<part>.json). */
export const LEXICON_FILE = 'lexicon/lexicon.json';

/** Where a bundled function finds its prebuilt classifier, under its data directory: a JSON document and its binary part beside it. */
export const PREBUILT_CLASSIFIER_FILE = 'generated/classifier.json';
export const PREBUILT_CLASSIFIER_BINARY = 'generated/classifier.bin';

const partNames = (base: Record<string, unknown>): string[] => (Array.isArray(base.parts) ? (base.parts as unknown[]).filter((p): p is string => typeof p === 'string' && /^[a-z-]+$/.test(p)) : []);

/** The lexicon's files as read from data/lexicon/ (unvalidated). */
export function readLexiconFiles(): LexiconFiles {
  const base = readJsonDataFile<Record<string, unknown>>(LEXICON_FILE);
  return { base, parts: new Map(partNames(base).map((n) => [n, readJsonDataFile<{ rules?: unknown[]; combos?: unknown[] }>(`lexicon/${n}.json`)])) };
}

/** A hash of everything a compiled classifier depends on: the lexicon's files, the divisions, the format. */
export function classifierSourceHash(): string {
  return createHash('sha256').update(`prebuilt-format:${PREBUILT_FORMAT}\n${lexiconSourceHash()}`).digest('hex');
}

/** A hash of what the classifier's results depend on: the lexicon's files and the divisions. */
export function lexiconSourceHash(): string {
  // Bytes, not text: the same digest without decoding some 300 KB at every cold start.
  const hash = createHash('sha256');
  const base = readDataBytes(LEXICON_FILE);
  hash.update(base);
  for (const n of partNames(JSON.parse(base.toString('utf8')) as Record<string, unknown>)) hash.update(`\n${n}\n`).update(readDataBytes(`lexicon/${n}.json`));
  hash.update('\ndivisions\n').update(readDataBytes('divisions.csv'));
  return hash.digest('hex');
}

let lexicon: Lexicon | undefined;
let classifier: Classifier | undefined;

/** The validated lexicon (throws with the path of the first problems when the file is malformed). */
export function loadLexicon(): Lexicon {
  lexicon ??= mergeLexicon(readLexiconFiles());
  return lexicon;
}

/** The prebuilt classifier of the current sources (what the bundling writes to data/generated/). */
export function buildPrebuiltClassifier(): { document: PrebuiltClassifier; binary: Uint8Array } {
  const triggers = simplifyTriggers();
  const toSimplified = createToSimplified({ triggers });
  return toPrebuilt(compileLexicon(loadLexicon(), loadDivisions(), toSimplified), triggers, classifierSourceHash());
}

/** The prebuilt classifier beside the data, if there is one built from exactly these sources (not cached: loadClassifier keeps it). */
export function prebuiltClassifier(): Classifier | undefined {
  const file = resolve(dataDir(), PREBUILT_CLASSIFIER_FILE);
  const binaryFile = resolve(dataDir(), PREBUILT_CLASSIFIER_BINARY);
  if (!existsSync(file) || !existsSync(binaryFile)) return undefined;
  const prebuilt = JSON.parse(readFileSync(file, 'utf8')) as PrebuiltClassifier;
  // A function package carries the prebuilt form only (its bundling compiled the lexicon and left it
  // out): nothing to check it against, and no hashing of the sources at cold start. A data folder
  // with the lexicon in it (a local one) is checked.
  if (!existsSync(resolve(dataDir(), LEXICON_FILE))) {
    if (prebuilt.format !== PREBUILT_FORMAT)
      throw new Error(`data/${PREBUILT_CLASSIFIER_FILE} is format ${prebuilt.format}, this code reads ${PREBUILT_FORMAT}, and no lexicon is beside it: bundle the function again`);
  } else if (prebuilt.format !== PREBUILT_FORMAT || prebuilt.sourceHash !== classifierSourceHash()) {
    logger.warn('prebuilt classifier ignored: built from another lexicon or divisions; compiling the lexicon instead', { file: PREBUILT_CLASSIFIER_FILE });
    return undefined;
  }
  const toSimplified = createToSimplified({ triggers: prebuilt.simplifyTriggers });
  shareToSimplified(toSimplified);
  return classifierOf(fromPrebuilt(prebuilt, readFileSync(binaryFile), toSimplified), loadDivisions(), toSimplified);
}

/** The classifier, built on first use and reused for the life of the process (a Lambda container). */
export function loadClassifier(): Classifier {
  classifier ??= prebuiltClassifier() ?? classifierFromSource();
  return classifier;
}
