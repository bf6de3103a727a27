// Composition of the emergency triage: the danger screen's cues and the human-signal table, read
// once per process from data/danger-screen.json and data/emergency-signals.json.
import { sharedToSimplified } from '../domain/classification/simplify.js';
import { createDangerScreen, parseDangerScreen, type DangerScreen } from '../domain/triage/danger-screen.js';
import { parseEmergencySignals, type EmergencySignalTable } from '../domain/triage/human-signals.js';
import { parseModel } from '../domain/triage/ngram-model.js';
import { readDataFile, readJsonDataFile } from './data-files.js';

let screen: DangerScreen | undefined;
export function loadDangerScreen(): DangerScreen {
  screen ??= createDangerScreen(parseDangerScreen(readJsonDataFile('danger-screen.json')), sharedToSimplified(), parseModel(readDataFile('danger-model.tsv')));
  return screen;
}

let signals: EmergencySignalTable | undefined;
export function loadEmergencySignals(): EmergencySignalTable {
  signals ??= parseEmergencySignals(readJsonDataFile('emergency-signals.json'));
  return signals;
}
