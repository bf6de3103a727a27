// Shared secrets of the hotline systems, by key id. Each key is bound to the channels it may post to.
// Shape: a JSON object {"<keyId>": {"secret": "...", "channels": ["12338"]}}.
// Where it comes from (keyStoreFromEnv): in AWS, the Secrets Manager secret named by
// HOTLINE_KEYS_SECRET_ARN (the stack sets it; the value never sits in an environment variable);
// locally, the HOTLINE_KEYS environment variable with the development keys of docs/api.md.
import * as z from 'zod/mini';
import '../domain/validation/messages.js';
import type { Channel } from '../domain/model.js';
import { secretsManagerReader, type SecretReader } from './secrets.js';

export interface HotlineKey {
  secret: string;
  channels: Channel[];
}

export interface HotlineKeyStore {
  find(keyId: string): Promise<HotlineKey | undefined>;
}

const keysSchema = z.record(z.string().check(z.minLength(1)), z.object({ secret: z.string().check(z.minLength(16)), channels: z.array(z.enum(['12338', '12348', 'web'])).check(z.minLength(1)) }));

/** `source` names where the JSON came from in error messages; the messages never quote the value. */
export function parseHotlineKeys(json: string, source = 'HOTLINE_KEYS'): Record<string, HotlineKey> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not valid JSON`);
  }
  const parsed = keysSchema.safeParse(raw);
  // Say where the configuration is wrong, never what the secret is.
  if (!parsed.success) throw new Error(`${source} is malformed at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

export function staticKeyStore(keys: Record<string, HotlineKey>): HotlineKeyStore {
  const map = new Map(Object.entries(keys));
  return { find: async (keyId) => map.get(keyId) };
}

export function envKeyStore(env: NodeJS.ProcessEnv = process.env): HotlineKeyStore {
  let store: HotlineKeyStore | undefined;
  return {
    find(keyId) {
      store ??= staticKeyStore(parseHotlineKeys(env.HOTLINE_KEYS ?? '{}'));
      return store.find(keyId);
    },
  };
}

export const SECRET_CACHE_MS = 5 * 60_000;

/**
 * Hotline keys held in a Secrets Manager secret: read at first use (not at cold start, so a
 * function that never sees a signed request never calls Secrets Manager), then cached for five
 * minutes. Concurrent lookups share one fetch. If a refresh fails, the keys read before stay in
 * use (a hotline must not go dark because Secrets Manager hiccuped) until the next attempt;
 * with nothing read yet the error propagates and the request fails.
 */
export function secretsManagerKeyStore(secretId: string, options: { read?: SecretReader; now?: () => number; ttlMs?: number } = {}): HotlineKeyStore {
  const read = options.read ?? secretsManagerReader();
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? SECRET_CACHE_MS;
  let cached: { store: HotlineKeyStore; fetchedAt: number } | undefined;
  let inFlight: Promise<HotlineKeyStore> | undefined;

  const refresh = async (): Promise<HotlineKeyStore> => {
    const value = await read(secretId);
    if (value === undefined) throw new Error('the hotline key secret has no string value');
    const store = staticKeyStore(parseHotlineKeys(value, 'the hotline key secret'));
    cached = { store, fetchedAt: now() };
    return store;
  };

  const current = async (): Promise<HotlineKeyStore> => {
    if (cached && now() - cached.fetchedAt < ttl) return cached.store;
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    try {
      return await inFlight;
    } catch (err) {
      if (cached) return cached.store;
      throw err;
    }
  };

  return { find: async (keyId) => (await current()).find(keyId) };
}

/**
 * The key store for this process: Secrets Manager when HOTLINE_KEYS_SECRET_ARN is set (deployed),
 * otherwise the HOTLINE_KEYS variable (local runtime, tests).
 */
export function keyStoreFromEnv(env: NodeJS.ProcessEnv = process.env, read?: SecretReader): HotlineKeyStore {
  const secretArn = env.HOTLINE_KEYS_SECRET_ARN?.trim();
  if (secretArn) return secretsManagerKeyStore(secretArn, { read });
  return envKeyStore(env);
}
