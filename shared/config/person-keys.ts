// The person keys of this deployment (keyed hashes of phone and ID numbers): the secret comes from
// Secrets Manager in AWS (PERSON_KEY_SECRET_ARN; the value never sits in an environment variable),
// from PERSON_KEY locally (the local runtime sets a development key).
import { hmacPersonKeys } from '../adapters/person-keys.js';
import { secretsManagerReader, type SecretReader } from '../adapters/secrets.js';
import type { PersonKeys } from '../domain/ledger/person-keys.js';

/** Whether this process is configured with a person key at all. */
export const hasPersonKey = (env: NodeJS.ProcessEnv = process.env): boolean => !!(env.PERSON_KEY_SECRET_ARN?.trim() || env.PERSON_KEY);

/** The person keys: the secret's UTF-8 bytes as the HMAC key. */
export async function personKeysFromEnv(env: NodeJS.ProcessEnv = process.env, read: SecretReader = secretsManagerReader()): Promise<PersonKeys> {
  const arn = env.PERSON_KEY_SECRET_ARN?.trim();
  const secret = arn ? await read(arn) : env.PERSON_KEY;
  if (!secret) throw new Error(arn ? 'configuration: the person-key secret is empty' : 'configuration: PERSON_KEY_SECRET_ARN (or PERSON_KEY locally) is not set');
  return hmacPersonKeys(new TextEncoder().encode(secret));
}

/** This process's person keys, read once and shared by everything that hashes a number (the ledger, the intake's lookup). */
export const processPersonKeys = (): Promise<PersonKeys> => (shared ??= cachedPersonKeys())();

/** Read once per process; a failed read is not kept (the next call tries again). */
export function cachedPersonKeys(load: () => Promise<PersonKeys> = personKeysFromEnv): () => Promise<PersonKeys> {
  let keys: Promise<PersonKeys> | undefined;
  return () => {
    if (!keys) {
      keys = load();
      keys.catch(() => (keys = undefined));
    }
    return keys;
  };
}

// Made on first use: a function that never hashes a number keeps no secret reader in its bundle.
let shared: (() => Promise<PersonKeys>) | undefined;
