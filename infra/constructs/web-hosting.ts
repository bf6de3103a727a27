// The web pages (intake form, caseworker console, exit page) as static files in a private S3
// bucket behind CloudFront, with the HTTP API on the same origin: the pages call /intake/web,
// /cases/…, /referrals… on their own host, so no CORS is needed and the CSP stays `'self'`.
//
// - The bucket is private (Block Public Access, SSE-S3, TLS 1.2+ only, no website hosting);
//   CloudFront reads it with Origin Access Control. Its server access logs (requests made by
//   CloudFront and the deployment, never a viewer's address) go to a log bucket.
// - A CloudFront Function maps the clean paths of the web build (/ → index.html, /console →
//   console.html) and answers 404 for /dev/… (the local runtime's development sign-in, which no
//   deployment has).
// - A response-headers policy per kind of file gives the headers of web/security-headers.ts plus
//   HSTS, and the file's Cache-Control from the web build: no-store for pages, immutable for
//   hashed assets, an hour for the division list. The API behaviours get the pages' policy
//   (no-store: case data never stays in a browser's cache), caching disabled and every viewer
//   header but Host (so the Authorization header reaches API Gateway).
// - No distribution-wide custom error responses: they would replace the API's own 403/404 JSON.
// - No CloudFront access logs: they record every viewer's IP address, user agent and path, i.e.
//   who opened the help form when; the platform logs identifiers and codes only (docs/deploy.md).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebBuild } from '../../web/build.js';
import { CACHE_CONTROL, contentSecurityPolicy, SECURITY_HEADERS } from '../../web/security-headers.js';
import { acknowledge } from './acknowledge.js';

/** HSTS of the site (not in SECURITY_HEADERS: the local runtime is plain http). */
export const HSTS = { maxAgeSeconds: 2 * 365 * 24 * 3600, includeSubdomains: true, preload: false } as const;

/** Where a request is routed: a path pattern of the distribution and what is served there. */
export interface CacheRule {
  /** CloudFront path pattern; '*' stands for the default behaviour. */
  pathPattern: string;
  cacheControl: string;
}

/**
 * Path patterns of the API behaviours, one per first path segment of the routes: `/<segment>*`
 * when a route is the bare segment (GET /referrals), else `/<segment>/*`.
 */
export function apiPathPatterns(routePaths: readonly string[]): string[] {
  const bySegment = new Map<string, boolean>();
  for (const path of routePaths) {
    const segment = /^\/([^/{}]+)(\/|$)/.exec(path)?.[1];
    if (!segment) throw new Error(`web hosting: API route ${path} has no literal first segment to route on`);
    bySegment.set(segment, (bySegment.get(segment) ?? false) || path === `/${segment}`);
  }
  return [...bySegment].map(([segment, bare]) => (bare ? `/${segment}*` : `/${segment}/*`));
}

/** The clean URL paths of a web build that are not its file names: '/' → '/index.html', '/console' (and '/console/') → '/console.html'. */
export function rewritesOf(web: WebBuild): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of web.assets.values()) {
    const file = `/${a.file}`;
    if (a.urlPath === file) continue;
    map[a.urlPath] = file;
    if (a.urlPath !== '/') map[`${a.urlPath}/`] = file;
  }
  return map;
}

/** Source of the viewer-request CloudFront Function (cloudfront-js-2.0): clean paths → files, /dev/… → 404. */
export function viewerRequestCode(rewrites: Record<string, string>): string {
  return [
    `var REWRITES = ${JSON.stringify(rewrites)};`,
    'function handler(event) {',
    '  var request = event.request;',
    '  var uri = request.uri;',
    "  if (uri === '/dev' || uri.indexOf('/dev/') === 0) {",
    "    return { statusCode: 404, statusDescription: 'Not Found', headers: { 'cache-control': { value: 'no-store' } } };",
    '  }',
    '  if (Object.prototype.hasOwnProperty.call(REWRITES, uri)) request.uri = REWRITES[uri];',
    '  return request;',
    '}',
  ].join('\n');
}

/**
 * The distribution's behaviours for the files of a web build: pages at the root under the default
 * behaviour ('*'), every other root file under its own path, each folder under `/<folder>/*`. Throws
 * when files that would share a behaviour ask for different Cache-Control.
 */
export function cacheRulesOf(web: WebBuild): CacheRule[] {
  const rules = new Map<string, string>();
  for (const a of web.assets.values()) {
    const slash = a.file.indexOf('/');
    const pattern = slash >= 0 ? `/${a.file.slice(0, slash)}/*` : a.cacheControl === CACHE_CONTROL.page ? '*' : `/${a.file}`;
    const known = rules.get(pattern);
    if (known !== undefined && known !== a.cacheControl) throw new Error(`web hosting: ${a.file} wants "${a.cacheControl}" but ${pattern} serves "${known}"`);
    rules.set(pattern, a.cacheControl);
  }
  if (rules.get('*') !== CACHE_CONTROL.page) throw new Error('web hosting: the default behaviour must serve the pages (no-store)');
  return [...rules].map(([pathPattern, cacheControl]) => ({ pathPattern, cacheControl }));
}

/** Seconds of `max-age=` in a Cache-Control value; 0 for no-store or none. */
export function maxAgeOf(cacheControl: string): number {
  if (/\bno-store\b/.test(cacheControl)) return 0;
  return Number(/\bmax-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
}

const FRAME_OPTIONS: Record<string, cloudfront.HeadersFrameOption> = { DENY: cloudfront.HeadersFrameOption.DENY, SAMEORIGIN: cloudfront.HeadersFrameOption.SAMEORIGIN };
const REFERRER_POLICIES: Record<string, cloudfront.HeadersReferrerPolicy> = Object.fromEntries(
  Object.values(cloudfront.HeadersReferrerPolicy).map((v) => [v as string, v as cloudfront.HeadersReferrerPolicy]),
);

/** SECURITY_HEADERS (and HSTS) as a response-headers policy's settings, plus a Cache-Control; every header overrides the origin's. */
export function responseHeadersOf(cacheControl: string, connectOrigins: readonly string[] = []): Pick<cloudfront.ResponseHeadersPolicyProps, 'securityHeadersBehavior' | 'customHeadersBehavior'> {
  const security: cloudfront.ResponseSecurityHeadersBehavior = {
    strictTransportSecurity: { accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds), includeSubdomains: HSTS.includeSubdomains, preload: HSTS.preload, override: true },
  };
  const custom: cloudfront.ResponseCustomHeader[] = [{ header: 'Cache-Control', value: cacheControl, override: true }];
  const s = security as { -readonly [K in keyof cloudfront.ResponseSecurityHeadersBehavior]: cloudfront.ResponseSecurityHeadersBehavior[K] };
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    switch (name) {
      case 'content-security-policy':
        // The console fetches the sign-in discovery document and tokens from the issuer.
        s.contentSecurityPolicy = { contentSecurityPolicy: connectOrigins.length ? contentSecurityPolicy(connectOrigins.join(' ')) : value, override: true };
        break;
      case 'x-content-type-options':
        if (value !== 'nosniff') throw new Error(`web hosting: x-content-type-options "${value}" is not what CloudFront sets`);
        s.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options': {
        const frameOption = FRAME_OPTIONS[value];
        if (!frameOption) throw new Error(`web hosting: x-frame-options "${value}" has no CloudFront equivalent`);
        s.frameOptions = { frameOption, override: true };
        break;
      }
      case 'referrer-policy': {
        const referrerPolicy = REFERRER_POLICIES[value];
        if (!referrerPolicy) throw new Error(`web hosting: referrer-policy "${value}" has no CloudFront equivalent`);
        s.referrerPolicy = { referrerPolicy, override: true };
        break;
      }
      default:
        custom.push({ header: name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeadersBehavior: { customHeaders: custom } };
}

export interface WebHostingProps {
  /** The build whose files are in `siteDir` (its paths and Cache-Control decide the behaviours). */
  web: WebBuild;
  /** Folder holding the built files, as `writeWebFiles` wrote them: the deployment's source. */
  siteDir: string;
  /** Host name of the HTTP API (`<id>.execute-api.<region>.<suffix>`). */
  apiDomainName: string;
  /** Path patterns routed to the API (apiPathPatterns of API_ROUTES). */
  apiPathPatterns: string[];
  /** The site's own domain and its us-east-1 ACM certificate (both or neither). */
  domainName?: string;
  certificateArn?: string;
  /** An existing WAFv2 web ACL (scope CLOUDFRONT). */
  webAclArn?: string;
  /** The bootstrap bucket's customer-managed key, when the account was bootstrapped with one. */
  bootstrapKmsKeyArn?: string;
  /** The console's sign-in (deploy-time values): written as /console-config.json, its origins allowed to connect. */
  consoleSignIn?: { discovery: string; clientId: string; origins: string[] };
  logRetentionDays: number;
}

export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly viewerRequest: cloudfront.Function;
  readonly deployment: s3deploy.BucketDeployment;
  /** The only statements of the deployment handler's role. */
  readonly deployPolicy: iam.Policy;
  readonly cacheRules: CacheRule[];
  /** The address of the site: https://<domain or distribution name>/ */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    if (!props.domainName !== !props.certificateArn) throw new Error('web hosting: a domain name needs its certificate and the other way round');

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED, // the only encryption S3 server access logging delivers to
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // (cdk-nag counts a bucket that receives another bucket's access logs as logged.)
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    const rewrites = Object.freeze({ ...rewritesOf(props.web) });
    this.viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      comment: 'Clean paths of the web pages to their files; no /dev (development sign-in) in a deployment',
      code: cloudfront.FunctionCode.fromInline(viewerRequestCode(rewrites)),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const headerPolicies = new Map<string, cloudfront.ResponseHeadersPolicy>();
    const headerPolicy = (cacheControl: string) => {
      let policy = headerPolicies.get(cacheControl);
      if (!policy) {
        const name = (Object.entries(CACHE_CONTROL).find(([, v]) => v === cacheControl)?.[0] ?? `Custom${headerPolicies.size}`).replace(/^./, (c) => c.toUpperCase());
        policy = new cloudfront.ResponseHeadersPolicy(this, `Headers${name}`, {
          comment: `Security headers, Cache-Control: ${cacheControl}`,
          ...responseHeadersOf(cacheControl, props.consoleSignIn?.origins),
        });
        headerPolicies.set(cacheControl, policy);
      }
      return policy;
    };
    const cachePolicy = (rule: CacheRule) => {
      const seconds = maxAgeOf(rule.cacheControl);
      // Edge TTL: the files carry no Cache-Control of their own (the viewer's comes from the headers
      // policy), so the default TTL decides: 0 for pages (always fresh after a deployment).
      return new cloudfront.CachePolicy(this, `Cache${rule.pathPattern === '*' ? 'Pages' : rule.pathPattern.replace(/[^A-Za-z0-9]/g, '')}`, {
        comment: `Web files under ${rule.pathPattern}: edge TTL ${seconds} s`,
        minTtl: Duration.seconds(0),
        defaultTtl: Duration.seconds(seconds),
        maxTtl: Duration.seconds(Math.max(seconds, 24 * 3600)),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
        headerBehavior: cloudfront.CacheHeaderBehavior.none(),
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      });
    };

    const site = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.cacheRules = cacheRulesOf(props.web);
    const staticBehavior = (rule: CacheRule): cloudfront.BehaviorOptions => ({
      origin: site,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy: cachePolicy(rule),
      responseHeadersPolicy: headerPolicy(rule.cacheControl),
    });
    const pages = this.cacheRules.find((r) => r.pathPattern === '*')!;
    const api = new origins.HttpOrigin(props.apiDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headerPolicy(CACHE_CONTROL.page),
    };
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    for (const rule of this.cacheRules) if (rule.pathPattern !== '*') additionalBehaviors[rule.pathPattern] = staticBehavior(rule);
    for (const pattern of props.apiPathPatterns) {
      if (additionalBehaviors[pattern] || this.cacheRules.some((r) => r.pathPattern !== '*' && patternsOverlap(r.pathPattern, pattern))) {
        throw new Error(`web hosting: API path ${pattern} collides with the web files`);
      }
      if (pattern === '/dev*' || pattern.startsWith('/dev/')) throw new Error('web hosting: /dev is the local development sign-in and never routed');
      additionalBehaviors[pattern] = apiBehavior;
    }

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Referral platform: web pages and the HTTP API on one origin',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        ...staticBehavior(pages),
        functionAssociations: [{ function: this.viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors,
      // Every edge: she may be anywhere (migrant work, family elsewhere); the traffic is small.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      enableLogging: false,
      webAclId: props.webAclArn,
      ...(props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}/`;

    acknowledge(this.distribution, {
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: the programme serves Jilin, but a woman may be away from home (migrant work, family in another province or abroad) when she needs the form, and caseworkers travel.',
    });
    acknowledge(this.distribution, {
      id: 'AwsSolutions-CFR3',
      reason:
        "CloudFront standard logs record every viewer's IP address, user agent and path with the time: who opened the help form when. The platform logs identifiers and codes only (the API access log has no source IP, path or query); API requests are in that log, and CloudFront's metrics count requests and errors.",
    });
    if (!props.webAclArn) {
      acknowledge(this.distribution, {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF by default (about USD 6 a month for a web ACL and a rate rule, and a CLOUDFRONT-scope ACL lives in us-east-1): the API stage is throttled, the intake is idempotent, staff routes need a JWT. Attach an existing web ACL with the webAclArn context value.',
      });
    }
    if (!props.certificateArn) {
      acknowledge(this.distribution, {
        id: 'AwsSolutions-CFR4',
        reason:
          "The distribution uses its *.cloudfront.net name and CloudFront's default certificate, whose security policy CloudFront fixes; with webDomainName and webCertificateArn the policy is TLSv1.2_2021.",
      });
    }

    // --- Deployment of the built files -----------------------------------------------------
    // BucketDeployment's handler (aws-cdk-lib's, shared by the stack) runs `aws s3 cp` of the build's
    // zip and `aws s3 sync --delete` into the site bucket. Its role is given here and passed as
    // immutable, so the library's broad grants (s3:GetObject*, s3:List*, … on whole buckets) are
    // dropped and the role holds exactly these statements.
    const files = new s3assets.Asset(this, 'Files', { path: props.siteDir });
    const deployLogs = new logs.LogGroup(this, 'DeployLogs', { retention: props.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const deployRole = new iam.Role(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the built web pages from the CDK asset bucket into the site bucket',
    });
    this.deployPolicy = new iam.Policy(this, 'DeployPolicy', {
      roles: [deployRole],
      statements: [
        new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [deployLogs.logGroupArn] }),
        new iam.PolicyStatement({ sid: 'ReadBuild', actions: ['s3:GetObject'], resources: [files.bucket.arnForObjects(files.s3ObjectKey)] }),
        new iam.PolicyStatement({ sid: 'ListSite', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'WriteSite', actions: ['s3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }),
        // A bootstrap with a customer-managed key encrypts the build in the asset bucket: read through S3 only.
        ...(props.bootstrapKmsKeyArn
          ? [
              new iam.PolicyStatement({
                sid: 'DecryptBuild',
                actions: ['kms:Decrypt'],
                resources: [props.bootstrapKmsKeyArn],
                conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
              }),
            ]
          : []),
      ],
    });
    acknowledge(this.deployPolicy, {
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason:
        'The deployment writes and prunes the files of each build in the site bucket: their keys change with every build (hashed asset names), so the objects are named by <site bucket>/*; only PutObject and DeleteObject are allowed there.',
    });
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [
        s3deploy.Source.bucket(files.bucket, files.s3ObjectKey),
        // Resolved at deploy time (the pool's and client's ids are not known at synth).
        ...(props.consoleSignIn
          ? [s3deploy.Source.jsonData('console-config.json', { oidc: { discovery: props.consoleSignIn.discovery, clientId: props.consoleSignIn.clientId, scope: 'openid email' } })]
          : []),
      ],
      destinationBucket: this.bucket,
      // Files of an earlier build (old hashed assets) are removed: pages are never cached, so no
      // page still being served refers to them.
      prune: true,
      retainOnDelete: true,
      memoryLimit: 512,
      role: deployRole.withoutPolicyUpdates(),
      logGroup: deployLogs,
    });
    // The copy runs only once its role may do it.
    this.deployment.node.addDependency(this.deployPolicy);
    for (const c of Stack.of(this).node.findAll()) {
      if (!(c instanceof lambda.Function && c.node.id.startsWith('Custom::CDKBucketDeployment'))) continue;
      c.node.addDependency(this.deployPolicy);
      acknowledge(c, {
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of aws-cdk-lib's BucketDeployment handler is the library's choice (it runs the AWS CLI from the library's layer) and moves with aws-cdk-lib; it runs only during a deployment.",
      });
    }
  }
}

/** Whether two CloudFront path patterns (literal paths or `<prefix>*`) can match the same path. */
function patternsOverlap(a: string, b: string): boolean {
  const prefix = (p: string) => (p.endsWith('*') ? p.slice(0, -1) : p);
  const [pa, pb] = [prefix(a), prefix(b)];
  const wa = a.endsWith('*');
  const wb = b.endsWith('*');
  if (wa && wb) return pa.startsWith(pb) || pb.startsWith(pa);
  if (wa) return pb.startsWith(pa);
  if (wb) return pa.startsWith(pb);
  return pa === pb;
}
