// The hotline key store a deployed intake function uses: Secrets Manager when the stack sets
// HOTLINE_KEYS_SECRET_ARN, the HOTLINE_KEYS variable locally. The Secrets Manager call is mocked
// (aws-sdk-client-mock) to assert the exact GetSecretValue input; everything else is real.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { keyStoreFromEnv, parseHotlineKeys, SECRET_CACHE_MS, secretsManagerKeyStore } from '../../shared/adapters/hotline-keys.js';
import { secretsManagerReader, type SecretReader } from '../../shared/adapters/secrets.js';

const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:referrals/hotline-keys-AbCdEf';
const KEYS_A = { 'key-a': { secret: 'secret-a-0123456789abcdef', channels: ['12338'] } };
const KEYS_B = { 'key-b': { secret: 'secret-b-0123456789abcdef', channels: ['12348'] } };

/** A reader that records every call and answers from a script. */
function scriptedReader(answers: (() => Promise<string | undefined>)[]) {
  const calls: string[] = [];
  const read: SecretReader = (id) => {
    calls.push(id);
    const next = answers.shift();
    if (!next) throw new Error('unexpected read');
    return next();
  };
  return { read, calls };
}

describe('parseHotlineKeys', () => {
  it('parses the documented shape', () => {
    expect(parseHotlineKeys(JSON.stringify(KEYS_A))).toEqual(KEYS_A);
    expect(parseHotlineKeys('{}')).toEqual({});
  });
  it('names the source and the path of a mistake, never the secret', () => {
    expect(() => parseHotlineKeys('not json', 'the hotline key secret')).toThrow('the hotline key secret is not valid JSON');
    const short = JSON.stringify({ k: { secret: 'too-short-9', channels: ['12338'] } });
    expect(() => parseHotlineKeys(short)).toThrow('HOTLINE_KEYS is malformed at k.secret');
    try {
      parseHotlineKeys(short);
    } catch (err) {
      expect((err as Error).message).not.toContain('too-short-9');
    }
    expect(() => parseHotlineKeys(JSON.stringify({ k: { secret: 'x'.repeat(20), channels: ['110'] } }))).toThrow('malformed at k.channels.0');
  });
});

describe('keyStoreFromEnv (selection)', () => {
  it('uses Secrets Manager when HOTLINE_KEYS_SECRET_ARN is set, and ignores HOTLINE_KEYS then', async () => {
    const { read, calls } = scriptedReader([async () => JSON.stringify(KEYS_A)]);
    const store = keyStoreFromEnv({ HOTLINE_KEYS_SECRET_ARN: SECRET_ARN, HOTLINE_KEYS: JSON.stringify(KEYS_B) }, read);
    expect(calls).toEqual([]); // lazily: nothing fetched before the first lookup
    expect(await store.find('key-a')).toEqual(KEYS_A['key-a']);
    expect(await store.find('key-b')).toBeUndefined();
    expect(calls).toEqual([SECRET_ARN]);
  });
  it('uses HOTLINE_KEYS when no secret is configured (local runtime)', async () => {
    const { read, calls } = scriptedReader([]);
    const store = keyStoreFromEnv({ HOTLINE_KEYS: JSON.stringify(KEYS_B), HOTLINE_KEYS_SECRET_ARN: '  ' }, read);
    expect(await store.find('key-b')).toEqual(KEYS_B['key-b']);
    expect(calls).toEqual([]);
  });
});

describe('secretsManagerKeyStore', () => {
  it('caches for five minutes, then reads again', async () => {
    let t = 1_000_000;
    const { read, calls } = scriptedReader([async () => JSON.stringify(KEYS_A), async () => JSON.stringify(KEYS_B)]);
    const store = secretsManagerKeyStore(SECRET_ARN, { read, now: () => t });
    expect(await store.find('key-a')).toBeDefined();
    t += SECRET_CACHE_MS - 1;
    expect(await store.find('key-a')).toBeDefined();
    expect(calls).toHaveLength(1);
    t += 1;
    expect(await store.find('key-a')).toBeUndefined();
    expect(await store.find('key-b')).toEqual(KEYS_B['key-b']);
    expect(calls).toHaveLength(2);
    expect(SECRET_CACHE_MS).toBe(300_000);
  });
  it('shares one fetch between concurrent lookups', async () => {
    let release!: (v: string) => void;
    const { read, calls } = scriptedReader([() => new Promise((r) => (release = r))]);
    const store = secretsManagerKeyStore(SECRET_ARN, { read });
    const lookups = [store.find('key-a'), store.find('key-a'), store.find('nope')];
    await Promise.resolve();
    release(JSON.stringify(KEYS_A));
    expect(await Promise.all(lookups)).toEqual([KEYS_A['key-a'], KEYS_A['key-a'], undefined]);
    expect(calls).toHaveLength(1);
  });
  it('keeps the keys read before when a refresh fails, and fails when nothing was ever read', async () => {
    let t = 0;
    const { read } = scriptedReader([async () => JSON.stringify(KEYS_A), async () => Promise.reject(new Error('throttled')), async () => JSON.stringify(KEYS_B)]);
    const store = secretsManagerKeyStore(SECRET_ARN, { read, now: () => t });
    await store.find('key-a');
    t += SECRET_CACHE_MS;
    expect(await store.find('key-a')).toEqual(KEYS_A['key-a']);
    expect(await store.find('key-b')).toEqual(KEYS_B['key-b']); // the next lookup tries again

    const failing = secretsManagerKeyStore(SECRET_ARN, { read: async () => Promise.reject(new Error('AccessDenied')) });
    await expect(failing.find('key-a')).rejects.toThrow('AccessDenied');
  });
  it('rejects an unfilled or malformed secret without quoting it', async () => {
    const store = secretsManagerKeyStore(SECRET_ARN, { read: async () => 'Xy7-placeholder' });
    await expect(store.find('key-a')).rejects.toThrow('the hotline key secret is not valid JSON');
    const binary = secretsManagerKeyStore(SECRET_ARN, { read: async () => undefined });
    await expect(binary.find('key-a')).rejects.toThrow('no string value');
  });
});

describe('secretsManagerReader', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  it('sends GetSecretValue for the configured secret and returns its string', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(KEYS_A) });
    const store = secretsManagerKeyStore(SECRET_ARN, { read: secretsManagerReader(() => new SecretsManagerClient({ region: 'cn-north-1' })) });
    expect(await store.find('key-a')).toEqual(KEYS_A['key-a']);
    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ SecretId: SECRET_ARN });
  });
});
