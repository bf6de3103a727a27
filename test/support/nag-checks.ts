// The cdk-nag checks of one synthesized profile: no unacknowledged finding, and acknowledgements
// that are narrow (on one resource, never a stack or the app), reasoned and still needed. The infra
// test of a profile runs them on its own synth (synthesizing each profile once).
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { expect, it } from 'vitest';
import type { Synthesized } from './synth.js';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
  construct: IConstruct;
}

function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason, construct: c });
      }
    }
  }
  return out;
}

/** Every AwsSolutions finding, as if nothing were acknowledged: rule id → construct paths. */
function rawFindings(root: IConstruct): Map<string, string[]> {
  const checks = new AwsSolutionsChecks();
  (checks as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const report = checks.validateScope(root);
  return new Map(report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath ?? '')]));
}

/** Registers the checks on the synth `current()` returns once its beforeAll has run. */
export function nagChecks(current: () => Synthesized): void {
  it('reports no unacknowledged finding', () => {
    const report = current().platform.nag.validateScope(current().app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges narrowly: on resources, never on a stack or the app, each with a reason and each still matching a finding', () => {
    const acks = acknowledgementsIn(current().app);
    expect(acks.length).toBeGreaterThan(0);
    const raw = rawFindings(current().app);
    for (const a of acks) {
      expect(Stack.isStack(a.construct) || a.construct === current().app, `${a.path} is a stack or the app`).toBe(false);
      expect(CfnResource.isCfnResource(a.construct), `${a.path}: an acknowledgement must sit on one CloudFormation resource`).toBe(true);
      expect(
        a.construct.node.findAll().filter((c) => CfnResource.isCfnResource(c)),
        a.path,
      ).toHaveLength(1);
      expect(a.reason.length, `${a.path} ${a.id}: reason`).toBeGreaterThanOrEqual(40);
      const paths = raw.get(a.id) ?? [];
      expect(
        paths.some((p) => p === a.path || p.startsWith(`${a.path}/`)),
        `${a.id} on ${a.path} no longer matches a finding`,
      ).toBe(true);
    }
  });
}
