// cdk-nag (AwsSolutions) runs on every synth: an unacknowledged finding fails the synth, and so
// this test. Every acknowledgement is narrow (on the resource that raises it, never on a stack or
// the app), has a reason, and still matches a finding (no stale acknowledgement hides a new one).
import { App } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlatform, REPOSITORY_ROOT } from '../../infra/platform.js';
import { nagChecks } from '../support/nag-checks.js';
import { CDK_JSON, synthesize, type Synthesized } from '../support/synth.js';

describe.each([
  // The global, China and own-domain profiles are checked on the synths of stacks.test.ts,
  // china.test.ts and web-hosting.test.ts.
  [
    'global with an OIDC issuer, an existing hotline secret, CORS and tracing',
    { oidcIssuer: 'https://idp.example.org/realms/jl', hotlineSecretName: 'ops/hotline', webConsoleOrigin: 'https://console.example.org', tracing: true },
  ],
])('cdk-nag AwsSolutions, %s profile', (_name, context) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(context); // throws if cdk-nag reports an unacknowledged finding
  }, 120_000);
  afterAll(() => s?.cleanup());

  nagChecks(() => s);
});

describe('cdk-nag stops a synth with a new finding (the check can fail)', () => {
  it('fails the synth of the platform plus an unencrypted queue without TLS enforcement', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'referrals-nag-'));
    try {
      const app = new App({ outdir, context: { ...CDK_JSON.context, 'aws:cdk:bundling-stacks': [] } });
      const p = buildPlatform(app, {});
      new sqs.Queue(p.stateful, 'CarelessQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
      const rules = p.nag.validateScope(app).violations.map((v) => v.ruleName);
      expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the CDK entry point (cdk.json "app")', () => {
  it('synthesizes without AWS credentials or network, as `cdk synth` runs it', () => {
    expect(CDK_JSON.app).toBe('npx tsx infra/bin/app.ts');
    const outdir = mkdtempSync(join(tmpdir(), 'referrals-app-'));
    try {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: outdir,
        CDK_OUTDIR: outdir,
        // What the CLI passes: cdk.json's context (bundling skipped here to keep the test fast).
        CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON.context, 'aws:cdk:bundling-stacks': [] }),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const run = spawnSync(join(REPOSITORY_ROOT, 'node_modules/.bin/tsx'), ['infra/bin/app.ts'], { cwd: REPOSITORY_ROOT, env, encoding: 'utf8', timeout: 180_000 });
      expect(run.status, run.stderr).toBe(0);
      for (const stack of ['Referrals-Stateful', 'Referrals-Stateless', 'Referrals-Web']) expect(existsSync(join(outdir, `${stack}.template.json`)), stack).toBe(true);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { environment?: string }> };
      expect(manifest.artifacts['Referrals-Stateless']!.environment).toBe('aws://unknown-account/ap-northeast-1');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 200_000);
});
