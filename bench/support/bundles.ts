// Builds every function of the catalogue exactly as the CDK app does (infra/function-bundling.ts)
// and reports each bundle's size and what it is made of (esbuild's metafile). Used by
// `npm run bench:bundles` and by the size test (test/infra/bundle-size.test.ts).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_CATALOGUE } from '../../infra/function-catalogue.js';
import { esbuildOptionsFor } from '../../infra/function-bundling.js';
import { REPOSITORY_ROOT } from '../../infra/platform.js';

/** Every function's bundle must stay within this (minified code, not counting the source map). */
export const BUNDLE_BUDGET_BYTES = 400 * 1024;

/**
 * Functions above the budget, each held to its size so that it cannot grow while it is brought
 * down: name → bytes. None today; lower an entry as its function shrinks and remove it once the
 * function is within BUNDLE_BUDGET_BYTES.
 */
export const OVER_BUDGET_CEILINGS: Readonly<Record<string, number>> = {};

export const budgetOf = (name: string): number => OVER_BUDGET_CEILINGS[name] ?? BUNDLE_BUDGET_BYTES;

export interface BundleReport {
  name: string;
  bytes: number;
  /** Every input file in the bundle (repository-relative), for checks of what must not be there. */
  inputs: string[];
  /** Bytes in the output by origin (an npm package, or "own code"), largest first. */
  contributors: { origin: string; bytes: number }[];
}

/** node_modules/@scope/pkg/... → @scope/pkg; node_modules/pkg/... → pkg; anything else → own code. */
export function originOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return 'own code';
  const [first, second] = input.slice(at + 'node_modules/'.length).split('/');
  return first!.startsWith('@') ? `${first}/${second}` : first!;
}

export async function measureBundles(names: readonly string[] = FUNCTION_CATALOGUE.map((e) => e.name)): Promise<BundleReport[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  try {
    return await Promise.all(
      names.map(async (name) => {
        const outfile = join(dir, name, 'index.mjs');
        const result = await build(esbuildOptionsFor(join(REPOSITORY_ROOT, 'functions', name, 'handler.ts'), outfile, REPOSITORY_ROOT));
        const output = Object.entries(result.metafile!.outputs).find(([file]) => file.endsWith('.mjs'))![1];
        const byOrigin = new Map<string, number>();
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) byOrigin.set(originOf(input), (byOrigin.get(originOf(input)) ?? 0) + bytesInOutput);
        return {
          name,
          bytes: statSync(outfile).size,
          inputs: Object.keys(output.inputs),
          contributors: [...byOrigin].map(([origin, bytes]) => ({ origin, bytes })).sort((a, b) => b.bytes - a.bytes),
        };
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
