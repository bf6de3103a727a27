// npm run bench:notify [-- --intakes 600 --concurrency 8]
// The emergency path under load, on the local runtime exactly as `npm start` runs it (its own
// DynamoDB Local, the real handlers and stream notifier, the console SMS sink): an emergency's SMS
// delay when idle; then N signed routine 12338 intakes at concurrency C and, right after them, one
// emergency — its SMS delay after its 201 (target ≤ 3 s) — and the notifier's throughput as a ratio
// to the intake throughput of the same run (target ≥ 1.0: the notifier keeps up). Prints figures and
// a last line of ratios; appends them to bench/results/notify.md.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL } from '../local/dev-config.js';
import { startLocalRuntime } from '../local/runtime.js';
import { streamNotifier } from '../local/services/stream-notifier.js';
import { signatureHeader } from '../shared/http/signature.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const INTAKES = arg('intakes', 600);
const CONCURRENCY = arg('concurrency', 8);

// Every printed line with the moment it was printed: the SMS and SNS sinks print one line per send.
const lines: { at: number; text: string }[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = String(chunk);
  if (text.startsWith('[SMS') || text.startsWith('[SNS')) {
    lines.push({ at: Date.now(), text });
    return true;
  }
  return write(chunk as string, ...(rest as []));
}) as typeof process.stdout.write;
const log = (s: string) => write(`${s}\n`);

const rt = await startLocalRuntime({ port: 0, services: [streamNotifier({ print: () => undefined })] });
const key = DEV_KEY_FOR_CHANNEL['12338'];
let n = 0;
async function post(summary: string): Promise<{ status: number; reference: string; referrals: number; at: number }> {
  const body = JSON.stringify({
    callId: `bench-${Date.now()}-${++n}`,
    receivedAt: new Date().toISOString(),
    operatorId: 'bench',
    summary,
    location: { divisionCode: '222403' },
    contact: {},
    consent: { shareWithDepartments: true },
  });
  const res = await fetch(`${rt.api.url}/intake/12338`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-key-id': key, 'x-signature': signatureHeader(DEV_HOTLINE_KEYS[key]!.secret, Math.floor(Date.now() / 1000), body) },
    body,
  });
  const at = Date.now();
  const json = (await res.json()) as { reference: string; referrals: unknown[] };
  return { status: res.status, reference: json.reference, referrals: json.referrals?.length ?? 0, at };
}
const EMERGENCY = '来电人称丈夫拿着菜刀说要砍死她，人就在门外。';
const ROUTINE = '来电人想咨询离婚时孩子抚养费怎么算。';

async function until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pred();
}
const smsDelay = async (e: { reference: string; at: number }) => {
  const ok = await until(() => lines.some((l) => l.text.startsWith('[SMS') && l.text.includes(e.reference)), 120_000);
  return ok ? lines.find((l) => l.text.startsWith('[SMS') && l.text.includes(e.reference))!.at - e.at : Number.NaN;
};

// Warm-up, then the idle figure.
await smsDelay(await post(EMERGENCY));
const idle = await smsDelay(await post(EMERGENCY));

// The load: N routine intakes at concurrency C, then one emergency.
const started = Date.now();
const routine: { reference: string; referrals: number }[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < INTAKES; i = next++) {
      const r = await post(ROUTINE);
      if (r.status !== 201) throw new Error(`intake answered ${r.status}`);
      routine.push(r);
    }
  }),
);
const intakeSeconds = (Date.now() - started) / 1000;
const emergency = await post(EMERGENCY);
const loaded = await smsDelay(emergency);
const refs = new Set(routine.map((r) => r.reference));
const expected = routine.reduce((s, r) => s + r.referrals, 0);
const published = () => lines.filter((l) => l.text.startsWith('[SNS') && refs.has(JSON.parse(l.text.slice(l.text.indexOf('{'))).reference as string));
await until(() => published().length >= expected, 300_000);
const last = Math.max(...published().map((l) => l.at));
const firstPublished = Math.min(...published().map((l) => l.at));
const notifierSeconds = (last - firstPublished) / 1000;
await rt.stop();

// Each side's rate over its own active window: intakes from the first post to the last 201,
// referrals from the first publish to the last. A notifier that keeps up ends with the intakes.
const intakeRate = INTAKES / intakeSeconds;
const notifierRate = published().length / notifierSeconds;
const ratio = notifierRate / intakeRate;
const report = [
  `notify bench ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
  `  emergency SMS after its 201, idle:                         ${idle} ms`,
  `  ${INTAKES} routine 12338 intakes at concurrency ${CONCURRENCY}:        ${intakeRate.toFixed(1)} intakes/s (${intakeSeconds.toFixed(1)} s)`,
  `  emergency SMS after its 201, right after them:             ${loaded} ms (target ≤ 3000)`,
  `  notifier: ${published().length}/${expected} referrals published in ${notifierSeconds.toFixed(1)} s (first to last): ${notifierRate.toFixed(1)} /s; the last ${((last - (started + intakeSeconds * 1000)) / 1000).toFixed(1)} s after the last intake`,
  `ratios: notifier/intake throughput ${ratio.toFixed(2)} (target ≥ 1.0); loaded/idle emergency delay ${(loaded / idle).toFixed(1)}; emergency delay ${(loaded / 1000).toFixed(2)} s (target ≤ 3)`,
];
for (const l of report) log(l);
appendFileSync('bench/results/notify.md', `\n\`\`\`\n$ npm run bench:notify -- --intakes ${INTAKES} --concurrency ${CONCURRENCY}\n${report.join('\n')}\n\`\`\`\n`);
process.exit(0);
