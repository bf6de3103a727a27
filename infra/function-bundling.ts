// How every function is bundled: one minified ESM file per function with its dependencies and the
// AWS SDK inside, for the Node version the code is tested on. The CDK construct
// (constructs/platform-function.ts) passes these settings to NodejsFunction; `npm run bench:bundles`
// and the size test build with the same settings through esbuild's API, so the sizes they report
// are the sizes that deploy.
import type { BuildOptions } from 'esbuild';

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
} as const;

/** The same settings for esbuild's own API (what NodejsFunction runs for each function). */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
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
    metafile: true,
    logLevel: 'silent',
  };
}
