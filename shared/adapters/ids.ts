// Identifiers: ULIDs for cases and events (time-ordered), and short human references.
import { getRandomValues, randomInt } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { IdSource } from '../domain/case/case.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// ulid's own generator asks the system for one random byte per character (16 calls per id, several
// ids per intake); this one draws the same bytes from a pool refilled 4 KB at a time.
const pool = new Uint8Array(4096);
let drawn = pool.length;
const pooledRandom = (): number => {
  if (drawn === pool.length) {
    getRandomValues(pool);
    drawn = 0;
  }
  return pool[drawn++]! / 256;
};
const nextUlid = monotonicFactory(pooledRandom);

/** YYMMDD in Beijing time, a dash and six random Crockford characters: easy to read out on a phone. */
export function caseReference(now: Date): string {
  const cst = new Date(now.getTime() + 8 * 3600_000).toISOString();
  const day = cst.slice(2, 4) + cst.slice(5, 7) + cst.slice(8, 10);
  let tail = '';
  for (let i = 0; i < 6; i++) tail += CROCKFORD[randomInt(32)];
  return `${day}-${tail}`;
}

export const ulidIds: IdSource = {
  caseId: () => nextUlid(),
  eventId: () => nextUlid(),
  reference: caseReference,
};
