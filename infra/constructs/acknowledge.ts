// A cdk-nag finding acknowledged on exactly one CloudFormation resource (the construct's own
// resource, not the construct and its children), with the reason it is accepted.
import { CfnResource, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(construct: IConstruct, finding: { id: string; reason: string }): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) throw new Error(`${construct.node.path}: acknowledge a finding on a resource`);
  Validations.of(resource).acknowledge(finding);
}
