// Builds the platform's stacks (stateful, stateless and, unless webHosting is none, web) into an
// app and attaches cdk-nag's AwsSolutions checks, so every synth (the CLI's and the tests') is checked. infra/bin/app.ts is the CLI entry point.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { loadConfig, type PlatformConfig } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';
import { WebStack } from './web-stack.js';

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Platform {
  config: PlatformConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
  /** The web pages behind CloudFront; absent when webHosting is none (the default in China). */
  web?: WebStack;
  nag: AwsSolutionsChecks;
}

export function buildPlatform(app: App, env: NodeJS.ProcessEnv = process.env): Platform {
  const config = loadConfig((key) => app.node.tryGetContext(key), env);
  const stackEnv = { account: config.account, region: config.region };
  const description = 'Referral platform for rural left-behind women (农村留守妇女关爱服务转介平台)';
  const stateful = new StatefulStack(app, `${config.stackPrefix}-Stateful`, {
    env: stackEnv,
    config,
    description: `${description}: table, keys, topics, queues, secrets`,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${config.stackPrefix}-Stateless`, {
    env: stackEnv,
    config,
    stateful,
    repositoryRoot: REPOSITORY_ROOT,
    description: `${description}: functions, HTTP API, schedule, alarms`,
  });
  const web =
    config.webHosting === 'cloudfront'
      ? new WebStack(app, `${config.stackPrefix}-Web`, {
          env: stackEnv,
          config,
          stateless,
          repositoryRoot: REPOSITORY_ROOT,
          description: `${description}: web pages (S3 behind CloudFront, the API on the same origin)`,
        })
      : undefined;
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { config, stateful, stateless, web, nag };
}
