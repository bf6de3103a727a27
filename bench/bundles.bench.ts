// npm run bench:bundles: builds every function as `cdk deploy` does (infra/function-bundling.ts) and
// prints each bundle's size against its budget and its five largest contributors; writes
// bench/results/bundles.md. Sizes are exact (no timing), so one run is enough.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { BUNDLE_BUDGET_BYTES, budgetOf, measureBundles } from './support/bundles.js';

const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
const reports = (await measureBundles()).sort((a, b) => b.bytes - a.bytes);
const lines = reports.map(
  (r) =>
    `| ${r.name} | ${kb(r.bytes)} | ${kb(budgetOf(r.name))} | ${r.bytes <= BUNDLE_BUDGET_BYTES ? 'yes' : 'no'} | ${r.contributors
      .slice(0, 5)
      .map((c) => `${c.origin} ${kb(c.bytes)}`)
      .join(', ')} |`,
);
const table = ['| function | minified | ceiling | within 400 KB | five largest parts |', '|---|---|---|---|---|', ...lines].join('\n');
const within = reports.filter((r) => r.bytes <= BUNDLE_BUDGET_BYTES).length;
const largest = reports[0]!;
const summary = `bundles: ${within}/${reports.length} within 400 KB; largest ${largest.name} ${kb(largest.bytes)} = ${(largest.bytes / BUNDLE_BUDGET_BYTES).toFixed(2)} × budget`;
console.log(table);
console.log(summary);
writeFileSync(
  new URL('./results/bundles.md', import.meta.url),
  `# Function bundles\n\n\`npm run bench:bundles\` on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}. Each function is bundled with the settings \`cdk deploy\` uses (infra/function-bundling.ts: minified ESM, UTF-8, the AWS SDK inside, the credential chain reduced to the environment, no event-stream code, opencc's dictionaries read from a data file); sizes are of the code file, not its source map. test/infra/bundle-size.test.ts fails when a function passes its ceiling.\n\n${table}\n\n${summary}\n`,
);
