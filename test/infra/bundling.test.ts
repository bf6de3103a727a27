// The data files travel with every bundle, copied by node (no cp/rm: administrators on Windows
// deploy too), without the files only the local runtime uses.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifierFromSource as noSource } from '../../shared/adapters/no-classifier-source.js';
import { parsedJsonDataFile } from '../../shared/config/data-files.js';
import { parseRoutingTable } from '../../shared/domain/routing/routing.js';
import { openccDictionaries } from '../../shared/domain/classification/opencc-dictionaries.js';
import { copyDataCommand, LOCAL_ONLY_DATA_FILES, prebuiltClassifierCommand } from '../../infra/constructs/platform-function.js';
import { FUNCTION_CATALOGUE } from '../../infra/function-catalogue.js';
import { REPOSITORY_ROOT } from '../../infra/platform.js';

describe('the afterBundling hook', () => {
  it('copies data/ next to the bundle with node only, leaving out the local-only files', () => {
    const out = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const command = copyDataCommand(REPOSITORY_ROOT, out);
      expect(command.startsWith('node -e ')).toBe(true);
      expect(command).not.toMatch(/\bcp\b|\brm -/);
      execSync(command, { stdio: 'pipe' });
      const copied = readdirSync(join(out, 'data'));
      const source = readdirSync(join(REPOSITORY_ROOT, 'data')).filter((f) => !(LOCAL_ONLY_DATA_FILES as readonly string[]).includes(f));
      expect(copied.sort()).toEqual(source.sort());
      for (const f of LOCAL_ONLY_DATA_FILES) expect(existsSync(join(out, 'data', f))).toBe(false);
      expect(existsSync(join(out, 'data', 'holidays'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('writes the prebuilt classifier and opencc’s dictionaries beside an intake bundle, with node and the repository’s tsx; the bundle’s reader returns them as opencc-js ships them', async () => {
    // The intake functions, and the ledger's (a visit's note is classified like an intake).
    expect(FUNCTION_CATALOGUE.filter((e) => e.classifies).map((e) => e.name)).toEqual(['intake-12338', 'intake-12348', 'intake-web', 'ledger-api']);
    const out = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      execSync(copyDataCommand(REPOSITORY_ROOT, out), { stdio: 'pipe' });
      const command = prebuiltClassifierCommand(REPOSITORY_ROOT, out);
      expect(command.startsWith('node ')).toBe(true);
      execSync(command, { stdio: 'pipe' });
      const prebuilt = JSON.parse(readFileSync(join(out, 'data', 'generated', 'classifier.json'), 'utf8')) as { format: number; sourceHash: string };
      expect(prebuilt.format).toBeGreaterThan(0);
      expect(prebuilt.sourceHash).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(join(out, 'data', 'generated', 'classifier.bin')).size).toBeGreaterThan(100_000);
      // What was compiled is left out of the function's copy: the lexicon and the danger model's TSV.
      expect(existsSync(join(out, 'data', 'lexicon'))).toBe(false);
      expect(existsSync(join(out, 'data', 'danger-model.tsv'))).toBe(false);
      expect(existsSync(join(out, 'data', 'generated', 'danger-model.bin'))).toBe(true);
      const text = { channel: '12338' as const, text: '他喝了酒拿刀说要砍死我，我躲在邻居家。乾安县', divisionCode: null, categoryHint: null };
      const fromSources = (await import('../../shared/config/classifier.js')).prebuiltClassifier;
      const fromRepository = { classifier: (await import('../../shared/config/classifier.js')).loadClassifier(), model: (await import('../../shared/config/triage.js')).loadDangerModel() };
      const routingFromRepository = parseRoutingTable(JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'data', 'routing.json'), 'utf8')));
      // What a bundle reads in place of the dictionaries module (infra/function-bundling.ts swaps them).
      const dataDir = process.env.DATA_DIR;
      process.env.DATA_DIR = join(out, 'data');
      try {
        const fromFile = (await import('../../shared/adapters/opencc-dictionaries-file.js')).openccDictionaries();
        expect(fromFile).toEqual(openccDictionaries());
        // The data files its cold start parses, parsed at bundling: taken from there, equal to a parse of the files.
        const parsed = JSON.parse(readFileSync(join(out, 'data', 'generated', 'parsed-data.json'), 'utf8')) as Record<string, { value: unknown }>;
        expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['routing.json', 'danger-screen.json', 'emergency-signals.json', 'sla.json', 'contact-links.json', 'holidays/2026.json']));
        expect(parsedJsonDataFile('routing.json', parseRoutingTable)).toEqual(routingFromRepository);
        expect(parsed['routing.json']!.value).toEqual(routingFromRepository);
        // The function loads the compiled forms alone, and they answer as the sources do.
        expect(fromSources()!.classify(text)).toEqual(fromRepository.classifier.classify(text));
        const model = (await import('../../shared/config/triage.js')).loadDangerModel();
        expect(model.threshold).toBe(fromRepository.model.threshold);
        expect(model.docs).toEqual(fromRepository.model.docs);
        // Compiled by other code and nothing to fall back on: a clear error, not a wrong answer.
        const prebuiltFile = join(out, 'data', 'generated', 'classifier.json');
        writeFileSync(prebuiltFile, JSON.stringify({ ...JSON.parse(readFileSync(prebuiltFile, 'utf8')), format: 0 }));
        expect(() => fromSources()).toThrow(/format 0.*no lexicon is beside it: bundle the function again/);
        writeFileSync(join(out, 'data', 'generated', 'danger-model.bin'), new Uint8Array(8));
        await expect(import('../../shared/config/triage.js').then((m) => m.loadDangerModel())).rejects.toThrow(/no model file is beside it: bundle the function again/);
        // What a bundle has in place of the lexicon's compiler, should the prebuilt classifier be missing.
        expect(() => noSource()).toThrow(/no lexicon to compile: bundle the function again/);
      } finally {
        if (dataDir === undefined) delete process.env.DATA_DIR;
        else process.env.DATA_DIR = dataDir;
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
