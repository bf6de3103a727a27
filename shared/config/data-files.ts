// Reads the administrator-editable data files once per process. In Lambda the data/ folder is
// copied next to the bundle (see infra), locally it is the repository's data/ folder.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { indexDivisions, parseDivisionsCsv, type DivisionIndex } from '../domain/divisions/divisions.js';

export function dataDir(): string {
  return process.env.DATA_DIR ?? resolve(process.cwd(), 'data');
}

/** The file's bytes as they are (for hashing: no decoding). */
export function readDataBytes(relativePath: string): Buffer {
  return readFileSync(resolve(dataDir(), relativePath));
}

export function readDataFile(relativePath: string): string {
  return readFileSync(resolve(dataDir(), relativePath), 'utf8');
}

/** A data file's text as JSON; a mistake names the file. */
function jsonOf<T>(relativePath: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`data/${relativePath} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export function readJsonDataFile<T = unknown>(relativePath: string): T {
  return jsonOf<T>(relativePath, readDataFile(relativePath));
}

/** Hex SHA-256 of a data file's bytes: what a compiled or parsed form records of its source. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Where the bundling of a function that classifies leaves what its data files parse to (see parsedJsonDataFile). */
export const PARSED_DATA_FILE = 'generated/parsed-data.json';

/** Per data file: the hash of the bytes its parser read, and what the parser returned (plain JSON). */
export type ParsedDataSnapshot = Record<string, { sha256: string; value: unknown }>;

const snapshots = new Map<string, ParsedDataSnapshot | null>();
let recording: ParsedDataSnapshot | undefined;

function snapshot(): ParsedDataSnapshot | null {
  const dir = dataDir();
  let found = snapshots.get(dir);
  if (found === undefined) {
    const file = resolve(dir, PARSED_DATA_FILE);
    found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ParsedDataSnapshot) : null;
    snapshots.set(dir, found);
  }
  return found;
}

/**
 * A JSON data file through its parser (which validates it and fills in defaults). A function's
 * bundling parses the files its cold start needs and leaves the results in data/generated/
 * (recordParsedDataFiles): a file whose bytes still match is then taken from there, without
 * validating it again at cold start (a schema's first use costs milliseconds). Any other file, or one
 * changed since, is parsed here.
 */
export function parsedJsonDataFile<T>(relativePath: string, parse: (raw: unknown) => T): T {
  const bytes = readDataBytes(relativePath);
  const kept = recording ? undefined : snapshot()?.[relativePath];
  if (kept && kept.sha256 === sha256Hex(bytes)) return kept.value as T;
  const value = parse(jsonOf(relativePath, bytes.toString('utf8')));
  if (recording) recording[relativePath] = { sha256: sha256Hex(bytes), value };
  return value;
}

/** Runs `load` and returns what every parsedJsonDataFile call in it parsed (refusing a value that JSON would change). */
export function recordParsedDataFiles(load: () => void): ParsedDataSnapshot {
  recording = {};
  try {
    load();
    for (const [file, { value }] of Object.entries(recording)) {
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) throw new Error(`data/${file}: its parsed value is not plain JSON and cannot be kept`);
    }
    return recording;
  } finally {
    recording = undefined;
  }
}

let divisions: DivisionIndex | undefined;
export function loadDivisions(): DivisionIndex {
  divisions ??= indexDivisions(parseDivisionsCsv(readDataFile('divisions.csv')));
  return divisions;
}
