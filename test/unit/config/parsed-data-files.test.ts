// Data files parsed at bundling: a cold start takes a file's parsed value from the snapshot the
// bundling left only while the file's bytes are the ones it parsed; otherwise it parses the file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARSED_DATA_FILE, parsedJsonDataFile, recordParsedDataFiles } from '../../../shared/config/data-files.js';

let dir: string;
let before: string | undefined;
beforeAll(() => {
  before = process.env.DATA_DIR;
  dir = mkdtempSync(join(tmpdir(), 'parsed-data-'));
  mkdirSync(join(dir, 'generated'));
  process.env.DATA_DIR = dir;
});
afterAll(() => {
  if (before === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

const parse = (raw: unknown) => ({ limit: (raw as { limit?: number }).limit ?? 10, parsedAt: 'parse' });

describe('parsedJsonDataFile', () => {
  it('records what the parsers return at bundling, and a cold start takes it while the file is unchanged', () => {
    writeFileSync(join(dir, 'limits.json'), '{"limit": 3}');
    writeFileSync(join(dir, 'other.json'), '{}');
    const snapshot = recordParsedDataFiles(() => {
      parsedJsonDataFile('limits.json', parse);
      parsedJsonDataFile('other.json', parse);
    });
    expect(Object.keys(snapshot).sort()).toEqual(['limits.json', 'other.json']);
    expect(snapshot['limits.json']!.value).toEqual({ limit: 3, parsedAt: 'parse' });
    // The snapshot as a function's package has it (marked, to tell where a value came from).
    snapshot['limits.json']!.value = { limit: 3, parsedAt: 'snapshot' };
    writeFileSync(join(dir, PARSED_DATA_FILE), JSON.stringify(snapshot));
    expect(parsedJsonDataFile('limits.json', parse)).toEqual({ limit: 3, parsedAt: 'snapshot' });
  });

  it('parses a file whose bytes changed since, and one the snapshot does not hold', () => {
    writeFileSync(join(dir, 'limits.json'), '{"limit": 4}');
    expect(parsedJsonDataFile('limits.json', parse)).toEqual({ limit: 4, parsedAt: 'parse' });
    writeFileSync(join(dir, 'new.json'), '{"limit": 5}');
    expect(parsedJsonDataFile('new.json', parse)).toEqual({ limit: 5, parsedAt: 'parse' });
  });

  it('names the file that is not JSON, and lets the parser’s own error through', () => {
    writeFileSync(join(dir, 'broken.json'), '{"limit": ');
    expect(() => parsedJsonDataFile('broken.json', parse)).toThrow(/^data\/broken\.json is not valid JSON/);
    expect(() =>
      parsedJsonDataFile('new.json', () => {
        throw new Error('data/new.json limit: too small');
      }),
    ).toThrow('data/new.json limit: too small');
  });

  it('refuses to keep a parsed value that JSON would change (a Map, a Date)', () => {
    writeFileSync(join(dir, 'dated.json'), '{}');
    expect(() => recordParsedDataFiles(() => parsedJsonDataFile('dated.json', () => ({ at: new Date(0) })))).toThrow(/data\/dated\.json: its parsed value is not plain JSON/);
  });
});
