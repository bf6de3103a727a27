// Keyed hashes of phone and ID numbers: one key per number whatever its written form, different
// under another secret, never the number itself.
import { describe, expect, it } from 'vitest';
import { hmacPersonKeys } from '../../../shared/adapters/person-keys.js';

const secret = new Uint8Array(32).fill(7);
const keys = hmacPersonKeys(secret);

describe('person keys', () => {
  it('gives one key per mobile number in any written form, and none for a landline', () => {
    const k = keys.phone('13912345678');
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const form of ['+8613912345678', '139 1234 5678', '139-1234-5678', '8613912345678']) expect(keys.phone(form), form).toBe(k);
    expect(keys.phone('13912345679')).not.toBe(k);
    expect(keys.phone('0438-1234567')).toBeNull();
  });

  it('keys ID numbers apart from phone numbers, case and spaces aside', () => {
    expect(keys.idNumber('22072219850612002x')).toBe(keys.idNumber('220722 19850612002X'));
    expect(keys.idNumber('13912345678')).not.toBe(keys.phone('13912345678'));
  });

  it('depends on the secret, contains no digits of the number, and refuses a short secret', () => {
    expect(hmacPersonKeys(new Uint8Array(32).fill(8)).phone('13912345678')).not.toBe(keys.phone('13912345678'));
    expect(keys.phone('13912345678')).not.toContain('12345678');
    expect(() => hmacPersonKeys(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
