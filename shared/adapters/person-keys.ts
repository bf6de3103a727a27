// Keyed hashes of phone and ID numbers (shared/domain/ledger/person-keys.ts): HMAC-SHA256 under the
// platform's person-key secret, each kind of number in its own domain so that a phone number and an
// ID number can never give the same key.
import { createHmac } from 'node:crypto';
import type { PersonKeys } from '../domain/ledger/person-keys.js';
import { normalizeMobile } from '../domain/mobile-numbers.js';

/** The secret must be long enough that guessing it is not an option (the numbers themselves are guessable). */
export const MIN_PERSON_KEY_BYTES = 32;

export function hmacPersonKeys(secret: Uint8Array): PersonKeys {
  if (secret.byteLength < MIN_PERSON_KEY_BYTES) throw new Error(`the person-key secret must be at least ${MIN_PERSON_KEY_BYTES} bytes`);
  const key = Buffer.from(secret);
  const hash = (kind: string, value: string) => createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url');
  return {
    phone: (phone) => {
      const normalised = normalizeMobile(phone);
      return normalised === null ? null : hash('phone', normalised);
    },
    idNumber: (idNumber) => hash('id', idNumber.replace(/\s/g, '').toUpperCase()),
  };
}
