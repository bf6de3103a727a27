// A data file an administrator edited is wrong: say which file, which field, and what is wrong.
import type { core } from 'zod/mini';

export interface DataIssue {
  /** A JSON path such as "holidays[1].workdays[0]"; "" for the whole document. */
  path: string;
  message: string;
}

export class DeadlineDataError extends Error {
  override readonly name = 'DeadlineDataError';
  constructor(
    /** Where the data came from, e.g. "data/holidays/2025.json". */
    readonly source: string,
    readonly issues: readonly DataIssue[],
  ) {
    super(`${source} is invalid:\n${issues.map((i) => `  - ${i.path || '(document)'}: ${i.message}`).join('\n')}`);
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function issuesFromZod(error: { issues: readonly core.$ZodIssue[] }): DataIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
