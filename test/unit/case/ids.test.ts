// Case and event ids: ULIDs from a pooled random source (shared/adapters/ids.ts). They must stay
// valid, unique and in the order they were made across many refills of the pool.
import { describe, expect, it } from 'vitest';
import { caseReference, ulidIds } from '../../../shared/adapters/ids.js';

describe('ids', () => {
  it('makes valid, unique, ordered ULIDs across refills of the random pool', () => {
    // 16 random characters an id, 4,096 bytes a pool: 5,000 ids empty it about twenty times.
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 2 ? ulidIds.eventId() : ulidIds.caseId()));
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('spreads the random characters over the whole alphabet', () => {
    // The 16 characters after the time part; with the pooled bytes each of the 32 should turn up.
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) for (const ch of ulidIds.caseId().slice(10)) seen.add(ch);
    expect(seen.size).toBe(32);
  });

  it('makes references of a Beijing date and six Crockford characters', () => {
    expect(caseReference(new Date('2026-12-03T17:00:00Z'))).toMatch(/^261204-[0-9A-HJKMNP-TV-Z]{6}$/);
  });
});
