// What the bundled functions use in place of shared/domain/classification/opencc-dictionaries.ts:
// the same dictionaries read from data/generated/opencc-dictionaries.json, which the bundling writes
// beside every function that classifies (npm run build:classifier). Read on first use only, that is
// when the first Traditional text arrives or when the prebuilt classifier cannot be used.
import { readJsonDataFile } from '../config/data-files.js';
import type { OpenccDictionaries } from '../domain/classification/opencc-dictionaries.js';

export type { OpenccDictionaries };

export const OPENCC_DICTIONARIES_FILE = 'generated/opencc-dictionaries.json';

const KEYS: readonly (keyof OpenccDictionaries)[] = ['twVariantsRevPhrases', 'twVariantsRev', 'hkVariantsRevPhrases', 'hkVariantsRev', 'tsPhrases', 'tsCharacters', 'cjkCompatibility'];

let dictionaries: OpenccDictionaries | undefined;

export function openccDictionaries(): OpenccDictionaries {
  if (dictionaries) return dictionaries;
  const read = readJsonDataFile<Partial<Record<keyof OpenccDictionaries, unknown>>>(OPENCC_DICTIONARIES_FILE);
  const missing = KEYS.filter((k) => typeof read[k] !== 'string' || (read[k] as string).length === 0);
  if (missing.length > 0) throw new Error(`data/${OPENCC_DICTIONARIES_FILE}: missing ${missing.join(', ')} (written by npm run build:classifier)`);
  dictionaries = read as OpenccDictionaries;
  return dictionaries;
}
