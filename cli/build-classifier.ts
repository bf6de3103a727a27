// npm run build:classifier -- <file> [--data <dir>]: writes the prebuilt classifier of a data
// directory's lexicon and divisions (default data/; see shared/config/classifier.ts) with its binary
// part (classifier.bin), and beside them the danger screen's model compiled (danger-model.bin, see
// shared/config/triage.ts) and opencc's dictionaries (opencc-dictionaries.json), which a function
// bundle reads instead of carrying them in its code, and what the data files its cold start parses
// parse to (parsed-data.json). The CDK bundling of the intake functions runs it
// on the data copied beside each function (into data/generated/) with --leave-out-sources: the
// lexicon and the model file are then removed from that copy, so that the function loads the compiled
// forms without hashing their sources at cold start. Nobody needs to run it by hand.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OPENCC_DICTIONARIES_FILE } from '../shared/adapters/opencc-dictionaries-file.js';
import { openccDictionaries } from '../shared/domain/classification/opencc-dictionaries.js';

const [out, flag, dataDir, leaveOut] = process.argv.slice(2);
if (!out || (flag !== undefined && (flag !== '--data' || !dataDir)) || (leaveOut !== undefined && leaveOut !== '--leave-out-sources')) {
  console.error('usage: npm run build:classifier -- <output file> [--data <data directory> [--leave-out-sources]]');
  process.exit(2);
}
if (dataDir) process.env.DATA_DIR = resolve(dataDir);
// Imported once DATA_DIR is set: the configuration reads it.
const { buildPrebuiltClassifier, PREBUILT_CLASSIFIER_BINARY } = await import('../shared/config/classifier.js');
const file = resolve(out);
mkdirSync(dirname(file), { recursive: true });
const { document, binary } = buildPrebuiltClassifier();
const json = JSON.stringify(document);
writeFileSync(file, json);
// The binary part beside it, under the name the loader looks for (shared/config/classifier.ts).
const binaryFile = join(dirname(file), basename(PREBUILT_CLASSIFIER_BINARY));
writeFileSync(binaryFile, binary);
console.log(`prebuilt classifier: ${file} (${(json.length / 1024).toFixed(0)} KB) and ${binaryFile} (${(binary.length / 1024).toFixed(0)} KB)`);
// The danger screen's model, compiled (shared/config/triage.ts reads it instead of the TSV when it matches).
const { buildCompiledDangerModel, COMPILED_DANGER_MODEL_FILE } = await import('../shared/config/triage.js');
const modelFile = join(dirname(file), basename(COMPILED_DANGER_MODEL_FILE));
const model = buildCompiledDangerModel();
writeFileSync(modelFile, model);
console.log(`danger model: ${modelFile} (${(model.length / 1024).toFixed(0)} KB)`);
const dictionariesFile = join(dirname(file), basename(OPENCC_DICTIONARIES_FILE));
const dictionaries = JSON.stringify(openccDictionaries());
writeFileSync(dictionariesFile, dictionaries);
console.log(`opencc dictionaries: ${dictionariesFile} (${(Buffer.byteLength(dictionaries) / 1024).toFixed(0)} KB)`);
// What the files a cold start parses parse to, with their hashes (shared/config/data-files.ts parsedJsonDataFile).
const { PARSED_DATA_FILE, recordParsedDataFiles } = await import('../shared/config/data-files.js');
const { loadRoutingTable } = await import('../shared/config/routing.js');
const { loadDangerScreen, loadEmergencySignals } = await import('../shared/config/triage.js');
const { readDeadlinePolicy } = await import('../shared/config/deadlines.js');
const { loadContactLinkRules } = await import('../shared/config/intake.js');
const parsed = recordParsedDataFiles(() => {
  loadRoutingTable();
  loadDangerScreen();
  loadEmergencySignals();
  readDeadlinePolicy();
  loadContactLinkRules();
});
const parsedFile = join(dirname(file), basename(PARSED_DATA_FILE));
writeFileSync(parsedFile, JSON.stringify(parsed));
console.log(`parsed data files: ${parsedFile} (${Object.keys(parsed).length} files)`);
if (leaveOut && dataDir) {
  // Only in a function's copy of data/ (the CDK bundling): what was compiled above is not needed beside it.
  const { LEXICON_FILE } = await import('../shared/config/classifier.js');
  const { DANGER_MODEL_FILE } = await import('../shared/config/triage.js');
  rmSync(join(resolve(dataDir), dirname(LEXICON_FILE)), { recursive: true, force: true });
  rmSync(join(resolve(dataDir), DANGER_MODEL_FILE), { force: true });
  console.log(`left out of ${dataDir}: ${dirname(LEXICON_FILE)}/ and ${DANGER_MODEL_FILE} (compiled above)`);
}
