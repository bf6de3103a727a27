// The China profile (issue item 4): synthesizing for cn-north-1 / cn-northwest-1 gives templates
// with the stack's partition everywhere (no hard-coded arn:aws:), no Cognito, no X-Ray, no SNS SMS
// permission, the HTTPS SMS gateway, and regional endpoints only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_CATALOGUE } from '../../infra/function-catalogue.js';
import { nagChecks } from '../support/nag-checks.js';
import { asArray, cfnLint, exportsOf, onlyResource, resolveImports, resourcesOf, synthesize, type Synthesized } from '../support/synth.js';

const allStatements = (p: Synthesized) => resourcesOf(p.stateless, 'AWS::IAM::Policy').flatMap(([, r]) => (r.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);

const REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;
const synths = new Map<string, Synthesized>();
beforeAll(() => {
  for (const region of REGIONS) synths.set(region, synthesize({ region }));
}, 180_000);
afterAll(() => {
  for (const s of synths.values()) s.cleanup();
});

it('passes cfn-lint with no error in any template of either China region', () => {
  const lint = cfnLint(
    REGIONS.map((r) => synths.get(r)!.outdir),
    REGIONS,
  );
  expect(lint.templates.length).toBeGreaterThanOrEqual(4);
  expect(lint.code & 2, lint.output).toBe(0);
}, 120_000);

describe.each(REGIONS)('China profile (%s)', (region) => {
  let cn: Synthesized;
  beforeAll(() => {
    cn = synths.get(region)!;
  });

  describe('cdk-nag AwsSolutions', () => nagChecks(() => cn));

  it('builds no web stack by default: no CloudFront, no bucket', () => {
    expect(cn.platform.config.webHosting).toBe('none');
    expect(cn.platform.web).toBeUndefined();
    expect(
      cn.app
        .synth()
        .stacks.map((st) => st.stackName)
        .sort(),
    ).toEqual(['Referrals-Stateful', 'Referrals-Stateless']);
    expect(cn.text).not.toMatch(/AWS::CloudFront::|AWS::S3::Bucket"/);
  });

  it('writes no hard-coded arn:aws: anywhere: the partition is aws-cn or AWS::Partition', () => {
    expect(cn.text).not.toContain('arn:aws:');
    expect(cn.text).toMatch(/arn:aws-cn:|AWS::Partition/);
    expect(cn.platform.config.china).toBe(true);
  });
  it('creates no Cognito resource and asks for the OIDC issuer at deploy time', () => {
    expect(cn.text).not.toMatch(/AWS::Cognito::/);
    expect(cn.stateless.toJSON().Parameters.OidcIssuer).toMatchObject({ Type: 'String', AllowedPattern: '^https://\\S+$' });
    const [, authorizer] = onlyResource(cn.stateless, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties!.JwtConfiguration).toEqual({ Issuer: { Ref: 'OidcIssuer' }, Audience: ['referrals-api'] });
  });
  it('has no X-Ray: no tracing configuration and no xray permission', () => {
    for (const [id, fn] of resourcesOf(cn.stateless, 'AWS::Lambda::Function')) expect(fn.Properties!.TracingConfig, id).toBeUndefined();
    expect(cn.text).not.toMatch(/xray:/i);
  });
  it('grants no SMS publishing: sns:Publish only on the referrals topic, never on "*"', () => {
    const exports = exportsOf(cn.stateful);
    const topic = { Ref: cn.platform.stateful.getLogicalId(cn.platform.stateful.referralsTopic.node.defaultChild as never) };
    for (const st of allStatements(cn)) {
      if (!asArray(st.Action as string | string[]).includes('sns:Publish')) continue;
      expect(asArray(st.Resource).map((r) => resolveImports(r, exports))).toEqual([topic]);
    }
  });
  it('selects the HTTPS SMS gateway, with its URL and key id as deploy-time parameters and its secret readable by the notifier only', () => {
    const notifier = cn.stateless.toJSON().Resources[cn.platform.stateless.getLogicalId(cn.platform.stateless.functions.get('notifier')!.node.defaultChild as never)];
    const env = resolveImports(notifier.Properties.Environment.Variables, exportsOf(cn.stateful)) as Record<string, unknown>;
    const secretId = cn.platform.stateful.getLogicalId(cn.platform.stateful.smsGatewaySecret!.node.defaultChild as never);
    expect(env).toMatchObject({ SMS_ADAPTER: 'https-gateway', SMS_GATEWAY_URL: { Ref: 'SmsGatewayUrl' }, SMS_GATEWAY_KEY_ID: { Ref: 'SmsGatewayKeyId' }, SMS_GATEWAY_SECRET_ARN: { Ref: secretId } });
    expect(env.SMS_SENDER_ID).toBeUndefined();
    // No Cognito: staff roles from the configured OIDC claim names.
    const api = cn.stateless.toJSON().Resources[cn.platform.stateless.getLogicalId(cn.platform.stateless.functions.get('referrals-api')!.node.defaultChild as never)];
    expect(api.Properties.Environment.Variables.STAFF_CLAIMS).toBe('role=role,department=department,division=division');
    expect(cn.stateless.toJSON().Parameters.SmsGatewayUrl.AllowedPattern).toBe('^https://\\S+$');
    const readers = resourcesOf(cn.stateless, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(resolveImports(p.Properties, exportsOf(cn.stateful))).includes(`"Ref":"${secretId}"`));
    expect(readers.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['NotifierPolicy']);
    expect(FUNCTION_CATALOGUE.find((e) => e.name === 'notifier')!.grants.some((g) => g.when === 'sms-via-gateway')).toBe(true);
  });
  it('uses regional endpoints only: an HTTP API, no REST API (no edge-optimized endpoint), no custom domain', () => {
    expect(resourcesOf(cn.stateless, 'AWS::ApiGatewayV2::Api').map(([, a]) => a.Properties!.ProtocolType)).toEqual(['HTTP']);
    expect(cn.text).not.toMatch(/AWS::ApiGateway::RestApi|EDGE/);
  });
});

describe('the global profile differs where the China profile must', () => {
  let global: Synthesized;
  beforeAll(() => {
    global = synthesize({ tracing: 'true', smsSenderId: 'JLFL', alarmEmail: 'ops@example.org' });
  }, 120_000);
  afterAll(() => global?.cleanup());

  it('subscribes a configured alarm address and then asks for none at deploy time', () => {
    expect(global.stateful.toJSON().Parameters?.AlarmEmail).toBeUndefined();
    global.stateful.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
  });
  it('has Cognito, SNS SMS (a publish to phone numbers), and X-Ray when tracing is on (so the China assertions can fail)', () => {
    expect(global.text).toMatch(/AWS::Cognito::UserPool/);
    expect(allStatements(global).some((st) => asArray(st.Action as string[]).includes('sns:Publish') && st.NotResource !== undefined)).toBe(true);
    const fns = resourcesOf(global.stateless, 'AWS::Lambda::Function');
    for (const [id, fn] of fns) expect(fn.Properties!.TracingConfig, id).toEqual({ Mode: 'Active' });
    expect(global.text).toContain('xray:PutTraceSegments');
    // The hotline keys and the person key; no SMS gateway secret (SMS goes through SNS).
    expect(resourcesOf(global.stateful, 'AWS::SecretsManager::Secret')).toHaveLength(2);
  });
});
