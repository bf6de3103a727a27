// The web stack of the default (global) profile: a private bucket read by CloudFront through
// Origin Access Control, the clean-path function (and no /dev), the response headers of
// web/security-headers.ts with each file's Cache-Control, the API on the same origin without
// caching, the built files the deployment copies. Registered by test/infra/stacks.test.ts on its
// synth of that profile (each profile is synthesized once per run).
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { HSTS } from '../../infra/constructs/web-hosting.js';
import { API_ROUTES } from '../../shared/http/routes.js';
import { SECURITY_HEADERS } from '../../web/security-headers.js';
import { asArray, onlyResource, resourcesOf, type Synthesized } from './synth.js';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

export type Json = Record<string, any>;
interface Behavior extends Json {
  PathPattern?: string;
}

/** CloudFront's path-pattern match: `*` any characters (slashes too), `?` one, case-sensitive. */
const matches = (pattern: string, path: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

/** The behaviour CloudFront picks for a path: the first matching cache behaviour in order, else the default. */
const behaviorFor = (config: Json, path: string): Behavior => (config.CacheBehaviors as Behavior[]).find((b) => matches(b.PathPattern!, path)) ?? config.DefaultCacheBehavior;

/** Runs the viewer-request function's code as CloudFront would, on one request. */
export function runViewerRequest(code: string, uri: string): Json {
  const handler = new Function(`${code}\nreturn handler;`)() as (event: Json) => Json;
  return handler({ version: '1.0', request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} } });
}

export const webTemplate = (s: Synthesized) => Template.fromJSON(s.app.synth().getStackByName(s.platform.web!.stackName).template as Json);

export function webStackChecks(current: () => Synthesized): void {
  let s: Synthesized;
  let t: Template;
  let dist: Json;
  let resources: Json;
  beforeAll(() => {
    s = current();
    t = webTemplate(s);
    resources = t.toJSON().Resources as Json;
    dist = onlyResource(t, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
  });

  const idOf = (c: { node: { defaultChild?: unknown } }) => s.platform.web!.getLogicalId(c.node.defaultChild as never);
  const headersOf = (behavior: Behavior) => resources[behavior.ResponseHeadersPolicyId.Ref].Properties.ResponseHeadersPolicyConfig as Json;
  const cacheControlOf = (behavior: Behavior) => (headersOf(behavior).CustomHeadersConfig.Items as Json[]).find((h) => h.Header === 'Cache-Control')?.Value;

  it('is a third stack, <prefix>-Web, next to the stateful and stateless ones', () => {
    expect(s.platform.web?.stackName).toBe('Referrals-Web');
    expect(
      s.app
        .synth()
        .stacks.map((st) => st.stackName)
        .sort(),
    ).toEqual(['Referrals-Stateful', 'Referrals-Stateless', 'Referrals-Web']);
  });

  it('keeps the pages in a private bucket: public access blocked, SSE-S3, TLS only, no website hosting, access logs to a log bucket', () => {
    const site = resources[idOf(s.platform.web!.hosting.bucket)]!.Properties;
    expect(site.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(site.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(site.WebsiteConfiguration).toBeUndefined();
    expect(site.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: idOf(s.platform.web!.hosting.logBucket) });
    const logs = resources[idOf(s.platform.web!.hosting.logBucket)]!.Properties;
    expect(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logs.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('lets only this distribution read the bucket (OAC, SigV4), and refuses requests without TLS', () => {
    const bucketId = idOf(s.platform.web!.hosting.bucket);
    const policies = resourcesOf(t, 'AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: bucketId }));
    expect(policies).toHaveLength(1);
    const statements = (policies[0]![1].Properties!.PolicyDocument as Json).Statement as Json[];
    expect(statements.some((st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    const allows = statements.filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allows[0]!.Condition.StringEquals['AWS:SourceArn'])).toContain(JSON.stringify({ Ref: idOf(s.platform.web!.hosting.distribution) }));
    expect(JSON.stringify(allows[0]!.Condition.StringEquals['AWS:SourceArn'])).toContain('AWS::Partition');
    const [oacId, oac] = onlyResource(t, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const s3Origins = (dist.Origins as Json[]).filter((o) => o.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
  });

  it('serves index.html at the root and rewrites the clean paths of the build in a viewer-request function, which refuses /dev', () => {
    expect(dist.DefaultRootObject).toBe('index.html');
    const [fnId, fn] = onlyResource(t, 'AWS::CloudFront::Function');
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(dist.DefaultCacheBehavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    for (const b of dist.CacheBehaviors as Behavior[]) expect(b.FunctionAssociations, b.PathPattern).toBeUndefined();
    const code = fn.Properties.FunctionCode as string;
    for (const a of s.platform.web!.web.assets.values()) {
      // Every URL path the local server answers reaches the file the bucket holds.
      const routed = behaviorFor(dist, a.urlPath) === dist.DefaultCacheBehavior ? runViewerRequest(code, a.urlPath).uri : a.urlPath;
      expect(routed, a.urlPath).toBe(`/${a.file}`);
    }
    expect(runViewerRequest(code, '/console/').uri).toBe('/console.html');
    expect(runViewerRequest(code, '/dev/token').statusCode).toBe(404);
  });

  it("has no /dev route and no distribution-wide error pages (which would replace the API's own 403/404)", () => {
    expect(behaviorFor(dist, '/dev/token')).toBe(dist.DefaultCacheBehavior);
    for (const b of dist.CacheBehaviors as Behavior[]) expect(b.PathPattern!.startsWith('/dev'), b.PathPattern).toBe(false);
    expect(dist.CustomErrorResponses).toBeUndefined();
  });

  it('sends the headers of web/security-headers.ts and HSTS with every response, pages and API alike', () => {
    const behaviors = [dist.DefaultCacheBehavior as Behavior, ...(dist.CacheBehaviors as Behavior[])];
    for (const b of behaviors) {
      const h = headersOf(b);
      const sec = h.SecurityHeadersConfig;
      expect(sec.ContentSecurityPolicy, b.PathPattern).toEqual({ ContentSecurityPolicy: SECURITY_HEADERS['content-security-policy'], Override: true });
      expect(sec.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/^default-src 'self';.*connect-src 'self';.*frame-ancestors 'none'$/);
      expect(sec.FrameOptions).toEqual({ FrameOption: SECURITY_HEADERS['x-frame-options'], Override: true });
      expect(sec.ReferrerPolicy).toEqual({ ReferrerPolicy: SECURITY_HEADERS['referrer-policy'], Override: true });
      expect(sec.ContentTypeOptions).toEqual({ Override: true });
      expect(sec.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: HSTS.maxAgeSeconds, IncludeSubdomains: true, Preload: false, Override: true });
      const custom = Object.fromEntries((h.CustomHeadersConfig.Items as Json[]).map((i) => [i.Header.toLowerCase(), i.Value]));
      for (const name of ['permissions-policy', 'cross-origin-opener-policy']) expect(custom[name], name).toBe(SECURITY_HEADERS[name]);
      expect(Object.keys(SECURITY_HEADERS).sort()).toEqual(
        ['content-security-policy', 'x-frame-options', 'referrer-policy', 'x-content-type-options', ...Object.keys(custom).filter((k) => k !== 'cache-control')].sort(),
      );
    }
  });

  it('gives each file the Cache-Control the build gives it (no-store pages, immutable hashed assets) and caches pages nowhere', () => {
    const web = s.platform.web!.web;
    for (const a of web.assets.values()) expect(cacheControlOf(behaviorFor(dist, a.urlPath)), a.urlPath).toBe(a.cacheControl);
    expect(cacheControlOf(behaviorFor(dist, '/console'))).toBe('no-store');
    expect(
      cacheControlOf(
        behaviorFor(
          dist,
          [...web.assets.keys()].find((p) => p.endsWith('.js'))!,
        ),
      ),
    ).toBe('public, max-age=31536000, immutable');
    const pagesCache = resources[dist.DefaultCacheBehavior.CachePolicyId.Ref].Properties.CachePolicyConfig;
    expect(pagesCache).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    const assetsCache = resources[behaviorFor(dist, '/assets/x.js').CachePolicyId.Ref].Properties.CachePolicyConfig;
    expect(assetsCache).toMatchObject({ DefaultTTL: 31536000, ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true } });
    for (const b of [dist.DefaultCacheBehavior, ...dist.CacheBehaviors] as Behavior[]) expect(b.ViewerProtocolPolicy).toMatch(/^(redirect-to-https|https-only)$/);
  });

  it('routes every API route to the HTTP API on the same origin: all methods, no caching, every viewer header but Host, HTTPS only', () => {
    const apiOrigins = (dist.Origins as Json[]).filter((o) => o.CustomOriginConfig);
    expect(apiOrigins).toHaveLength(1);
    const api = apiOrigins[0]!;
    expect(api.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const domain = JSON.stringify(api.DomainName);
    expect(domain).toMatch(/"Fn::ImportValue":"Referrals-Stateless:ExportsOutputRefHttpApi/);
    expect(domain).toContain('.execute-api.ap-northeast-1.');
    expect(domain).toContain('AWS::URLSuffix');
    const stateless = s.stateless.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.values(stateless).some((o) => JSON.stringify(o.Value) === JSON.stringify({ Ref: s.platform.stateless.getLogicalId(s.platform.stateless.httpApi.node.defaultChild as never) }))).toBe(
      true,
    );
    for (const route of API_ROUTES) {
      const path = route.path.replace(/\{[^}]+\}/g, '01J0000000000000000000000X');
      const b = behaviorFor(dist, path);
      expect(b.TargetOriginId, `${route.method} ${route.path}`).toBe(api.Id);
      expect(b).toMatchObject({ CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER, ViewerProtocolPolicy: 'https-only' });
      expect([...b.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      expect(cacheControlOf(b)).toBe('no-store');
    }
    // …and nothing of the web build goes to the API.
    for (const a of s.platform.web!.web.assets.values()) expect(behaviorFor(dist, a.urlPath).TargetOriginId, a.urlPath).not.toBe(api.Id);
  });

  it('deploys the build written at synth time: index.html, console.html without the development sign-in, the exit page, assets', () => {
    const web = s.platform.web!;
    const [, deploy] = onlyResource(t, 'Custom::CDKBucketDeployment');
    expect(deploy.Properties).toMatchObject({ DestinationBucketName: { Ref: idOf(web.hosting.bucket) }, Prune: true, RetainOnDelete: true });
    // The file asset the CLI zips and uploads for the deployment, from the cloud assembly's manifest.
    const [zip] = deploy.Properties.SourceObjectKeys as string[];
    const manifest = JSON.parse(readFileSync(join(s.app.outdir, `${web.artifactId}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string; packaging: string } }> };
    const source = manifest.files[zip!.replace(/\.zip$/, '')]!.source;
    expect(source.packaging).toBe('zip');
    const staged = join(s.app.outdir, source.path);
    expect(existsSync(staged), staged).toBe(true);
    for (const dir of [staged, web.siteDir]) {
      const files = readdirSync(dir, { recursive: true }).map(String).sort();
      expect(files).toEqual(
        [...web.web.assets.values()]
          .map((a) => a.file)
          .concat('assets')
          .sort(),
      );
      for (const a of web.web.assets.values()) expect(readFileSync(join(dir, a.file)).equals(a.body), a.file).toBe(true);
      const consolePage = readFileSync(join(dir, 'console.html'), 'utf8');
      expect(consolePage).toContain('id="token-form"');
      expect(consolePage).not.toMatch(/dev-form|开发环境登录|development sign-in/);
      const index = readFileSync(join(dir, 'index.html'), 'utf8');
      expect(index).toContain('<meta name="exit-url" content="/exit.html">');
      expect(index).toContain('<meta name="api-base" content="">');
      expect(files.some((f) => f.startsWith('dev'))).toBe(false);
    }
  });

  it("gives the deployment handler a role with exactly its statements: read the build's zip, list and write the site bucket, its own logs", () => {
    const hosting = s.platform.web!.hosting;
    const [, fn] = resourcesOf(t, 'AWS::Lambda::Function').find(([id]) => id.startsWith('CustomCDKBucketDeployment'))!;
    const roleId = (fn.Properties!.Role as Json)['Fn::GetAtt'][0];
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(fn.DependsOn).toContain(idOf(hosting.deployPolicy));
    const attached = resourcesOf(t, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties!.Roles).includes(roleId));
    expect(attached.map(([id]) => id)).toEqual([idOf(hosting.deployPolicy)]);
    const statements = (attached[0]![1].Properties!.PolicyDocument as Json).Statement as Json[];
    const site = { 'Fn::GetAtt': [idOf(hosting.bucket), 'Arn'] };
    expect(statements.map((st) => [st.Sid, asArray(st.Action).sort()])).toEqual([
      ['OwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      ['ReadBuild', ['s3:GetObject']],
      ['ListSite', ['s3:ListBucket']],
      ['WriteSite', ['s3:DeleteObject', 's3:PutObject']],
    ]);
    const [zip] = onlyResource(t, 'Custom::CDKBucketDeployment')[1].Properties.SourceObjectKeys as string[];
    expect(JSON.stringify(statements[1]!.Resource)).toContain(`/${zip}`);
    expect(statements[2]!.Resource).toEqual(site);
    expect(statements[3]!.Resource).toEqual({ 'Fn::Join': ['', [site, '/*']] });
    expect(fn.Properties!.LoggingConfig).toEqual({ LogGroup: { Ref: idOf(hosting.node.findChild('DeployLogs') as never) } });
  });

  it('uses the default certificate without a domain and no WAF, and outputs the site URL', () => {
    expect(dist.ViewerCertificate).toBeUndefined();
    expect(dist.Aliases).toBeUndefined();
    expect(dist.WebACLId).toBeUndefined();
    expect(dist.Logging).toBeUndefined();
    const dn = { 'Fn::GetAtt': [idOf(s.platform.web!.hosting.distribution), 'DomainName'] };
    expect(t.toJSON().Outputs.WebUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', dn, '/']] });
  });
}
