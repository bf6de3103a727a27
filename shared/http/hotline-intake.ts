// The signature check of the hotline intake functions: the key store (Secrets Manager in AWS, named
// by HOTLINE_KEYS_SECRET_ARN; the HOTLINE_KEYS variable locally) is chosen at first use and shared
// by the signed channels of the process.
import { keyStoreFromEnv, type HotlineKeyStore } from '../adapters/hotline-keys.js';
import type { Channel } from '../domain/model.js';
import { hotlineSignature } from './hotline-signature.js';

let keyStore: HotlineKeyStore | undefined;
const hotlineKeys = () => (keyStore ??= keyStoreFromEnv());

/** The middleware that authenticates a hotline system posting to `channel`. */
export const signedBy = (channel: Exclude<Channel, 'web'>) => hotlineSignature(channel, hotlineKeys);
