// The HTTPS SMS gateway's shared secret from AWS Secrets Manager (SecretString = the secret), read
// at first send and cached for five minutes; a failed refresh keeps the value read before.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function secretsManagerSecret(secretId: string, options: { ttlMs?: number; client?: () => SecretsManagerClient } = {}): () => Promise<string> {
  const ttl = options.ttlMs ?? 5 * 60_000;
  let client: SecretsManagerClient | undefined;
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttl) return cached.value;
    try {
      client ??= options.client?.() ?? new SecretsManagerClient({});
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (!out.SecretString) throw new Error('the SMS gateway secret has no string value');
      cached = { value: out.SecretString, at: Date.now() };
      return cached.value;
    } catch (err) {
      if (cached) return cached.value;
      throw err;
    }
  };
}
