// Loads the deadline policy from data/holidays/<year>.json and data/sla.json, once per process
// (per data directory, so tests that point DATA_DIR elsewhere get their own). Any mistake in the
// files throws DeadlineDataError naming the file and the JSON path, at cold start.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDeadlinePolicy, createWorkingCalendar, DeadlineDataError, parseHolidayYear, parseSlaRules, type DeadlinePolicy, type HolidayYear } from '../domain/deadlines/index.js';
import { dataDir, parsedJsonDataFile } from './data-files.js';

export type { DeadlinePolicy } from '../domain/deadlines/index.js';

const HOLIDAY_FILE = /^(\d{4})\.json$/;

/** Reads and validates every data/holidays/<year>.json, in year order. */
export function readHolidayYears(): HolidayYear[] {
  let names: string[];
  try {
    names = readdirSync(resolve(dataDir(), 'holidays'));
  } catch (err) {
    throw new Error(`data/holidays/ cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const years: HolidayYear[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json')) continue; // a README or the like
    const match = HOLIDAY_FILE.exec(name);
    if (!match) {
      throw new DeadlineDataError(`data/holidays/${name}`, [{ path: '', message: 'holiday files must be named <year>.json, e.g. 2027.json' }]);
    }
    years.push(parsedJsonDataFile(`holidays/${name}`, (raw) => parseHolidayYear(raw, `data/holidays/${name}`, Number(match[1]))));
  }
  return years;
}

/** Builds the policy from the data files now, without the cache. */
export function readDeadlinePolicy(): DeadlinePolicy {
  const calendar = createWorkingCalendar(readHolidayYears());
  const rules = parsedJsonDataFile('sla.json', (raw) => parseSlaRules(raw, 'data/sla.json'));
  return createDeadlinePolicy(calendar, rules);
}

const cache = new Map<string, DeadlinePolicy>();

/** The deadline policy, read from the data files on first use and then reused. */
export function loadDeadlinePolicy(): DeadlinePolicy {
  const dir = dataDir();
  let policy = cache.get(dir);
  if (!policy) {
    policy = readDeadlinePolicy();
    cache.set(dir, policy);
  }
  return policy;
}
