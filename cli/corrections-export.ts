// npm run --silent corrections:export [-- --from YYYY-MM] [--to YYYY-MM] > corrections.jsonl
// Writes every correction people made in those months (default: the last 12) as de-identified,
// labelled JSON lines that `npm run --silent classify:eval -- corrections.jsonl` reads.
// Reads the table named by TABLE_NAME (default: the local table of `npm start`); for DynamoDB Local
// set DYNAMODB_ENDPOINT to the address `npm start` prints; in AWS, run with the admin's credentials.
// Prints to stderr how many were written and skipped (purged cases): ids and counts only.
import { DynamoReferralRepository } from '../shared/adapters/dynamo/referral-repository.js';
import { documentClient } from '../shared/adapters/dynamo/client.js';
import { exportCorrections, monthsBetween } from '../shared/usecases/referrals/corrections-export.js';
import { DEFAULT_TABLE_NAME } from '../local/dev-config.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`corrections:export: ${message}\n`);
  process.exit(2);
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const now = new Date(Date.now() + 8 * 3600_000);
const to = arg('to') ?? now.toISOString().slice(0, 7);
const from = arg('from') ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 7);
if (!MONTH.test(from) || !MONTH.test(to) || from > to) fail('--from and --to must be months YYYY-MM, from no later than to');

const store = new DynamoReferralRepository(documentClient(), process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME);
try {
  const { lines, skipped } = await exportCorrections(store, monthsBetween(from, to));
  for (const l of lines) process.stdout.write(JSON.stringify(l) + '\n');
  process.stderr.write(`corrections:export: ${lines.length} written, ${skipped} skipped (purged), months ${from}..${to}\n`);
} catch (err) {
  fail(`cannot read the table: ${(err as Error).name}`);
}
