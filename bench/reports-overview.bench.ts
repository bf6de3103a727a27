// npm run bench:overview [-- --sizes 0,2000,10000 --overdue 0.05 --rounds 200]
// The province-wide overview (GET /reports/overview's use case, with its DynamoDB adapters) on its own
// DynamoDB Local, at several numbers of open cases, as a ratio to one GetItem timed in the same run,
// interleaved (this machine is shared and noisy: ratios, not milliseconds). Cases are written by the
// real intake code (createCase + the case repository) across every county and need, a share of them
// already past their sign-for deadline (overdue), and counted into the statistics exactly as the
// stream consumer counts them. Target: ≤ 20 at every size. Appends to bench/results/reports-overview.md.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable } from '../local/table.js';
import { DynamoCaseRepository, ReferenceCollisionError } from '../shared/adapters/dynamo/case-repository.js';
import { createDocumentClient } from '../shared/adapters/dynamo/client.js';
import { caseKey } from '../shared/adapters/dynamo/keys.js';
import { DynamoStatisticsRepository } from '../shared/adapters/dynamo/statistics-repository.js';
import { ulidIds } from '../shared/adapters/ids.js';
import { loadDivisions, readJsonDataFile } from '../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../shared/config/deadlines.js';
import { createCase, type OperatorActionCatalogue } from '../shared/domain/case/case.js';
import { NEEDS, type Need } from '../shared/domain/model.js';
import { parseRoutingTable, route } from '../shared/domain/routing/routing.js';
import { countEvent } from '../shared/domain/statistics/counters.js';
import { tallyOf } from '../shared/domain/statistics/tally.js';
import { reportOverview } from '../shared/usecases/reports-overview.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const SIZES = arg('sizes', '0,2000,10000').split(',').map(Number);
const OVERDUE = Number(arg('overdue', '0.05'));
const ROUNDS = Number(arg('rounds', '200'));
const log = (s: string) => process.stdout.write(`${s}\n`);

const engine = await startDynamoDbLocal();
// Whatever happens, the engine goes with the bench (a crashed run must not leave a java process).
process.on('exit', () => void engine.stop());
process.on('uncaughtException', (err) => {
  console.error(err);
  void engine.stop().finally(() => process.exit(1));
});
const raw = new DynamoDBClient({ endpoint: engine.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const tableName = 'bench-overview';
await ensureTable(raw, tableName);
const db = createDocumentClient({ endpoint: engine.endpoint });
const cases = new DynamoCaseRepository(db, tableName);
const statistics = new DynamoStatisticsRepository(db, tableName);
const divisions = loadDivisions();
const counties = divisions.all.filter((d) => d.level === 'county').map((d) => d.code);
const routing = parseRoutingTable(readJsonDataFile('routing.json'));
const actions = readJsonDataFile<OperatorActionCatalogue>('operator-actions.json');
const deadlines = loadDeadlinePolicy();
const deps = { statistics, overdue: statistics, divisionCodes: divisions.all.map((d) => d.code), now: () => new Date() };
const admin = { role: 'admin' as const, department: null, divisionCode: null };

let seeded = 0;
let firstCaseId = '';
async function seedTo(size: number): Promise<void> {
  const todo = Array.from({ length: size - seeded }, (_, i) => seeded + i);
  const worker = async () => {
    for (let i = todo.shift(); i !== undefined; i = todo.shift()) {
      const need: Need = NEEDS[i % NEEDS.length]!;
      const divisionCode = counties[(i * 7) % counties.length]!;
      // A share is three days old: its sign-for deadline has passed (overdue).
      const now = new Date(Date.now() - (i % Math.round(1 / Math.max(OVERDUE, 1e-6)) === 0 && OVERDUE > 0 ? 3 * 86_400_000 : 0));
      const classification = { needs: [need], urgency: 'routine' as const, divisionCode, explanation: { needs: {}, urgency: [], division: 'bench' } };
      const make = () =>
        createCase({
          intake: {
            channel: 'web',
            externalId: `bench-${i}`,
            receivedAt: now.toISOString(),
            text: 'bench',
            person: {},
            location: { divisionCode },
            contact: { safeToSms: false },
            consent: { shareWithDepartments: true },
            signals: {},
          } as never,
          classification,
          routed: route({ needs: [need], divisionCode, text: 'bench' }, routing, divisions),
          routing,
          actions,
          deadlines,
          ids: ulidIds,
          now,
          retentionDays: 1096,
          openCaseRetention: { maxDaysSinceLastActivity: 365, warnDaysBefore: 30 },
        });
      let created = make();
      // Thousands of cases in one day: a short reference can come twice; the intake draws again, so does this.
      for (;;) {
        try {
          await cases.saveNewCase(created, `fp-${i}`);
          break;
        } catch (err) {
          if (!(err instanceof ReferenceCollisionError)) throw err;
          created = make();
        }
      }
      const event = created.events[0]!;
      await statistics.applyOnce(event.eventId, event.at, countEvent({ at: event.at, tally: tallyOf(created.referrals.map((r) => ({ after: r }))) }));
      if (!firstCaseId) firstCaseId = created.case.caseId;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  seeded = size;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

const header = `overview bench ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')}, node ${process.version}`;
const lines = [header];
log(header);
const ratios: string[] = [];
for (const size of SIZES) {
  const t0 = performance.now();
  await seedTo(size);
  if (!firstCaseId) firstCaseId = ulidIds.caseId();
  const seedSeconds = (performance.now() - t0) / 1000;
  const get = () => db.send(new GetCommand({ TableName: tableName, Key: caseKey(firstCaseId) }));
  const overview = () => reportOverview(admin, {}, deps);
  for (let i = 0; i < 20; i++) await Promise.all([get(), overview()]);
  const tGet: number[] = [];
  const tOverview: number[] = [];
  let last: Awaited<ReturnType<typeof overview>> | undefined;
  for (let i = 0; i < ROUNDS; i++) {
    // Interleaved, one at a time: both see the same machine at the same moment.
    let s = performance.now();
    await get();
    tGet.push(performance.now() - s);
    s = performance.now();
    last = await overview();
    tOverview.push(performance.now() - s);
  }
  const o = last?.kind === 'ok' ? last.overview : undefined;
  const ratio = median(tOverview) / median(tGet);
  const line = `  ${String(size).padStart(6)} cases (seeded in ${seedSeconds.toFixed(1)} s): open ${o?.total ?? '?'}, overdue ${o?.overdue.count ?? '?'} (${o?.overdue.items.length ?? '?'} listed); GetItem p50 ${median(tGet).toFixed(2)} ms, overview p50 ${median(tOverview).toFixed(2)} ms p90 ${p90(tOverview).toFixed(2)} ms → ratio ${ratio.toFixed(1)} (target ≤ 20)`;
  lines.push(line);
  log(line);
  ratios.push(`${size}: ${ratio.toFixed(1)}`);
}
const last = `ratios (overview p50 / GetItem p50): ${ratios.join(', ')}; target ≤ 20 at every size`;
lines.push(last);
log(last);
appendFileSync('bench/results/reports-overview.md', `\n\`\`\`\n$ npm run bench:overview -- --sizes ${SIZES.join(',')} --overdue ${OVERDUE} --rounds ${ROUNDS}\n${lines.join('\n')}\n\`\`\`\n`);
db.destroy();
raw.destroy();
await engine.stop();
