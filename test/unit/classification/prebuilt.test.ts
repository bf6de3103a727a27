// The prebuilt classifier (compiled at bundling, loaded with a JSON parse) classifies exactly as the
// lexicon compiled at run time, on every labelled text; one built from other sources is not used.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPrebuiltClassifier, classifierSourceHash, loadLexicon, PREBUILT_CLASSIFIER_BINARY, PREBUILT_CLASSIFIER_FILE, prebuiltClassifier } from '../../../shared/config/classifier.js';
import { loadDivisions } from '../../../shared/config/data-files.js';
import { classifierOf, createClassifier } from '../../../shared/domain/classification/classifier.js';
import { fromPrebuilt, type PrebuiltClassifier } from '../../../shared/domain/classification/prebuilt.js';
import { createToSimplified } from '../../../shared/domain/classification/simplify.js';
import { nonBlankLines, parseLabelledLine } from '../../../shared/domain/classification/jsonl.js';
import { parseManifest } from '../../../shared/domain/classification/labelled-sets.js';

/** Every labelled text of every set in the manifest. */
function labelledTexts() {
  return parseManifest(readFileSync('test/fixtures/manifest.json', 'utf8')).flatMap((set) =>
    nonBlankLines(readFileSync(`test/fixtures/${set.file}`, 'utf8')).flatMap(({ line, lineNo }) => {
      const parsed = parseLabelledLine(line, lineNo);
      return parsed.ok ? [parsed.value] : [];
    }),
  );
}

const originalDataDir = process.env.DATA_DIR;
afterEach(() => {
  if (originalDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = originalDataDir;
});

describe('the prebuilt classifier', () => {
  it('classifies every labelled text exactly as the lexicon compiled at run time (needs, urgency, division, explanation)', () => {
    const built = buildPrebuiltClassifier();
    // Through the forms the files have: JSON text, and bytes at an offset a file read would not give (copied to align).
    const prebuilt = JSON.parse(JSON.stringify(built.document)) as PrebuiltClassifier;
    const unaligned = new Uint8Array(built.binary.length + 1).subarray(1);
    unaligned.set(built.binary);
    const toSimplified = createToSimplified({ triggers: prebuilt.simplifyTriggers });
    const fromFile = classifierOf(fromPrebuilt(prebuilt, unaligned, toSimplified), loadDivisions(), toSimplified);
    const compiled = createClassifier(loadLexicon(), loadDivisions());
    const texts = labelledTexts();
    expect(texts.length).toBeGreaterThan(1000);
    for (const t of texts) {
      expect(fromFile.classify(t.input), t.text).toEqual(compiled.classify(t.input));
    }
    // Traditional text goes through opencc the same way.
    const traditional = { text: '他喝醉了就打我，說要殺了我，我在乾安縣。', channel: '12338' as const };
    expect(fromFile.classify(traditional)).toEqual(compiled.classify(traditional));
  });

  it('is used only when built from exactly the lexicon and divisions beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prebuilt-'));
    try {
      cpSync(resolve('data'), dir, { recursive: true });
      process.env.DATA_DIR = dir;
      expect(prebuiltClassifier()).toBeUndefined(); // none there: the lexicon is compiled
      const prebuilt = buildPrebuiltClassifier();
      expect(prebuilt.document.sourceHash).toBe(classifierSourceHash());
      mkdirSync(join(dir, 'generated'));
      writeFileSync(join(dir, PREBUILT_CLASSIFIER_FILE), JSON.stringify(prebuilt.document));
      expect(prebuiltClassifier()).toBeUndefined(); // its binary part is missing
      writeFileSync(join(dir, PREBUILT_CLASSIFIER_BINARY), prebuilt.binary);
      expect(prebuiltClassifier()?.classify({ text: '他拿刀要砍我', channel: '12338' }).urgency).toBe('emergency');
      // An administrator changed a part of the lexicon after the build: the file is not used.
      const part = join(dir, 'lexicon', 'legal-aid.json');
      writeFileSync(part, `${readFileSync(part, 'utf8')}\n`);
      expect(prebuiltClassifier()).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
