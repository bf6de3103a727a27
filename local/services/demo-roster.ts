// The demo duty roster of the local runtime: data/roster.json seeded into the table at start
// (an administrator's later edits are kept).
import { DynamoRosterRepository } from '../../shared/adapters/dynamo/roster-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamo/client.js';
import { loadDivisions, readJsonDataFile } from '../../shared/config/data-files.js';
import { rosterFileSchema } from '../../shared/domain/roster/roster.js';
import type { LocalServiceContext } from '../runtime.js';

/** Seeds data/roster.json into the table; existing rosters (an administrator's edits) are kept. */
export async function seedDemoRoster(ctx: Pick<LocalServiceContext, 'dynamoEndpoint' | 'tableName'>): Promise<number> {
  const file = rosterFileSchema.parse(readJsonDataFile('roster.json'));
  const divisions = loadDivisions();
  const unknown = file.rosters.filter((r) => !divisions.get(r.divisionCode)).map((r) => r.divisionCode);
  if (unknown.length > 0) throw new Error(`data/roster.json names unknown divisions: ${unknown.join(', ')}`);
  const db = createDocumentClient({ endpoint: ctx.dynamoEndpoint });
  const repo = new DynamoRosterRepository(db, ctx.tableName);
  let seeded = 0;
  const now = new Date();
  for (const r of file.rosters) if (await repo.seed(r, now)) seeded++;
  db.destroy();
  return seeded;
}
