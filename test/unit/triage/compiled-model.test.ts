// The danger model a deployed intake function reads: compiled beside its data when the bundling wrote
// it from exactly the model file there, the model file itself otherwise.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCompiledDangerModel, COMPILED_DANGER_MODEL_FILE, DANGER_MODEL_FILE, loadDangerModel } from '../../../shared/config/triage.js';
import { gramsOf, packModel, scoreGrams } from '../../../shared/domain/triage/ngram-model.js';

const originalDataDir = process.env.DATA_DIR;
afterEach(() => {
  if (originalDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = originalDataDir;
});

describe('the compiled danger model', () => {
  it('is read when compiled from the model file beside it, and ignored once that file changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'danger-model-'));
    try {
      cpSync(resolve('data'), dir, { recursive: true });
      process.env.DATA_DIR = dir;
      const fromText = loadDangerModel();
      mkdirSync(join(dir, 'generated'));
      // What the bundling writes reads back as the text does.
      writeFileSync(join(dir, COMPILED_DANGER_MODEL_FILE), buildCompiledDangerModel());
      const text = '他拿着刀说要砍死我';
      expect(scoreGrams(loadDangerModel(), gramsOf(text))).toBe(scoreGrams(fromText, gramsOf(text)));
      // A compiled file is what is read when its hash is the model file's (here it says threshold 77, the text does not).
      const tsv = readFileSync(join(dir, DANGER_MODEL_FILE));
      const sha = createHash('sha256').update(tsv).digest('hex');
      writeFileSync(join(dir, COMPILED_DANGER_MODEL_FILE), packModel({ ...fromText, threshold: 77 }, sha));
      expect(loadDangerModel().threshold).toBe(77);
      // An administrator retrained the model after the build: the compiled file is stale and not used.
      const [header, ...lines] = tsv.toString('utf8').split('\n');
      writeFileSync(join(dir, DANGER_MODEL_FILE), `${header!.replace(/"threshold":[-0-9.e]+/, '"threshold":123')}\n${lines.join('\n')}`);
      expect(loadDangerModel().threshold).toBe(123);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
