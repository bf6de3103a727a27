// npm run bench:intake [-- --pairs 300 --slice 5 --rounds 4 --concurrency 8,32]
// What the intake path costs on top of the database work it must do: the lookup of the caller's
// earlier contacts (one Query on her number's keyed hash) and the one write. The local runtime
// (`npm start`'s API, real handlers, its own DynamoDB Local; the stream services off, so that both
// sides have the engine to themselves) receives signed 12338 intakes over HTTP; every Query and
// TransactWriteItems the intake sends is recorded, and the same (the transaction with a fresh case
// id, reference and call id of the same length) is sent straight to the same engine with the SDK: "raw".
//   latency: intake and raw interleaved (order alternating), p50 and p99 of each, ratio intake/raw;
//   throughput: at each concurrency, alternating slices of `--slice` seconds of intakes and of raw
//   transactions, `--rounds` of each; ratio intake/raw of the requests completed per second.
// The machine is shared and noisy: the ratios are the figures. Writes bench/results/intake.md; the
// last line printed holds the ratios (targets: p50 ≤ 1.3, throughput at 8 ≥ 0.8).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
import { DynamoDBClient, QueryCommand, TransactWriteItemsCommand, type QueryCommandInput, type TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { monotonicFactory } from 'ulid';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL } from '../local/dev-config.js';
import { LOCAL_AWS_CONFIG } from '../local/dynamodb-local.js';
import { startLocalRuntime } from '../local/runtime.js';
import { documentClient } from '../shared/adapters/dynamo/client.js';
import { signatureHeader } from '../shared/http/signature.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const PAIRS = Number(arg('pairs', '300'));
const SLICE_S = Number(arg('slice', '5'));
const ROUNDS = Number(arg('rounds', '4'));
const CONCURRENCIES = arg('concurrency', '8,32').split(',').map(Number);

// Console output of the SMS and topic sinks is not wanted here (nothing is notified: services are off).
const rt = await startLocalRuntime({ port: 0 });
const raw = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint });

// Every transaction the handlers send through the document client (its input before marshalling).
type NativeTransaction = { TransactItems: { Put?: { TableName: string; Item: Record<string, unknown>; ConditionExpression?: string } }[] };
/** The lookup of her earlier contacts (a Query on her number's keyed hash), before the transaction. */
type NativeQuery = { TableName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> } & Record<string, unknown>;
const captured: NativeTransaction[] = [];
const capturedQueries: NativeQuery[] = [];
documentClient().middlewareStack.add(
  (next) => async (args) => {
    const input = args.input as NativeTransaction & Partial<NativeQuery>;
    if (Array.isArray(input.TransactItems)) captured.push(structuredClone(input));
    else if (String(input.ExpressionAttributeValues?.[':pk'] ?? '').startsWith('PERSONKEY#')) capturedQueries.push(structuredClone(input as NativeQuery));
    return next(args);
  },
  { step: 'serialize', priority: 'high', name: 'benchCaptureTransactions' },
);

// Real intake texts: the programme's labelled samples and the regression sets' sentences.
const texts = ['samples.jsonl', 'regression/dev.jsonl'].flatMap((f) =>
  readFileSync(`test/fixtures/${f}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text),
);
const key = DEV_KEY_FOR_CHANNEL['12338'];
// The load generator: node's own HTTP client with kept-alive connections (lighter than fetch, so
// that the client's cost weighs less in what is measured; the server is the same either way).
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const api = new URL(rt.api.url);
function post(path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: api.hostname, port: api.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A kept-alive connection the server had closed as it was reused: the request was not read, so
    // it goes again on a new one (node's documented remedy for this race).
    req.on('error', (err: NodeJS.ErrnoException) => (req.reusedSocket && err.code === 'ECONNRESET' ? post(path, headers, body).then(resolve, reject) : reject(err)));
    req.end(body);
  });
}
let n = 0;
async function intake(): Promise<{ ms: number; transaction: NativeTransaction; queries: NativeQuery[] }> {
  const body = JSON.stringify({
    callId: `bench-${process.pid}-${++n}`,
    receivedAt: new Date().toISOString(),
    operatorId: 'bench',
    summary: texts[n % texts.length],
    // A caller's mobile, new each time (as most are): the intake looks up her earlier contacts by its keyed hash.
    caller: { phone: `139${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}` },
    location: { divisionCode: '222403' },
    consent: { shareWithDepartments: true },
  });
  const before = captured.length;
  const queriesBefore = capturedQueries.length;
  const t0 = performance.now();
  const status = await post(
    '/intake/12338',
    { 'content-type': 'application/json', 'x-key-id': key, 'x-signature': signatureHeader(DEV_HOTLINE_KEYS[key]!.secret, Math.floor(Date.now() / 1000), body) },
    body,
  );
  const ms = performance.now() - t0;
  if (status !== 201) throw new Error(`intake answered ${status}`);
  const transaction = captured.slice(before).find((t) => t.TransactItems.some((i) => i.Put?.Item.entity === 'case'));
  if (!transaction) throw new Error('no transaction recorded for the intake');
  return { ms, transaction, queries: capturedQueries.slice(queriesBefore) };
}

const newUlid = monotonicFactory();
let fresh = 0;
/**
 * The same transaction for a new case, as the engine receives it (marshalled once, here, as the
 * document client does): its case id, reference and idempotency key replaced by new ones of the same length.
 */
/** What the intake sent to the engine, to send again: its lookup Queries (as they were), then its transaction (fresh ids). */
interface RawWork {
  queries: QueryCommandInput[];
  transaction: () => TransactWriteItemsCommandInput;
}
function replayableWork(r: { transaction: NativeTransaction; queries: NativeQuery[] }): RawWork {
  return { queries: r.queries.map((q) => ({ ...q, ExpressionAttributeValues: marshall(q.ExpressionAttributeValues) }) as QueryCommandInput), transaction: replayable(r.transaction) };
}
function replayable(t: NativeTransaction): () => TransactWriteItemsCommandInput {
  const items = t.TransactItems;
  if (items.some((i) => !i.Put)) throw new Error('only Put items are replayed');
  const caseItem = items.find((i) => i.Put!.Item.entity === 'case')!.Put!.Item;
  const caseId = caseItem.caseId as string;
  const reference = caseItem.reference as string;
  const idempotency = items.find((i) => i.Put!.Item.entity === 'idempotency')!.Put!.Item.pk as string;
  const marshalled: TransactWriteItemsCommandInput = { TransactItems: items.map((i) => ({ Put: { ...i.Put!, Item: marshall(i.Put!.Item, { removeUndefinedValues: true }) } })) };
  const json = JSON.stringify(marshalled);
  const sameLength = (old: string, tag: string) => {
    const s = `${tag}${(++fresh).toString(36)}${process.pid.toString(36)}`;
    return s.length >= old.length ? s.slice(-old.length) : s.padStart(old.length, '0');
  };
  return () => {
    const id = newUlid();
    return JSON.parse(
      json
        .replaceAll(idempotency, `${idempotency.slice(0, idempotency.lastIndexOf('#') + 1)}${sameLength(idempotency.slice(idempotency.lastIndexOf('#') + 1), 'r')}`)
        .replaceAll(caseId, id)
        .replaceAll(reference, `${reference.slice(0, -8)}${sameLength('12345678', '')}`),
    ) as TransactWriteItemsCommandInput;
  };
}
async function rawWrite(work: RawWork): Promise<number> {
  const t0 = performance.now();
  for (const q of work.queries) await raw.send(new QueryCommand(q));
  await raw.send(new TransactWriteItemsCommand(work.transaction()));
  return performance.now() - t0;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const f1 = (x: number) => x.toFixed(1);

try {
  // Warm-up: both paths compiled and connected.
  const templates: RawWork[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await intake();
    templates.push(replayableWork(r));
    await rawWrite(templates[templates.length - 1]!);
  }

  // ---- latency: the same transaction both ways, interleaved ----
  const intakeMs: number[] = [];
  const rawMs: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      const r = await intake();
      intakeMs.push(r.ms);
      rawMs.push(await rawWrite(replayableWork(r)));
    } else {
      const next = templates[i % templates.length]!;
      rawMs.push(await rawWrite(next));
      intakeMs.push((await intake()).ms);
    }
  }
  const latency = { intakeP50: pct(intakeMs, 50), intakeP99: pct(intakeMs, 99), rawP50: pct(rawMs, 50), rawP99: pct(rawMs, 99) };

  // ---- throughput: alternating slices ----
  async function slice(concurrency: number, one: () => Promise<unknown>): Promise<number> {
    const end = performance.now() + SLICE_S * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          await one();
          done++;
        }
      }),
    );
    return done / SLICE_S;
  }
  let k = 0;
  const throughput = [];
  for (const c of CONCURRENCIES) {
    const intakeRps: number[] = [];
    const rawRps: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      intakeRps.push(await slice(c, () => intake()));
      rawRps.push(await slice(c, () => rawWrite(templates[k++ % templates.length]!)));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    throughput.push({ concurrency: c, intake: mean(intakeRps), raw: mean(rawRps), ratio: mean(intakeRps) / mean(rawRps) });
  }

  const machine = `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map(f1).join(' ')} at the end`;
  const lines = [
    machine,
    '',
    `Latency, ${PAIRS} intakes and ${PAIRS} raw transactions interleaved (ms):`,
    `  intake (HTTP, signature, validation, classification, lookup, routing, transaction)   p50 ${f1(latency.intakeP50)}   p99 ${f1(latency.intakeP99)}`,
    `  raw (its lookup Query, then its TransactWriteItems with fresh ids)                   p50 ${f1(latency.rawP50)}   p99 ${f1(latency.rawP99)}`,
    `  ratio intake/raw                                                                  p50 ${(latency.intakeP50 / latency.rawP50).toFixed(2)}   p99 ${(latency.intakeP99 / latency.rawP99).toFixed(2)}`,
    '',
    `Throughput, ${ROUNDS} alternating slices of ${SLICE_S} s each way (requests/s):`,
    ...throughput.map((t) => `  concurrency ${String(t.concurrency).padEnd(3)} intake ${f1(t.intake).padStart(6)}   raw ${f1(t.raw).padStart(6)}   ratio ${t.ratio.toFixed(2)}`),
  ];
  const summary = `intake ratios to raw (lookup Query + TransactWriteItems): latency p50 ${(latency.intakeP50 / latency.rawP50).toFixed(2)} (target ≤ 1.30), p99 ${(latency.intakeP99 / latency.rawP99).toFixed(2)}; throughput ${throughput.map((t) => `at ${t.concurrency} ${t.ratio.toFixed(2)}`).join(', ')} (target at 8 ≥ 0.80)`;
  console.log(lines.join('\n'));
  console.log(summary);
  writeFileSync(
    new URL('./results/intake.md', import.meta.url),
    `# Intake latency and throughput\n\n\`npm run bench:intake -- --pairs ${PAIRS} --slice ${SLICE_S} --rounds ${ROUNDS} --concurrency ${CONCURRENCIES.join(',')}\` on ${new Date().toISOString().slice(0, 10)}. The local runtime as \`npm start\` runs it (stream services off), DynamoDB Local in memory; "raw" is what the intake sent to the engine, sent again with the SDK: the Query that looks up the caller's earlier contacts (each intake carries a new caller's mobile), then the TransactWriteItems with a fresh case id, reference and call id. The machine is shared: only the ratios mean anything.\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n\n${summary}\n`,
  );
} finally {
  agent.destroy();
  raw.destroy();
  await rt.stop();
}
process.exit(0);
