// Development-only settings for `npm start`, `npm run send` and the tests. These secrets are public
// (they are in docs/api.md) and are never used by a deployed stack, which reads Secrets Manager.
import type { HotlineKey } from '../shared/adapters/hotline-keys.js';

export const DEV_HOTLINE_KEYS: Record<string, HotlineKey> = {
  'dev-12338': { secret: 'dev-only-12338-secret-not-for-production', channels: ['12338'] },
  'dev-12348': { secret: 'dev-only-12348-secret-not-for-production', channels: ['12348'] },
};

export const DEV_KEY_FOR_CHANNEL = { '12338': 'dev-12338', '12348': 'dev-12348' } as const;

export const DEFAULT_API_PORT = 3000;
export const DEFAULT_TABLE_NAME = 'referrals-local';

/** The person key of the local runtime (keyed hashes of phone and ID numbers): for development only; a deployment generates its own. */
export const DEV_PERSON_KEY = 'local-development-person-key-not-a-secret-0001';
