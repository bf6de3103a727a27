// What the bundled functions use in place of the SDK's default credential chain
// (@aws-sdk/credential-provider-node: environment, SSO, ini files, web identity, process, container,
// instance metadata, with the STS and SSO clients they need: about 100 KB of every bundle). In
// Lambda the execution role's credentials are always in the environment
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), so the bundles read them from
// there. Swapped in at bundling time only (infra/function-bundling.ts); local runs keep the full chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
