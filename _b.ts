import { build } from 'esbuild';
import { esbuildOptionsFor } from './infra/function-bundling.js';
import { REPOSITORY_ROOT } from './infra/platform.js';
const name = process.argv[2]!;
await build({ ...esbuildOptionsFor(`${REPOSITORY_ROOT}/functions/${name}/handler.ts`, `/tmp/cold/b/${name}/dev.mjs`, REPOSITORY_ROOT), metafile: false, minify: false });
