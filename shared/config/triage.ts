// Composition of the emergency triage: the danger screen's cues, its n-gram model and the
// human-signal table, read once per process from data/danger-screen.json, data/danger-model.tsv and
// data/emergency-signals.json. A deployed intake function finds the model compiled beside its data
// (data/generated/danger-model.bin, written when the function is bundled): reading it is a few
// typed-array views instead of a parse of 32,000 lines. It is used only when compiled from exactly
// the model file beside it.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { logger } from '../adapters/logger.js';
import { sharedToSimplified } from '../domain/classification/simplify.js';
import { createDangerScreen, parseDangerScreen, type DangerScreen } from '../domain/triage/danger-screen.js';
import { parseEmergencySignals, type EmergencySignalTable } from '../domain/triage/human-signals.js';
import { packModel, parseModel, unpackModel, type NgramModel } from '../domain/triage/ngram-model.js';
import { dataDir, parsedJsonDataFile, sha256Hex } from './data-files.js';

export const DANGER_MODEL_FILE = 'danger-model.tsv';
export const COMPILED_DANGER_MODEL_FILE = 'generated/danger-model.bin';

/**
 * The danger model: compiled when a matching compiled file is beside the data, parsed from the TSV
 * otherwise. A function package carries the compiled file only (its bundling left the TSV out):
 * that is used as it is, with no hash of 400 KB at cold start.
 */
export function loadDangerModel(): NgramModel {
  const sourceFile = resolve(dataDir(), DANGER_MODEL_FILE);
  const compiledFile = resolve(dataDir(), COMPILED_DANGER_MODEL_FILE);
  if (existsSync(compiledFile)) {
    const compiled = unpackModel(readFileSync(compiledFile));
    if (!existsSync(sourceFile)) {
      if (!compiled) throw new Error(`data/${COMPILED_DANGER_MODEL_FILE} cannot be read by this code and no model file is beside it: bundle the function again`);
      return compiled.model;
    }
    if (compiled?.sourceHash === sha256Hex(readFileSync(sourceFile))) return compiled.model;
    logger.warn('compiled danger model ignored: compiled from another model file; reading the model file instead', { file: COMPILED_DANGER_MODEL_FILE });
  }
  return parseModel(readFileSync(sourceFile, 'utf8'));
}

/** The compiled form of the model file beside the data (what the bundling writes to data/generated/). */
export function buildCompiledDangerModel(): Uint8Array {
  const source = readFileSync(resolve(dataDir(), DANGER_MODEL_FILE));
  return packModel(parseModel(source.toString('utf8')), sha256Hex(source));
}

let screen: DangerScreen | undefined;
export function loadDangerScreen(): DangerScreen {
  screen ??= createDangerScreen(parsedJsonDataFile('danger-screen.json', parseDangerScreen), sharedToSimplified(), loadDangerModel());
  return screen;
}

let signals: EmergencySignalTable | undefined;
export function loadEmergencySignals(): EmergencySignalTable {
  signals ??= parsedJsonDataFile('emergency-signals.json', parseEmergencySignals);
  return signals;
}
