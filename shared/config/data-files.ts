// Reads the administrator-editable data files once per process. In Lambda the data/ folder is
// copied next to the bundle (see infra), locally it is the repository's data/ folder.
import { readFileSync } from 'node:fs';
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

export function readJsonDataFile<T = unknown>(relativePath: string): T {
  const text = readDataFile(relativePath);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`data/${relativePath} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

let divisions: DivisionIndex | undefined;
export function loadDivisions(): DivisionIndex {
  divisions ??= indexDivisions(parseDivisionsCsv(readDataFile('divisions.csv')));
  return divisions;
}
