// npm run bench:cold-start [-- --runs 15]: the cold start of each function as Lambda would see it,
// against a bare function that only does one PutCommand. Each function is bundled as `cdk deploy`
// bundles it (infra/function-bundling.ts, data/ beside it); each run is a fresh node process that
// imports the bundle and handles one representative event against DynamoDB Local, timed from the
// process's start to the answer. Runs are interleaved (every round runs each function once, in a
// shuffled order), so the machine's load falls on all alike; the figures are ratios of medians.
import { build } from 'esbuild';
import { execSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyDataCommand, prebuiltClassifierCommand } from '../infra/constructs/platform-function.js';
import { esbuildOptionsFor } from '../infra/function-bundling.js';
import { FUNCTION_CATALOGUE } from '../infra/function-catalogue.js';
import { REPOSITORY_ROOT } from '../infra/platform.js';
import { loadContactLinkRules } from '../shared/config/intake.js';
import { mintDevToken, verifyDevToken } from '../local/dev-jwt.js';
import { DEV_HOTLINE_KEYS, DEV_PERSON_KEY } from '../local/dev-config.js';
import { LOCAL_AWS_CONFIG, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable, scanAll } from '../local/table.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SameRequestsEvent } from './support/same-requests-handler.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 15);

type EventOf = () => Promise<unknown>;

async function staffClaims(role: 'admin' | 'caseworker' | 'ledger_officer', department?: string, division?: string) {
  return verifyDevToken(await mintDevToken({ sub: 'bench', role, department: department ?? null, division: division ?? null }));
}

function apiEvent(routeKey: string, rawPath: string, options: { body?: unknown; claims?: Record<string, string>; pathParameters?: Record<string, string>; query?: Record<string, string> } = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    requestContext: {
      http: { method: routeKey.split(' ')[0], path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
    body,
    isBase64Encoded: false,
  };
}

/** The functions measured, each with an event it handles fully (a write where the function writes). */
const FUNCTIONS: Record<string, EventOf> = {
  'intake-web': async () =>
    apiEvent('POST /intake/web', '/intake/web', {
      body: {
        clientRequestId: randomUUID(),
        description: '丈夫在外打工，我想咨询离婚和孩子抚养的问题。',
        divisionCode: '220722',
        // Her mobile: the intake looks up her earlier contacts by its keyed hash (a Query) before it writes.
        phone: '13912345678',
        contact: { safeToSms: false },
        consent: { shareWithDepartments: true },
      },
    }),
  'referrals-api': async () => apiEvent('GET /referrals', '/referrals', { claims: await staffClaims('caseworker', 'justice', '220722') }),
  'get-case': async () => apiEvent('GET /cases/{caseId}', '/cases/01KB0000000000000000000000', { claims: await staffClaims('admin'), pathParameters: { caseId: '01KB0000000000000000000000' } }),
  reports: async () => apiEvent('GET /reports/overview', '/reports/overview', { claims: await staffClaims('admin') }),
  escalation: async () => ({ version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), resources: [], detail: {} }),
  statistics: async () => ({ Records: [] }),
  notifier: async () => ({ Records: [] }),
  'api-docs': async () => apiEvent('GET /openapi.json', '/openapi.json'),
  'ledger-api': async () => apiEvent('GET /ledger/women', '/ledger/women', { claims: await staffClaims('ledger_officer', 'civil_affairs', '220722') }),
};

/** The yardsticks, bundled from bench/support/ like the functions: they are not among the ratios checked. */
const YARDSTICK_ENTRIES: Record<string, string> = { bare: 'bench/support/bare-handler.ts', 'same-requests': 'bench/support/same-requests-handler.ts' };
const YARDSTICKS = Object.keys(YARDSTICK_ENTRIES);

/** What the web intake asked of the table: the items of its one case (read back) and the partition of her contact lookup. */
async function intakeRequests(endpoint: string, tableName: string): Promise<SameRequestsEvent> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint }));
  const items = await scanAll(db, tableName);
  db.destroy();
  const cases = items.filter((i) => i.entity === 'case');
  if (cases.length !== 1) throw new Error(`expected the first intake's one case in the table, found ${cases.length}`);
  const written = items.filter((i) => i.caseId === cases[0]!.caseId);
  const link = written.find((i) => i.entity === 'contact_link');
  if (!link) throw new Error("the first intake wrote no contact link: the same-requests yardstick needs her lookup's partition");
  // As saveNewCase: the idempotency, reference, case and link items are conditional; referrals and events are not.
  const conditional = new Set(['idempotency', 'reference', 'case', 'contact_link']);
  // findContacts asks for one more than it links.
  return { contactPk: String(link.pk), limit: loadContactLinkRules().maxLinkedCases + 1, items: written.map((item) => ({ item, conditional: conditional.has(String(item.entity)) })) };
}

const RUNNER = `
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const started = Date.now();
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => Math.max(0, 30000 - (Date.now() - started)), callbackWaitsForEmptyEventLoop: false };
const { handler } = await import(bundle);
const result = await handler(event, context);
process.stdout.write(JSON.stringify({ ms: performance.now(), status: result && result.statusCode !== undefined ? result.statusCode : null }));
process.exit(0);
`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

function runOnce(dir: string, name: string, eventFile: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'runner.mjs'), join(dir, name, 'index.mjs'), eventFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(out) as { ms: number; status: number | null });
      } catch (e) {
        reject(
          new Error(
            `${name}: ${(e as Error).message}\n${err
              .split('\n')
              .filter((l) => !/NodeVersionSupportWarning|versions published|require node|continue receiving|security updates|a\.co|trace-warnings/.test(l) && l.trim())
              .slice(0, 8)
              .join('\n')}`,
          ),
        );
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
const db = await startDynamoDbLocal();
try {
  const tableName = 'cold-start';
  const client = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: db.endpoint });
  await ensureTable(client, tableName);
  client.destroy();

  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  const names = [...YARDSTICKS, ...Object.keys(FUNCTIONS)];
  for (const name of names) {
    const entry = YARDSTICK_ENTRIES[name] ? join(REPOSITORY_ROOT, YARDSTICK_ENTRIES[name]) : join(REPOSITORY_ROOT, 'functions', name, 'handler.ts');
    await build({ ...esbuildOptionsFor(entry, join(dir, name, 'index.mjs'), REPOSITORY_ROOT), metafile: false });
    // As the CDK's afterBundling hook does: the data files beside the code, and an intake function's prebuilt classifier.
    if (!YARDSTICK_ENTRIES[name]) execSync(copyDataCommand(REPOSITORY_ROOT, join(dir, name)), { stdio: 'pipe' });
    if (FUNCTION_CATALOGUE.find((e) => e.name === name)?.classifies) execSync(prebuiltClassifierCommand(REPOSITORY_ROOT, join(dir, name)), { stdio: 'pipe' });
  }

  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: db.endpoint,
    TABLE_NAME: tableName,
    HOTLINE_KEYS: JSON.stringify(DEV_HOTLINE_KEYS),
    PERSON_KEY: DEV_PERSON_KEY,
    SMS_ADAPTER: 'console',
    REFERRAL_PUBLISHER: 'console',
    LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    NODE_OPTIONS: '--no-deprecation',
  };
  // The same-requests yardstick writes what the web intake wrote: one intake first, its items read back.
  const envOf = (name: string) => ({ ...baseEnv, POWERTOOLS_SERVICE_NAME: name, DATA_DIR: join(dir, name, 'data') });
  const intakeEventFile = join(dir, 'first-intake.event.json');
  writeFileSync(intakeEventFile, JSON.stringify(await FUNCTIONS['intake-web']!()));
  await runOnce(dir, 'intake-web', intakeEventFile, envOf('intake-web'));
  const sameRequests = await intakeRequests(db.endpoint, tableName);

  const times = new Map<string, number[]>(names.map((n) => [n, []]));
  const statuses = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (let round = 0; round < RUNS; round++) {
    const order = [...names].sort(() => Math.random() - 0.5);
    for (const name of order) {
      const eventFile = join(dir, `${name}.event.json`);
      writeFileSync(eventFile, JSON.stringify(name === 'bare' ? {} : name === 'same-requests' ? sameRequests : await FUNCTIONS[name]!()));
      const r = await runOnce(dir, name, eventFile, envOf(name));
      times.get(name)!.push(r.ms);
      statuses.get(name)!.add(String(r.status));
    }
  }

  const bare = median(times.get('bare')!);
  const rows = names.map((n) => {
    const t = times.get(n)!;
    return { name: n, median: median(t), p90: percentile(t, 90), ratio: median(t) / bare, statuses: [...statuses.get(n)!].join(' ') };
  });
  const table = [
    '| function | median ms | p90 ms | ratio to bare | answers |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.median.toFixed(0)} | ${r.p90.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.statuses} |`),
  ].join('\n');
  const measured = rows.filter((r) => !YARDSTICKS.includes(r.name));
  const worst = [...measured].sort((a, b) => b.ratio - a.ratio)[0]!;
  const ratioOf = (name: string) => rows.find((r) => r.name === name)!.ratio;
  const ownCode = `intake-web against a function making only its table requests (a Query, a ${sameRequests.items.length}-item transaction): ${(ratioOf('intake-web') / ratioOf('same-requests')).toFixed(2)}; those requests alone against the bare PutCommand: ${ratioOf('same-requests').toFixed(2)}`;
  const summary = `cold start ratios (median / bare PutCommand, ${RUNS} interleaved runs): ${measured
    .map((r) => `${r.name} ${r.ratio.toFixed(2)}`)
    .join(', ')}; worst ${worst.name} ${worst.ratio.toFixed(2)} (target ≤ 1.50)`;
  console.log(table);
  console.log(ownCode);
  console.log(summary);
  writeFileSync(
    new URL('./results/cold-start.md', import.meta.url),
    `# Cold start\n\n\`npm run bench:cold-start -- --runs ${RUNS}\` on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} at the end. Each run: a new node process imports the function's bundle (built as \`cdk deploy\` builds it: data/ beside it, and an intake function's prebuilt classifier) and handles one event against DynamoDB Local; the time is from the process's start to the answer. "bare" is a function that only does one PutCommand, bundled the same way. statistics and notifier handle an empty batch (their code and configuration load; no table call), so their ratio is a floor; get-case reads a case that does not exist (a 404 after the read). "same-requests" makes the table requests of the web intake and nothing else (the Query for her earlier contacts, then a transaction of the items the bench's first intake wrote, under fresh keys): the intake's ratio to it is what its own code costs. The machine is shared: only the ratios mean anything.\n\n${table}\n\n${ownCode}\n\n${summary}\n`,
  );
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
