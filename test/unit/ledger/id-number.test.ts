// Resident identity numbers (GB 11643-1999): valid numbers pass whatever their digits, and the
// mistakes people make when typing one (a digit changed, two swapped) are caught by the check character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter } from '../../../shared/domain/ledger/id-number.js';

const TODAY = new Date('2026-12-04T00:00:00Z');
const runs = Number(process.env.FUZZ_RUNS ?? 300);

/** A well-formed number of a random division, birth date and sequence. */
const validId = fc
  .record({
    division: fc.integer({ min: 110000, max: 659999 }),
    birth: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2010-12-31T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ division, birth, seq }) => {
    const first17 = `${division}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    return first17 + idCheckCharacter(first17);
  });

describe('resident identity numbers', () => {
  it('accepts a published example and normalises spaces and a lower-case x', () => {
    // The standard's own worked example.
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, idNumber: '11010519491231002X', last4: '002X', birthYear: 1949 });
    expect(checkIdNumber(' 110105 19491231 002x ', TODAY)).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('accepts every well-formed number', () => {
    fc.assert(
      fc.property(validId, (id) => checkIdNumber(id, TODAY).ok),
      { numRuns: runs },
    );
  });

  it('refuses a number with one digit changed', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (id, at, delta) => {
        const changed = id.slice(0, at) + String((Number(id[at]) + delta) % 10) + id.slice(at + 1);
        const result = checkIdNumber(changed, TODAY);
        return !result.ok;
      }),
      { numRuns: runs },
    );
  });

  it('refuses two different neighbouring digits swapped', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 15 }), (id, at) => {
        fc.pre(id[at] !== id[at + 1]);
        const swapped = id.slice(0, at) + id[at + 1] + id[at] + id.slice(at + 2);
        return !checkIdNumber(swapped, TODAY).ok;
      }),
      { numRuns: runs },
    );
  });

  it('names what is wrong', () => {
    expect(checkIdNumber('1101051949123100', TODAY)).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber('11010519491231002Y', TODAY)).toEqual({ ok: false, problem: 'format' });
    const feb30 = '22072219900230012';
    expect(checkIdNumber(feb30 + idCheckCharacter(feb30), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    const future = '22072220300101012';
    expect(checkIdNumber(future + idCheckCharacter(future), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, problem: 'check_digit' });
  });
});
