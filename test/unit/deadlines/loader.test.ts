// The loader reads data/holidays/*.json and data/sla.json (relative to the working directory or
// $DATA_DIR) once per process.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDeadlinePolicy, readDeadlinePolicy } from '../../../shared/config/deadlines.js';
import { DeadlineDataError } from '../../../shared/domain/deadlines/index.js';
import { clone, cst, endOf, rawYears } from '../../support/deadline-helpers.js';

const repoData = resolve(process.cwd(), 'data');
const originalDataDir = process.env.DATA_DIR;
const tempDirs: string[] = [];

afterEach(() => {
  if (originalDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = originalDataDir;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the repository's deadline data in a temp folder, pointed to by DATA_DIR. */
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deadlines-'));
  tempDirs.push(dir);
  mkdirSync(join(dir, 'holidays'));
  for (const y of [2025, 2026, 2027]) copyFileSync(join(repoData, 'holidays', `${y}.json`), join(dir, 'holidays', `${y}.json`));
  copyFileSync(join(repoData, 'sla.json'), join(dir, 'sla.json'));
  process.env.DATA_DIR = dir;
  return dir;
}

describe('loadDeadlinePolicy', () => {
  it('loads the repository data and answers with the real calendar', () => {
    process.env.DATA_DIR = repoData;
    const policy = loadDeadlinePolicy();
    expect(policy.calendar.years.map((y) => `${y.year}:${y.status}`)).toEqual(['2025:official', '2026:official', '2027:provisional']);
    expect(policy.signForBy(cst('2025-09-30 20:00'), 'routine')).toEqual(endOf('2025-10-09'));
    expect(policy.completeBy(cst('2025-09-30 20:00'), 'urgent', 1)).toEqual(endOf('2025-10-13'));
    expect(policy.rules.autoCloseDays).toBe(15);
  });

  it('reads the files once per process (per data directory)', () => {
    process.env.DATA_DIR = repoData;
    const first = loadDeadlinePolicy();
    expect(loadDeadlinePolicy()).toBe(first);
    tempDataDir();
    const second = loadDeadlinePolicy();
    expect(second).not.toBe(first);
    expect(loadDeadlinePolicy()).toBe(second);
  });

  it('ignores non-JSON files such as a README in data/holidays', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'holidays', 'README.md'), 'notes');
    expect(readDeadlinePolicy().calendar.coversYear(2026)).toBe(true);
  });

  it('a malformed holiday file fails with the file name and JSON path', () => {
    const dir = tempDataDir();
    const bad = clone(rawYears[2025]);
    bad.holidays[5]!.workdays = ['2025-09-28', '2025-10-10']; // a Friday
    writeFileSync(join(dir, 'holidays', '2025.json'), JSON.stringify(bad));
    expect(() => readDeadlinePolicy()).toThrow(DeadlineDataError);
    expect(() => readDeadlinePolicy()).toThrow(
      'data/holidays/2025.json is invalid:\n  - holidays[5].workdays[1]: 2025-10-10 is a Friday; an adjusted working day (调休上班) must be a Saturday or Sunday',
    );
  });

  it('a file named for another year, a badly named file, broken JSON and a bad sla.json all fail clearly', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'holidays', '2028.json'), JSON.stringify(rawYears[2027]));
    expect(() => readDeadlinePolicy()).toThrow(/data\/holidays\/2028\.json is invalid:\n {2}- year: is 2027 but the file is for 2028/);
    rmSync(join(dir, 'holidays', '2028.json'));

    writeFileSync(join(dir, 'holidays', '2028-draft.json'), '{}');
    expect(() => readDeadlinePolicy()).toThrow(/2028-draft\.json.*must be named <year>\.json/s);
    rmSync(join(dir, 'holidays', '2028-draft.json'));

    writeFileSync(join(dir, 'holidays', '2026.json'), '{ "year": 2026, ');
    expect(() => readDeadlinePolicy()).toThrow(/data\/holidays\/2026\.json is not valid JSON/);
    copyFileSync(join(repoData, 'holidays', '2026.json'), join(dir, 'holidays', '2026.json'));

    writeFileSync(join(dir, 'sla.json'), JSON.stringify({ urgencies: {}, autoCloseDays: 15 }));
    expect(() => readDeadlinePolicy()).toThrow(/data\/sla\.json is invalid:\n {2}- urgencies\.emergency: /);
  });

  it('a missing holidays folder is reported', () => {
    const dir = tempDataDir();
    rmSync(join(dir, 'holidays'), { recursive: true });
    expect(() => readDeadlinePolicy()).toThrow(/data\/holidays\/ cannot be read/);
  });
});
