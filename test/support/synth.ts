// Synthesizes the platform the way `cdk synth` does (cdk.json context, cdk-nag attached), with
// bundling skipped, into a temporary directory. Each profile is synthesized by one test file only
// (once per run); the checks other files make of it are registered on that synth (nag-checks.ts,
// web-stack-checks.ts).
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, REPOSITORY_ROOT, type Platform } from '../../infra/platform.js';

export const CDK_JSON = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };

export interface Synthesized {
  app: App;
  platform: Platform;
  stateful: Template;
  stateless: Template;
  /** Both templates as JSON text, for searching. */
  text: string;
  /** The cloud assembly's folder: every stack's template as `<stack>.template.json`. */
  outdir: string;
  cleanup(): void;
}

/**
 * `context` overrides cdk.json the way `-c key=value` does (values may be strings). Throws
 * (as `cdk synth` fails) when a validation plugin such as cdk-nag reports a finding.
 */
export function synthesize(context: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'referrals-cdk-'));
  try {
    const app = new App({ outdir, context: { ...CDK_JSON.context, ...context, 'aws:cdk:bundling-stacks': [] } });
    const platform = buildPlatform(app, env);
    const assembly = app.synth();
    const stateful = assembly.getStackByName(platform.stateful.stackName).template as Record<string, unknown>;
    const stateless = assembly.getStackByName(platform.stateless.stackName).template as Record<string, unknown>;
    return {
      app,
      platform,
      stateful: Template.fromJSON(stateful),
      stateless: Template.fromJSON(stateless),
      text: JSON.stringify(stateful) + JSON.stringify(stateless),
      outdir,
      cleanup: () => rmSync(outdir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
}

type CfnResource = { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] };

export function resourcesOf(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type)) as [string, CfnResource][];
}

/** The one resource of a type (throws when there is not exactly one). */
export function onlyResource(template: Template, type: string): [string, CfnResource & { Properties: Record<string, any> }] {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, r] = found[0]!;
  return [id, { ...r, Properties: r.Properties ?? {} }];
}

/** The stateful stack's exports, by export name: what the stateless stack's Fn::ImportValue stands for. */
export function exportsOf(statefulTemplate: Template): Map<string, unknown> {
  const outputs = (statefulTemplate.toJSON().Outputs ?? {}) as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const map = new Map<string, unknown>();
  for (const o of Object.values(outputs)) if (o.Export) map.set(o.Export.Name, o.Value);
  return map;
}

/** Replaces every Fn::ImportValue by the producer's expression, so a resource reads as in the stateful stack. */
export function resolveImports(value: unknown, exports: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveImports(v, exports));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === 'Fn::ImportValue') {
      const name = entries[0]![1];
      if (typeof name !== 'string' || !exports.has(name)) throw new Error(`unknown import ${JSON.stringify(name)}`);
      return exports.get(name);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolveImports(v, exports)]));
  }
  return value;
}

export const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * cfn-lint (on these machines and CI's) over every template of the assembly. Returns its exit code
 * (a bit mask: 2 errors, 4 warnings, 8 informational) and what it printed.
 */
export function cfnLint(outdirs: string | readonly string[], regions: string | readonly string[]): { code: number; output: string; templates: string[] } {
  // One cfn-lint process for every template and region: its start (the resource specs) is most of its cost.
  const templates = [outdirs].flat().flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(dir, f)),
  );
  const run = spawnSync('cfn-lint', ['--format', 'parseable', '--regions', ...[regions].flat(), '--', ...templates], { encoding: 'utf8' });
  if (run.error) throw new Error(`cfn-lint could not run (install it: pip install cfn-lint): ${run.error.message}`);
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}`, templates };
}
