// The web pages deployed by the CDK app (<prefix>-Web): the context values, the helpers that derive
// behaviours and rewrites, and the profile with its own domain, web ACL and exit site (also checked
// by cdk-nag here). The default profile's web stack is checked on the default synth
// (test/support/web-stack-checks.ts, from stacks.test.ts); the China default in china.test.ts.
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config.js';
import { apiPathPatterns, cacheRulesOf, maxAgeOf, rewritesOf, viewerRequestCode } from '../../infra/constructs/web-hosting.js';
import { API_ROUTES } from '../../shared/http/routes.js';
import { buildWebSync } from '../../web/build.js';
import { CACHE_CONTROL } from '../../web/security-headers.js';
import { nagChecks } from '../support/nag-checks.js';
import { onlyResource, resourcesOf, synthesize, type Synthesized } from '../support/synth.js';
import { runViewerRequest, webTemplate, type Json } from '../support/web-stack-checks.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/referrals/0a1b2c3d';

describe('web hosting context values', () => {
  const from = (context: Record<string, unknown>) => loadConfig((k) => context[k], {});

  it('serves the pages with CloudFront in global regions and not in China by default', () => {
    expect(from({})).toMatchObject({ webHosting: 'cloudfront', webDomainName: undefined, webCertificateArn: undefined, webExitUrl: undefined, webAclArn: undefined });
    for (const region of ['cn-north-1', 'cn-northwest-1']) expect(from({ region }).webHosting).toBe('none');
    expect(from({ webHosting: 'none' }).webHosting).toBe('none');
  });
  it('refuses CloudFront in China, a domain without its certificate and the other way round, and malformed values', () => {
    expect(() => from({ region: 'cn-north-1', webHosting: 'cloudfront' })).toThrow(/webHosting: CloudFront in the China regions/);
    expect(() => from({ webDomainName: 'qiuzhu.example.org' })).toThrow(/webDomainName, webCertificateArn: give both/);
    expect(() => from({ webCertificateArn: CERTIFICATE })).toThrow(/give both/);
    for (const [context, key] of [
      [{ webHosting: 's3-website' }, 'webHosting'],
      [{ webDomainName: 'https://qiuzhu.example.org' }, 'webDomainName'],
      [{ webDomainName: 'qiuzhu.example.org', webCertificateArn: CERTIFICATE.replace('us-east-1', 'ap-northeast-1') }, 'webCertificateArn'],
      [{ webExitUrl: 'http://www.weather.com.cn/' }, 'webExitUrl'],
      [{ webExitUrl: 'javascript:history.back()' }, 'webExitUrl'],
      [{ webAclArn: 'arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/x/y' }, 'webAclArn'],
    ] as const) {
      expect(() => from(context), key).toThrow(ConfigError);
      expect(() => from(context), key).toThrow(new RegExp(`invalid cdk context: ${key}:`));
    }
  });
});

describe('web hosting helpers', () => {
  it('routes each first segment of API_ROUTES, the bare /referrals included', () => {
    expect(apiPathPatterns(API_ROUTES.map((r) => r.path))).toEqual(['/intake/*', '/openapi.json*', '/cases/*', '/referrals*', '/reviews*', '/reports/*', '/admin/*', '/ledger/*']);
    expect(() => apiPathPatterns(['/{caseId}'])).toThrow(/no literal first segment/);
  });
  it('derives behaviours and rewrites from the build, and refuses files that would share a behaviour with different caching', () => {
    const web = buildWebSync({ omitDevSignIn: true });
    expect(cacheRulesOf(web)).toEqual([
      { pathPattern: '/assets/*', cacheControl: CACHE_CONTROL.immutableAsset },
      { pathPattern: '*', cacheControl: CACHE_CONTROL.page },
      { pathPattern: '/divisions.json', cacheControl: CACHE_CONTROL.data },
    ]);
    expect(rewritesOf(web)).toEqual({ '/': '/index.html', '/console': '/console.html', '/console/': '/console.html' });
    const broken = buildWebSync();
    const [first] = [...broken.assets.values()].filter((a) => a.file.startsWith('assets/'));
    broken.assets.set(first!.urlPath, { ...first!, cacheControl: CACHE_CONTROL.page });
    expect(() => cacheRulesOf(broken)).toThrow(/^web hosting: assets\/\S+ wants ".+" but \/assets\/\* serves ".+"$/);
    expect([maxAgeOf(CACHE_CONTROL.page), maxAgeOf(CACHE_CONTROL.immutableAsset), maxAgeOf(CACHE_CONTROL.data)]).toEqual([0, 31536000, 3600]);
  });
  it('the viewer-request function maps clean paths, leaves files alone and answers 404 under /dev', () => {
    const code = viewerRequestCode({ '/': '/index.html', '/console': '/console.html', '/console/': '/console.html' });
    expect(runViewerRequest(code, '/console').uri).toBe('/console.html');
    expect(runViewerRequest(code, '/console/').uri).toBe('/console.html');
    expect(runViewerRequest(code, '/').uri).toBe('/index.html');
    for (const uri of ['/console.html', '/exit.html', '/assets/intake-ABC.js', '/divisions.json', '/devices', '/consoles', '/toString', '/constructor']) {
      expect(runViewerRequest(code, uri), uri).toMatchObject({ uri });
    }
    for (const uri of ['/dev', '/dev/token', '/dev/anything/else']) expect(runViewerRequest(code, uri), uri).toMatchObject({ statusCode: 404 });
  });
});

const BOOTSTRAP_KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';

describe('the web stack with its own domain, a web ACL, a neutral exit site and a bootstrap with a customer-managed key', () => {
  let s: Synthesized;
  let dist: Json;
  let t: Template;
  beforeAll(() => {
    s = synthesize({ webDomainName: 'qiuzhu.example.org', webCertificateArn: CERTIFICATE, webAclArn: WEB_ACL, webExitUrl: 'https://www.weather.com.cn/', bootstrapKmsKeyArn: BOOTSTRAP_KEY });
    t = webTemplate(s);
    dist = onlyResource(t, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
  }, 120_000);
  afterAll(() => s?.cleanup());

  describe('cdk-nag AwsSolutions', () => nagChecks(() => s));

  it('serves the domain with its certificate, TLS 1.2 (2021) at least, SNI, and the web ACL', () => {
    expect(dist.Aliases).toEqual(['qiuzhu.example.org']);
    expect(dist.ViewerCertificate).toEqual({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(dist.WebACLId).toBe(WEB_ACL);
    expect(t.toJSON().Outputs.WebUrl.Value).toBe('https://qiuzhu.example.org/');
  });
  it('lets staff sign in from the console on that domain: the code flow with PKCE back to /console only, the hosted sign-in domain, the console told where to go', () => {
    const stateful = s.stateful;
    const [, client] = onlyResource(stateful, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://qiuzhu.example.org/console'],
      LogoutURLs: ['https://qiuzhu.example.org/console'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(JSON.stringify(client.Properties.AllowedOAuthFlows)).not.toContain('implicit');
    onlyResource(stateful, 'AWS::Cognito::UserPoolDomain');
    for (const output of ['StaffClientId', 'StaffSignInUrl', 'StaffIssuer']) expect(stateful.toJSON().Outputs[output], output).toBeDefined();
    // The console's configuration, written at deploy time next to the pages.
    const [, deploy] = onlyResource(t, 'Custom::CDKBucketDeployment');
    expect((deploy.Properties.SourceObjectKeys as unknown[]).length).toBe(2);
    // Its values (the pool's issuer and the client's id, from the stateful stack) are substituted at deploy time.
    const markers = (deploy.Properties.SourceMarkers as Record<string, unknown>[])[1]!;
    expect(Object.keys(markers).length).toBeGreaterThanOrEqual(2);
    expect(Object.values(markers).every((v) => JSON.stringify(v).includes('Fn::ImportValue'))).toBe(true);
    // The console may fetch the issuer's discovery document and tokens; nothing else new.
    const csp = resourcesOf(t, 'AWS::CloudFront::ResponseHeadersPolicy').map(([, p]) => JSON.stringify(p.Properties));
    expect(csp.some((p) => p.includes('amazoncognito.com') && p.includes('cognito-idp.'))).toBe(true);
  });
  it('lets the site deployment decrypt the build with the bootstrap key, through S3 only', () => {
    const [, policy] = resourcesOf(t, 'AWS::IAM::Policy').find(([id]) => id.startsWith('SiteDeployPolicy'))!;
    const decrypt = ((policy.Properties!.PolicyDocument as Json).Statement as Json[]).find((st) => st.Sid === 'DecryptBuild');
    expect(decrypt).toMatchObject({
      Action: 'kms:Decrypt',
      Resource: BOOTSTRAP_KEY,
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.ap-northeast-1.', { Ref: 'AWS::URLSuffix' }]] } } },
    });
  });
  it('builds the quick-exit button to the neutral site', () => {
    const index = readFileSync(join(s.platform.web!.siteDir, 'index.html'), 'utf8');
    expect(index).toContain('<meta name="exit-url" content="https://www.weather.com.cn/">');
    expect(index).toContain('href="https://www.weather.com.cn/"');
  });
});
