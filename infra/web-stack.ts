// The web pages, deployed: built at synth time (web/build.ts, the same build `npm start` serves,
// without the development sign-in form), written next to the cloud assembly, copied into a
// private bucket behind CloudFront, with the HTTP API of the stateless stack on the same origin.
// Content only: the stack can be destroyed and redeployed (its two buckets are retained).
import { CfnOutput, Stack, Stage, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { API_ROUTES } from '../shared/http/routes.js';
import { buildWebSync, writeWebFiles, type WebBuild } from '../web/build.js';
import type { PlatformConfig } from './config.js';
import { apiPathPatterns, WebHosting } from './constructs/web-hosting.js';
import type { StatelessStack } from './stateless-stack.js';

export interface WebStackProps extends StackProps {
  config: PlatformConfig;
  stateless: StatelessStack;
  repositoryRoot: string;
}

export class WebStack extends Stack {
  readonly web: WebBuild;
  /** Where the built files were written (the deployment's source directory). */
  readonly siteDir: string;
  readonly hosting: WebHosting;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.web = buildWebSync({
      dataDir: join(props.repositoryRoot, 'data'),
      exitUrl: config.webExitUrl,
      // Same origin: the API is behind the same distribution.
      apiBase: '',
      omitDevSignIn: true,
    });
    const outdir = Stage.of(this)?.outdir;
    if (!outdir) throw new Error('web stack: no cloud assembly directory to build the pages into');
    this.siteDir = join(outdir, `web-site-${this.artifactId}`);
    writeWebFiles(this.web, this.siteDir);

    this.hosting = new WebHosting(this, 'Site', {
      web: this.web,
      siteDir: this.siteDir,
      apiDomainName: `${props.stateless.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      apiPathPatterns: apiPathPatterns(API_ROUTES.map((r) => r.path)),
      domainName: config.webDomainName,
      certificateArn: config.webCertificateArn,
      webAclArn: config.webAclArn,
      bootstrapKmsKeyArn: config.bootstrapKmsKeyArn,
      consoleSignIn: props.stateless.consoleSignIn,
      logRetentionDays: config.logRetentionDays,
    });

    new CfnOutput(this, 'WebUrl', { value: this.hosting.url, description: 'The intake form (/) and the caseworker console (/console)' });
    new CfnOutput(this, 'WebDistributionDomainName', {
      value: this.hosting.distribution.distributionDomainName,
      description: config.webDomainName ? `Point a CNAME of ${config.webDomainName} here` : "The distribution's own domain name",
    });
  }
}
