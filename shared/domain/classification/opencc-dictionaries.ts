// The opencc dictionaries of the Traditional → Simplified conversion (simplify.ts), each its own
// module of opencc-js (not the whole preset). This is what tests and the local runtime use; a
// function bundle swaps this module for shared/adapters/opencc-dictionaries-file.ts, which reads the
// same strings from a data file written at bundling (about 75 KB out of the intake bundles' code,
// read only when the first Traditional text arrives).
import CJK_COMPATIBILITY from 'opencc-js/dict/CJK_Compatibility_Ideographs';
import HK_VARIANTS_REV from 'opencc-js/dict/HKVariantsRev';
import HK_VARIANTS_REV_PHRASES from 'opencc-js/dict/HKVariantsRevPhrases';
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';
import TS_PHRASES from 'opencc-js/dict/TSPhrases';
import TW_VARIANTS_REV from 'opencc-js/dict/TWVariantsRev';
import TW_VARIANTS_REV_PHRASES from 'opencc-js/dict/TWVariantsRevPhrases';

/** Each dictionary as opencc-js ships it: "src dst|src dst|…". */
export interface OpenccDictionaries {
  twVariantsRevPhrases: string;
  twVariantsRev: string;
  hkVariantsRevPhrases: string;
  hkVariantsRev: string;
  tsPhrases: string;
  tsCharacters: string;
  cjkCompatibility: string;
}

export function openccDictionaries(): OpenccDictionaries {
  return {
    twVariantsRevPhrases: TW_VARIANTS_REV_PHRASES,
    twVariantsRev: TW_VARIANTS_REV,
    hkVariantsRevPhrases: HK_VARIANTS_REV_PHRASES,
    hkVariantsRev: HK_VARIANTS_REV,
    tsPhrases: TS_PHRASES,
    tsCharacters: TS_CHARACTERS,
    cjkCompatibility: CJK_COMPATIBILITY,
  };
}
