// Deployment configuration: cdk.json context (overridable with `-c key=value`), validated once.
// Every key, its default and its meaning is listed in CONTEXT_DEFAULTS and in docs/deploy.md.
// Values given with -c arrive as strings, so numbers and booleans are coerced.
import * as z from 'zod';

/** Regions of the AWS China partition: no Cognito user pools, no SNS SMS, no X-Ray for Lambda. */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

export const isChinaRegion = (region: string) => region.startsWith('cn-');

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The documented defaults; cdk.json carries the same values so an administrator sees them in one place. */
export const CONTEXT_DEFAULTS = {
  /** Prefix of the two stack names (<prefix>-Stateful, <prefix>-Stateless). */
  stackPrefix: 'Referrals',
  /** Region to deploy to; cn-north-1 / cn-northwest-1 select the China profile. */
  region: 'ap-northeast-1',
  /** Account; empty = CDK_DEFAULT_ACCOUNT (from the CLI's credentials) or left to deploy time. */
  account: '',
  /** 'sns' (SNS SMS, global regions only), 'https-gateway' (the China SMS gateway), or 'auto' (sns globally, https-gateway in China). */
  smsAdapter: 'auto',
  /** HTTPS endpoint of the SMS gateway (https-gateway adapter); empty = a deploy-time parameter. */
  smsGatewayUrl: '',
  /** Key id the gateway knows this platform by (sent as X-Key-Id); empty = a deploy-time parameter. */
  smsGatewayKeyId: '',
  /** Name of an existing Secrets Manager secret holding the gateway's HMAC secret; empty = the stack creates one to fill in. */
  smsGatewaySecretName: '',
  /** SNS SMS sender id (global regions; where the destination country supports it). */
  smsSenderId: '',
  /** The 【signature】 of texts to staff (registered with the carrier / gateway). */
  smsSignature: '【留守妇女关爱】',
  /** The neutral 【signature】 of the text to the woman herself: it must not reveal what the service is. */
  smsClientSignature: '【便民服务】',
  /** OIDC issuer of staff tokens; empty = a Cognito user pool in global regions, a deploy-time parameter in China. */
  oidcIssuer: '',
  /** Audience(s) the JWT authorizer accepts, comma-separated (ignored with the Cognito pool: its app client id is the audience). */
  oidcAudience: 'referrals-api',
  /**
   * With an OIDC issuer: the claims that carry role, department and division, as
   * `role=<claim>,department=<claim>,division=<claim>`. Map them at the issuer from attributes only
   * its administrators write (never a self-service profile field). Ignored with the Cognito pool.
   */
  oidcClaims: 'role=role,department=department,division=division',
  /** Name of an existing Secrets Manager secret with the hotline keys; empty = the stack creates one to fill in. */
  hotlineSecretName: '',
  /** Days a closed case is kept before DynamoDB's TTL deletes it. */
  closedCaseRetentionDays: 1096,
  /** Retention of every log group (Lambda and API access logs). */
  logRetentionDays: 180,
  /** Default-stage throttling of the HTTP API (steady requests per second, burst). */
  apiThrottleRate: 50,
  apiThrottleBurst: 100,
  /**
   * The public web form's own throttle (requests per second, burst), below the stage's, so that a
   * flood of anonymous posts cannot crowd out the hotlines; and the count of web intakes in 5
   * minutes above which the burst alarm goes to the ops topic.
   */
  webIntakeThrottleRate: 10,
  webIntakeThrottleBurst: 30,
  webIntakeAlarmPer5Minutes: 200,
  /** E-mail address subscribed to the ops alarm topic; empty = none (subscribe later). */
  alarmEmail: '',
  /** Origin of the web console when it is served from another origin (CORS); empty = no CORS. */
  webConsoleOrigin: '',
  /** X-Ray active tracing of the functions (global regions only; refused in China). */
  tracing: false,
  /**
   * How the web pages are served: 'cloudfront' (the <prefix>-Web stack: S3 behind CloudFront, the
   * API on the same origin), 'none', or 'auto' (cloudfront globally, none in China: CloudFront in
   * the China regions serves only an ICP-recorded domain with a certificate from the IAM store).
   */
  webHosting: 'auto',
  /** The site's own domain name (CNAME to the distribution); empty = the distribution's *.cloudfront.net name. */
  webDomainName: '',
  /**
   * Where staff sign in from: the console's address, registered with the Cognito app client as its
   * sign-in callback (https://<site>/console). Empty: https://<webDomainName>/console when that is
   * set; otherwise the console offers only a pasted token until this is set and deployed again (the
   * distribution's own name is known only after the first deployment: output WebUrl).
   */
  consoleUrl: '',
  /** With an OIDC issuer: the console's client id at that issuer (a public client allowed the code flow with PKCE back to consoleUrl). */
  oidcConsoleClientId: '',
  /** Prefix of the Cognito hosted sign-in domain (<prefix>.auth.<region>.amazoncognito.com); empty: <stackPrefix>-staff-<account>. */
  cognitoDomainPrefix: '',
  /** ACM certificate (us-east-1) for webDomainName; required with it. */
  webCertificateArn: '',
  /** Where the quick-exit button sends her: an https:// address of a neutral site, or empty for the site's own /exit.html. */
  webExitUrl: '',
  /** An existing AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach to the distribution; empty = none. */
  webAclArn: '',
  /** The customer-managed KMS key of the CDK bootstrap bucket, if `cdk bootstrap --bootstrap-kms-key-id` was used: the site deployment needs to decrypt the build with it. */
  bootstrapKmsKeyArn: '',
} as const;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS;

const text = z.string().trim();
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const httpsUrl = text.refine((v) => v === '' || /^https:\/\/[^\s/]+(\/\S*)?$/.test(v), 'must be an https:// URL');

const schema = z.object({
  stackPrefix: text.regex(/^[A-Za-z][A-Za-z0-9-]{0,40}$/, 'letters, digits and dashes, starting with a letter'),
  region: text.regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region code such as ap-northeast-1 or cn-north-1'),
  account: text.regex(/^(\d{12})?$/, 'a 12-digit account id or empty'),
  smsAdapter: z.enum(['auto', 'sns', 'https-gateway']),
  smsGatewayUrl: httpsUrl,
  smsGatewayKeyId: text.regex(/^([A-Za-z0-9._-]{1,64})?$/, 'up to 64 letters, digits, dots, dashes or underscores'),
  smsGatewaySecretName: text,
  smsSenderId: text.regex(/^([A-Za-z0-9]{1,11})?$/, 'up to 11 letters or digits'),
  smsSignature: text.regex(/^【[^【】]{2,12}】$/, 'a 【signature】 of 2 to 12 characters'),
  smsClientSignature: text.regex(/^【[^【】]{2,12}】$/, 'a 【signature】 of 2 to 12 characters'),
  oidcIssuer: httpsUrl,
  oidcAudience: text.min(1, 'at least one audience'),
  oidcClaims: text.regex(
    /^\s*(role|department|division)\s*=\s*[A-Za-z0-9_:./-]{1,128}\s*(,\s*(role|department|division)\s*=\s*[A-Za-z0-9_:./-]{1,128}\s*)*$/,
    'role=<claim>,department=<claim>,division=<claim>',
  ),
  hotlineSecretName: text,
  closedCaseRetentionDays: int(30, 3653),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), `one of ${LOG_RETENTION_DAYS.join(', ')}`),
  apiThrottleRate: int(1, 10_000),
  apiThrottleBurst: int(1, 5_000),
  webIntakeThrottleRate: int(1, 10_000),
  webIntakeThrottleBurst: int(1, 5_000),
  webIntakeAlarmPer5Minutes: int(1, 1_000_000),
  alarmEmail: text.refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'an e-mail address'),
  webConsoleOrigin: text.refine((v) => v === '' || /^https:\/\/[^\s/]+$/.test(v), 'an https:// origin without a path'),
  tracing: bool,
  webHosting: z.enum(['auto', 'cloudfront', 'none']),
  consoleUrl: text.refine((v) => v === '' || /^https:\/\/[^\s/]+\/console$/.test(v), 'https://<site>/console'),
  oidcConsoleClientId: text.regex(/^([\w.:-]{1,128})?$/, 'a client id'),
  cognitoDomainPrefix: text.regex(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)?$/, 'lower-case letters, digits and hyphens'),
  webDomainName: text.regex(/^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})?$/, 'a lower-case domain name such as qiuzhu.example.gov.cn'),
  webCertificateArn: text.regex(/^(arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36})?$/, 'an ACM certificate ARN in us-east-1 (CloudFront takes certificates from there only)'),
  webExitUrl: httpsUrl,
  bootstrapKmsKeyArn: text.regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36})?$/, 'a KMS key ARN (arn:…:kms:<region>:<account>:key/<id>)'),
  webAclArn: text.regex(/^(arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/\S+)?$/, 'a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:…:wafv2:us-east-1:…:global/webacl/…)'),
});

export interface PlatformConfig {
  stackPrefix: string;
  region: string;
  account: string | undefined;
  /** China profile: cn-* region. */
  china: boolean;
  smsAdapter: 'sns' | 'https-gateway';
  smsGatewayUrl: string | undefined;
  smsGatewayKeyId: string | undefined;
  smsGatewaySecretName: string | undefined;
  smsSenderId: string | undefined;
  smsSignature: string;
  smsClientSignature: string;
  oidcIssuer: string | undefined;
  oidcAudience: string[];
  oidcClaims: string;
  hotlineSecretName: string | undefined;
  closedCaseRetentionDays: number;
  logRetentionDays: number;
  apiThrottleRate: number;
  apiThrottleBurst: number;
  webIntakeThrottleRate: number;
  webIntakeThrottleBurst: number;
  webIntakeAlarmPer5Minutes: number;
  alarmEmail: string | undefined;
  webConsoleOrigin: string | undefined;
  tracing: boolean;
  /** Whether the <prefix>-Web stack (S3 + CloudFront) is built. */
  webHosting: 'cloudfront' | 'none';
  webDomainName: string | undefined;
  consoleUrl: string | undefined;
  cognitoDomainPrefix: string | undefined;
  oidcConsoleClientId: string | undefined;
  webCertificateArn: string | undefined;
  /** Undefined = the site's own /exit.html. */
  webExitUrl: string | undefined;
  webAclArn: string | undefined;
  bootstrapKmsKeyArn: string | undefined;
}

export class ConfigError extends Error {}

const orUndefined = (v: string) => (v === '' ? undefined : v);

/**
 * Reads every key through `get` (the app's node.tryGetContext), falls back to the documented
 * default, validates, and resolves what depends on the region. Errors name the key, never guess.
 */
export function loadConfig(get: (key: string) => unknown, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(CONTEXT_DEFAULTS) as ContextKey[]) {
    const value = get(key);
    raw[key] = value === undefined || value === null ? CONTEXT_DEFAULTS[key] : value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`invalid cdk context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const c = parsed.data;
  const china = isChinaRegion(c.region);
  if (china && c.smsAdapter === 'sns') throw new ConfigError('invalid cdk context: smsAdapter: SNS SMS is not offered in the China regions; use https-gateway');
  if (china && c.tracing) throw new ConfigError('invalid cdk context: tracing: X-Ray tracing for Lambda is not offered in the China regions');
  const smsAdapter = c.smsAdapter === 'auto' ? (china ? 'https-gateway' : 'sns') : c.smsAdapter;
  if (china && c.webHosting === 'cloudfront') {
    throw new ConfigError(
      'invalid cdk context: webHosting: CloudFront in the China regions serves only an ICP-recorded domain with a certificate from the IAM certificate store, which this app does not set up; use none and host the pages of `npm run build:web` on the recorded domain (docs/deploy.md, "China regions")',
    );
  }
  if (!c.webDomainName !== !c.webCertificateArn) {
    throw new ConfigError("invalid cdk context: webDomainName, webCertificateArn: give both (the site's domain and its us-east-1 ACM certificate) or neither");
  }
  return {
    stackPrefix: c.stackPrefix,
    region: c.region,
    account: orUndefined(c.account) ?? orUndefined(env.CDK_DEFAULT_ACCOUNT ?? ''),
    china,
    smsAdapter,
    smsGatewayUrl: orUndefined(c.smsGatewayUrl),
    smsGatewayKeyId: orUndefined(c.smsGatewayKeyId),
    smsGatewaySecretName: orUndefined(c.smsGatewaySecretName),
    smsSenderId: orUndefined(c.smsSenderId),
    smsSignature: c.smsSignature,
    smsClientSignature: c.smsClientSignature,
    oidcIssuer: orUndefined(c.oidcIssuer),
    oidcAudience: c.oidcAudience
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    oidcClaims: c.oidcClaims.trim(),
    hotlineSecretName: orUndefined(c.hotlineSecretName),
    closedCaseRetentionDays: c.closedCaseRetentionDays,
    logRetentionDays: c.logRetentionDays,
    apiThrottleRate: c.apiThrottleRate,
    apiThrottleBurst: c.apiThrottleBurst,
    webIntakeThrottleRate: c.webIntakeThrottleRate,
    webIntakeThrottleBurst: c.webIntakeThrottleBurst,
    webIntakeAlarmPer5Minutes: c.webIntakeAlarmPer5Minutes,
    alarmEmail: orUndefined(c.alarmEmail),
    webConsoleOrigin: orUndefined(c.webConsoleOrigin),
    tracing: c.tracing,
    webHosting: c.webHosting === 'auto' ? (china ? 'none' : 'cloudfront') : c.webHosting,
    webDomainName: orUndefined(c.webDomainName),
    consoleUrl: orUndefined(c.consoleUrl) ?? (c.webDomainName ? `https://${c.webDomainName}/console` : undefined),
    cognitoDomainPrefix: orUndefined(c.cognitoDomainPrefix),
    oidcConsoleClientId: orUndefined(c.oidcConsoleClientId),
    webCertificateArn: orUndefined(c.webCertificateArn),
    webExitUrl: orUndefined(c.webExitUrl),
    webAclArn: orUndefined(c.webAclArn),
    bootstrapKmsKeyArn: orUndefined(c.bootstrapKmsKeyArn),
  };
}

/** Global regions without a configured issuer get a Cognito user pool; China and configured issuers use OIDC. */
export const usesCognito = (config: PlatformConfig) => !config.oidcIssuer && !config.china;
