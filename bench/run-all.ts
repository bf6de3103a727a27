// npm run bench: every benchmark of the suite, one after the other (each also runs alone with its own
// npm script), then one summary of the ratios each printed last. Writes bench/results/summary.md.
// The machine is shared and noisy: the ratios are what to compare between runs, not the times.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** The parts, in the order they run, with what each one's last line states. */
const PARTS = [
  { script: 'bench:bundles', measures: 'bundle sizes against the 400 KB budget' },
  { script: 'bench:classify', measures: 'classifier texts/s, bundled, against 50,000' },
  { script: 'bench:intake', measures: 'intake latency and throughput against the raw lookup Query and TransactWriteItems' },
  { script: 'bench:cold-start', measures: 'cold start of each function against a bare PutCommand bundle' },
] as const;

const results: { script: string; measures: string; last: string; ok: boolean }[] = [];
for (const part of PARTS) {
  console.log(`\n=== npm run ${part.script}`);
  const run = spawnSync('npm', ['run', '--silent', part.script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(run.stdout ?? '');
  const lines = (run.stdout ?? '').trim().split('\n');
  results.push({ ...part, last: run.status === 0 ? (lines[lines.length - 1] ?? '') : `failed (exit ${run.status})`, ok: run.status === 0 });
}

const summary = results.map((r) => `- ${r.measures} (\`npm run ${r.script}\`): ${r.last}`).join('\n');
console.log(`\n=== summary\n${summary}`);
writeFileSync(
  new URL('./results/summary.md', import.meta.url),
  `# Benchmark suite\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} at the end. Each part's figures are in its own file here.\n\n${summary}\n`,
);
process.exit(results.every((r) => r.ok) ? 0 : 1);
