// Reading a Secrets Manager secret's string value: the one call the key stores make (hotline keys,
// the person key), a port so that tests can see what is asked.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The one call the Secrets Manager store makes; a port so tests can see what is asked. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

export function secretsManagerReader(client: () => SecretsManagerClient = () => new SecretsManagerClient({})): SecretReader {
  let sm: SecretsManagerClient | undefined;
  return async (secretId) => {
    sm ??= client();
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
    return out.SecretString;
  };
}
