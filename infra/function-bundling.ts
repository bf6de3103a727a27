// How every function is bundled: one minified ESM file per function with its dependencies and the
// AWS SDK inside, for the Node version the code is tested on. The CDK construct
// (constructs/platform-function.ts) passes these settings to NodejsFunction; `npm run bench:bundles`
// and the size test build with the same settings through esbuild's API, so the sizes they report
// are the sizes that deploy.
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';

/** esbuild bundles CommonJS dependencies into the ESM output; they still need a `require`. */
export const ESM_REQUIRE_SHIM = "import { createRequire as __platformCreateRequire } from 'node:module'; const require = __platformCreateRequire(import.meta.url);";

export const FUNCTION_BUNDLING = {
  minify: true,
  /** A separate .map file (not inline): the code's size is the code. */
  sourceMap: true,
  sourcesContent: false,
  // The bundle targets the Node version the code is tested on here (20); it runs on 24 unchanged.
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  /** Chinese text as UTF-8 (3 bytes a character), not \uXXXX escapes (6): the SMS templates, labels and opencc's dictionaries. */
  charset: 'utf8',
} as const;

/** Modules swapped for leaner ones in the bundles (absolute paths, as esbuild resolves an alias in its working directory). */
export function bundleAliases(repositoryRoot: string): Record<string, string> {
  return {
    // The execution role's credentials are in the environment: no SSO, ini, STS or metadata chain (shared/adapters/lambda-credentials.ts).
    '@aws-sdk/credential-provider-node': join(repositoryRoot, 'shared/adapters/lambda-credentials.ts'),
    // opencc's dictionaries from a data file written at bundling, read on the first Traditional text (shared/adapters/opencc-dictionaries-file.ts).
    '#opencc-dictionaries': join(repositoryRoot, 'shared/adapters/opencc-dictionaries-file.ts'),
    // A function's package carries the prebuilt classifier, not the lexicon: no compiler in its code (shared/adapters/no-classifier-source.ts).
    '#classifier-from-source': join(repositoryRoot, 'shared/adapters/no-classifier-source.ts'),
    // No client these functions call streams events; the SDK would only load this for an event-stream operation (shared/adapters/no-event-streams.ts).
    '@smithy/core/event-streams': join(repositoryRoot, 'shared/adapters/no-event-streams.ts'),
  };
}

/** The same settings for esbuild's own API (what NodejsFunction runs for each function). */
export function esbuildOptionsFor(entry: string, outfile: string, repositoryRoot: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    charset: FUNCTION_BUNDLING.charset,
    alias: bundleAliases(repositoryRoot),
    metafile: true,
    logLevel: 'silent',
  };
}
