// Every function bundle, built with the settings `cdk deploy` uses, stays within its size: 400 KB,
// or for the few still above it the ceiling they are held to (bench/support/bundles.ts). And what
// was taken out stays out: the SDK's full credential chain, exceljs, zod's locales, opencc outside
// the intake functions and its dictionaries in any code, the SDK's event streams, classic zod.
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_CATALOGUE } from '../../infra/function-catalogue.js';
import { BUNDLE_BUDGET_BYTES, budgetOf, measureBundles, OVER_BUDGET_CEILINGS, type BundleReport } from '../../bench/support/bundles.js';

let bundles: BundleReport[];
beforeAll(async () => {
  bundles = await measureBundles();
}, 120_000);

describe('function bundles', () => {
  it('builds one bundle per function of the catalogue', () => {
    expect(bundles.map((b) => b.name).sort()).toEqual(FUNCTION_CATALOGUE.map((e) => e.name).sort());
  });

  it('keeps each within its budget', () => {
    for (const b of bundles) expect(b.bytes, `${b.name}: ${b.bytes} bytes`).toBeLessThanOrEqual(budgetOf(b.name));
  });

  it('holds a function above 400 KB only while it is above it (a ceiling is removed once met)', () => {
    for (const [name, ceiling] of Object.entries(OVER_BUDGET_CEILINGS)) {
      const b = bundles.find((x) => x.name === name);
      expect(b, name).toBeDefined();
      expect(b!.bytes, `${name} fits in 400 KB now: remove its ceiling`).toBeGreaterThan(BUNDLE_BUDGET_BYTES);
      expect(ceiling).toBeGreaterThan(BUNDLE_BUDGET_BYTES);
    }
  });

  it('leaves out the full credential chain, the spreadsheet library, zod’s other locales and opencc-js, and the Traditional converter outside the classifying functions', () => {
    for (const b of bundles) {
      const has = (part: string) => b.inputs.some((i) => i.includes(part));
      expect(has('node_modules/@aws-sdk/credential-provider-node/'), b.name).toBe(false);
      expect(has('node_modules/@aws-sdk/credential-provider-ini/'), b.name).toBe(false);
      expect(has('node_modules/exceljs/'), b.name).toBe(false);
      // zod's default English messages only, none of its other 60-odd locales.
      expect(
        b.inputs.filter((i) => i.includes('zod/v4/locales/')).map((i) => i.split('/').pop()),
        b.name,
      ).toEqual(b.inputs.some((i) => i.includes('node_modules/zod/')) ? ['en.js'] : []);
      // opencc's dictionaries come from a data file that only a classifying function's bundling writes; its algorithm is dictionary-converter.ts.
      expect(has('node_modules/opencc-js/'), b.name).toBe(false);
      expect(has('shared/domain/classification/dictionary-converter.ts'), b.name).toBe(FUNCTION_CATALOGUE.find((e) => e.name === b.name)!.classifies === true);
      expect(has('shared/adapters/opencc-dictionaries-file.ts'), b.name).toBe(FUNCTION_CATALOGUE.find((e) => e.name === b.name)!.classifies === true);
      // A package carries the prebuilt classifier, not the lexicon: the lexicon's validation is in no bundle (nor its compiler, of whose module only the table layout's constants remain).
      expect(has('shared/domain/classification/lexicon.ts'), b.name).toBe(false);
      // No client here streams events: the SDK's event-stream code is swapped for a stub that says so.
      expect(has('node_modules/@smithy/core/dist-es/submodules/event-streams/'), b.name).toBe(false);
    }
  });

  it('validates with zod/mini in every function: classic zod (its methods bound on every schema, and some 60 KB more of zod’s core) is in none', () => {
    for (const b of bundles) {
      expect(
        b.inputs.filter((i) => i.includes('node_modules/zod/v4/classic/') || /node_modules\/zod\/(index|v4\/index)\.js$/.test(i)),
        b.name,
      ).toEqual([]);
    }
  });
});
