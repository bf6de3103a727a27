import { describe, expect, it } from 'vitest';
import { readOnce } from '../../../shared/usecases/referrals/deferred.js';

describe('readOnce', () => {
  it('parses a deferred body once, however often a retrying use case asks', () => {
    let parses = 0;
    const read = readOnce(() => ({ n: ++parses }));
    expect(read()).toEqual({ n: 1 });
    expect(read()).toBe(read());
    expect(parses).toBe(1);
  });
  it("passes a plain value through, and lets a bad body's error reach the caller", () => {
    expect(readOnce({ type: 'accept' })()).toEqual({ type: 'accept' });
    expect(() =>
      readOnce(() => {
        throw new RangeError('bad body');
      })(),
    ).toThrow(RangeError);
  });
});
