// The opaque cursors of the queue listings: base64url of a LastEvaluatedKey, accepted back only in
// the shape this code issued (anything else is an invalid cursor, a 400).
import * as z from 'zod/mini';
import { InvalidCursorError } from '../../usecases/referrals/errors.js';

// ---- Cursors -------------------------------------------------------------------------------

const cursorSchema = z.strictObject({
  pk: z.string().check(z.regex(/^CASE#[0-9A-HJKMNP-TV-Z]{26}$/)),
  sk: z.string().check(z.regex(/^REF#\d{3}$/)),
  queuePk: z.string().check(z.maxLength(120)),
  queueSk: z.string().check(z.regex(/^\d#[0-9T:.\-Z]{24}#[0-9A-HJKMNP-TV-Z]{26}-\d{1,3}$/)),
});

/** The opaque cursor: base64url of the LastEvaluatedKey. */
export const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const openWorkCursorSchema = z.strictObject({
  pk: z.string().check(z.regex(/^CASE#[0-9A-HJKMNP-TV-Z]{26}$/)),
  sk: z.string().check(z.regex(/^REF#\d{3}$/)),
  duePk: z.literal('DUE'),
  dueSk: z.string().check(z.regex(/^[0-9T:.\-Z]{24}#[0-9A-HJKMNP-TV-Z]{26}-\d{1,3}$/)),
});

/** An open-work cursor back; anything else is refused. */
export function decodeOpenWorkCursor(cursor: string): Record<string, string> {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  try {
    const result = openWorkCursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (result.success) return result.data;
  } catch {
    // not JSON: refused below
  }
  throw new InvalidCursorError();
}

/** Reads a cursor back; anything not issued for this queue is refused. */
export function decodeCursor(cursor: string, queuePk: string): Record<string, string> {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.queuePk !== queuePk) throw new InvalidCursorError();
  return result.data;
}
