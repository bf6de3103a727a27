// Shared secrets of the hotline systems, by key id. Each key is bound to the channels it may post to.
// Configuration: HOTLINE_KEYS, a JSON object {"<keyId>": {"secret": "...", "channels": ["12338"]}}.
// In AWS the stack injects it from Secrets Manager; `npm start` uses the development keys of the README.
import { z } from 'zod';
import type { Channel } from '../domain/model.js';

export interface HotlineKey {
  secret: string;
  channels: Channel[];
}

export interface HotlineKeyStore {
  find(keyId: string): Promise<HotlineKey | undefined>;
}

const keysSchema = z.record(
  z.string().min(1),
  z.object({ secret: z.string().min(16), channels: z.array(z.enum(['12338', '12348', 'web'])).min(1) }),
);

export function parseHotlineKeys(json: string): Record<string, HotlineKey> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('HOTLINE_KEYS is not valid JSON');
  }
  const parsed = keysSchema.safeParse(raw);
  // Say where the configuration is wrong, never what the secret is.
  if (!parsed.success) throw new Error(`HOTLINE_KEYS is malformed at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
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
