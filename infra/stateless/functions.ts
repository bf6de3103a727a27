// The platform's functions in the stateless stack: one per catalogue entry (infra/function-catalogue.ts)
// with its environment and exactly its grants, and its trigger (table stream, schedule). Built in
// the stack's own scope, so that logical ids stay as they were when this lived in one file.
import { CfnParameter, Duration, type Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { usesCognito, type PlatformConfig } from '../config.js';
import { acknowledge } from '../constructs/acknowledge.js';
import { PlatformFunction } from '../constructs/platform-function.js';
import { FUNCTION_CATALOGUE, grantApplies, type CatalogueEntry, type EnvironmentValue, type GrantTarget } from '../function-catalogue.js';
import type { StatefulStack } from '../stateful-stack.js';

/** Settings of the notifier's stream mapping (asserted by test/infra). */
export const STREAM_MAPPING = {
  /** The notifier works a batch concurrently (emergencies first): larger batches, no waiting for one to fill. */
  batchSize: 100,
  maximumBatchingWindowSeconds: 0,
  /**
   * Retried for as long as a record may wait (no fixed count): a brownout of the table of hours, not
   * minutes, sends nothing to the DLQ. Malformed items, which no retry mends, the function sets
   * aside itself, so a retry never holds back the records behind a poison one for long.
   */
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: 6 * 60 * 60,
  /** Ten batches per shard at once; order is kept per partition key (a case's items). */
  parallelizationFactor: 10,
  /** Only referral and danger-review items reach the notifier (creation and every change of one). */
  filterPattern: { dynamodb: { NewImage: { entity: { S: ['referral', 'review'] } } } },
} as const;

/**
 * The statistics consumer: new event items only. Counting is idempotent per event and nothing is
 * urgent about it, so it waits up to 5 s to fill a batch and retries a record until the stream lets
 * it go (24 h; -1 = no age limit); a record lost beyond that is recounted by `npm run reports:rebuild`.
 */
export const STATISTICS_STREAM_MAPPING = {
  batchSize: 100,
  maximumBatchingWindowSeconds: 5,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  parallelizationFactor: 2,
  filterPattern: { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['event'] } } } },
} as const;

/** The HTTPS SMS gateway's URL and key id: from context, or CloudFormation parameters given at deploy time. */
export interface SmsGateway {
  url: string;
  keyId: string;
}

/** A value the administrator gives at deploy time (cdk deploy --parameters Name=value) when cdk.json has none. */
export function deployParameter(stack: Stack, name: string, description: string, allowedPattern: string): string {
  return new CfnParameter(stack, name, { type: 'String', description, allowedPattern, constraintDescription: `must match ${allowedPattern}` }).valueAsString;
}

/** Every function of the catalogue, by name. */
export function createFunctions(stack: Stack, config: PlatformConfig, stateful: StatefulStack, repositoryRoot: string): Map<string, PlatformFunction> {
  const smsGateway: SmsGateway | undefined =
    config.smsAdapter === 'https-gateway'
      ? {
          url: config.smsGatewayUrl ?? deployParameter(stack, 'SmsGatewayUrl', 'HTTPS endpoint of the SMS gateway', '^https://\\S+$'),
          keyId: config.smsGatewayKeyId ?? deployParameter(stack, 'SmsGatewayKeyId', 'Key id this platform has at the SMS gateway (X-Key-Id)', '^[A-Za-z0-9._-]{1,64}$'),
        }
      : undefined;
  const functions = new Map<string, PlatformFunction>();
  for (const entry of FUNCTION_CATALOGUE) {
    const fn = new PlatformFunction(stack, functionId(entry.name), {
      functionName: entry.name,
      description: entry.description,
      repositoryRoot,
      memoryMb: entry.memoryMb,
      timeoutSeconds: entry.timeoutSeconds,
      environment: environmentOf(entry, config, stateful, smsGateway),
      logRetentionDays: config.logRetentionDays,
      tracing: config.tracing,
      statements: statementsOf(stack, entry, config, stateful),
      prebuiltClassifier: entry.classifies === true,
    });
    acknowledgeFunctionFindings(fn, entry, config);
    functions.set(entry.name, fn);
  }
  return functions;
}

/** Stream → notifier and statistics, schedule → escalation. */
export function addTriggers(stack: Stack, functions: ReadonlyMap<string, PlatformFunction>, stateful: StatefulStack): void {
  for (const entry of FUNCTION_CATALOGUE) {
    const fn = functions.get(entry.name)!;
    if (entry.trigger.kind === 'table-stream') streamMapping(stack, fn, stateful, entry.trigger.consumer);
    if (entry.trigger.kind === 'schedule') {
      new events.Rule(stack, `${functionId(entry.name)}Schedule`, {
        description: `Runs ${entry.name} on ${entry.trigger.expression}`,
        schedule: events.Schedule.expression(entry.trigger.expression),
        // A missed run is caught up by the next one (the work is found by querying the due index).
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(4) })],
      });
    }
  }
}

function environmentOf(entry: CatalogueEntry, config: PlatformConfig, s: StatefulStack, smsGateway: SmsGateway | undefined): Record<string, string> {
  const value = (v: EnvironmentValue): string | undefined => {
    switch (v) {
      case 'table-name':
        return s.table.tableName;
      case 'hotline-secret-arn':
        return secretIdOf(s.hotlineSecret);
      case 'person-key-secret-arn':
        return secretIdOf(s.personKeySecret);
      case 'referrals-topic-arn':
        return s.referralsTopic.topicArn;
      case 'sms-adapter':
        return config.smsAdapter;
      case 'sms-gateway-url':
        return smsGateway?.url;
      case 'sms-gateway-key-id':
        return smsGateway?.keyId;
      case 'sms-gateway-secret-arn':
        return smsGateway && s.smsGatewaySecret ? secretIdOf(s.smsGatewaySecret) : undefined;
      case 'sms-sender-id':
        return config.smsAdapter === 'sns' ? config.smsSenderId : undefined;
      case 'sms-signature':
        return config.smsSignature;
      case 'sms-client-signature':
        return config.smsClientSignature;
      case 'closed-case-retention-days':
        return String(config.closedCaseRetentionDays);
      case 'notifier-dlq-url':
        return s.notifierDeadLetterQueue.queueUrl;
      case 'staff-claims':
        return usesCognito(config) ? 'cognito' : config.oidcClaims;
    }
  };
  const env: Record<string, string> = {};
  for (const [name, v] of Object.entries(entry.environment)) {
    const resolved = value(v);
    if (resolved !== undefined) env[name] = resolved;
  }
  return env;
}

/** The catalogue's grants as policy statements on concrete ARNs. */
function statementsOf(stack: Stack, entry: CatalogueEntry, config: PlatformConfig, s: StatefulStack): iam.PolicyStatement[] {
  const arnsOf = (target: GrantTarget): string[] => {
    switch (target) {
      case 'table':
        return [s.table.tableArn];
      case 'index:queue':
      case 'index:due':
      case 'index:deadline':
        return [`${s.table.tableArn}/index/${target.slice('index:'.length)}`];
      case 'table-stream':
        return [requireValue(s.table.tableStreamArn, 'table stream')];
      case 'table-key':
        return [s.tableKey.keyArn];
      case 'referrals-topic':
        return [s.referralsTopic.topicArn];
      case 'topic-key':
        return [s.topicKey.keyArn];
      case 'queue-key':
        return [s.queueKey.keyArn];
      case 'notifier-dlq':
        return [s.notifierDeadLetterQueue.queueArn];
      case 'hotline-secret':
        return [secretArnPattern(s.hotlineSecret)];
      case 'sms-gateway-secret':
        return [secretArnPattern(requireValue(s.smsGatewaySecret, 'SMS gateway secret'))];
      case 'person-key-secret':
        return [secretArnPattern(s.personKeySecret)];
      case 'sms-phone-numbers':
      case 'any-stream-listing':
        return ['*'];
    }
  };
  return entry.grants
    .filter((g) => grantApplies(g, config.smsAdapter))
    .map((g) =>
      g.on.includes('sms-phone-numbers')
        ? // SMS: a Publish to a phone number, which has no ARN. Its own statement, on everything that
          // is *not* an SNS resource, so that it can never publish to a topic (and minimizePolicies
          // cannot merge it with another action's "*").
          new iam.PolicyStatement({ sid: 'SmsToPhoneNumbersOnly', actions: [...g.actions], notResources: [`arn:${stack.partition}:sns:*:*:*`] })
        : new iam.PolicyStatement({ actions: [...g.actions], resources: g.on.flatMap(arnsOf) }),
    );
}

/** Findings a function's role raises by design, each acknowledged on that role's policy only, with its reason. */
function acknowledgeFunctionFindings(fn: PlatformFunction, entry: CatalogueEntry, config: PlatformConfig) {
  const applies = entry.grants.filter((g) => grantApplies(g, config.smsAdapter));
  const wildcardReasons: string[] = [];
  if (applies.some((g) => g.on.includes('sms-phone-numbers'))) {
    wildcardReasons.push(
      'sns:Publish to a phone number (SMS) has no resource ARN to scope to: its statement allows it on NotResource arn:<partition>:sns:*:*:*, so no topic can be reached through it (the topic publish is its own statement on the topic ARN)',
    );
  }
  if (applies.some((g) => g.on.includes('any-stream-listing'))) {
    wildcardReasons.push('dynamodb:ListStreams, used by the Lambda event source mapping, supports no resource-level permission (reading records is scoped to the stream ARN)');
  }
  if (config.tracing) wildcardReasons.push('X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permission');
  if (wildcardReasons.length > 0) {
    acknowledge(fn.rolePolicy, { id: 'AwsSolutions-IAM5[Resource::*]', reason: `Only these actions are allowed on "*": ${wildcardReasons.join('; ')}.` });
  }
}

/** The notifier reads the table stream: referral items only, bounded retries, bisect, partial batch responses, DLQ. */
function streamMapping(stack: Stack, fn: PlatformFunction, s: StatefulStack, consumer: 'notifier' | 'statistics') {
  const m = consumer === 'notifier' ? STREAM_MAPPING : STATISTICS_STREAM_MAPPING;
  const mapping = new lambda.CfnEventSourceMapping(stack, `${fn.node.id}StreamMapping`, {
    functionName: fn.functionName,
    eventSourceArn: requireValue(s.table.tableStreamArn, 'table stream'),
    startingPosition: 'TRIM_HORIZON',
    batchSize: m.batchSize,
    maximumBatchingWindowInSeconds: m.maximumBatchingWindowSeconds,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: m.maximumRetryAttempts,
    maximumRecordAgeInSeconds: m.maximumRecordAgeSeconds,
    parallelizationFactor: m.parallelizationFactor,
    functionResponseTypes: ['ReportBatchItemFailures'],
    // The notifier's failures go to its DLQ for the redrive; the statistics are recounted instead.
    ...(consumer === 'notifier' ? { destinationConfig: { onFailure: { destination: s.notifierDeadLetterQueue.queueArn } } } : {}),
    filterCriteria: { filters: [{ pattern: JSON.stringify(m.filterPattern) }] },
  });
  mapping.node.addDependency(fn.rolePolicy);
}

/** A construct id from a function folder name: intake-12338 → Intake12338. */
export function functionId(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** What GetSecretValue is given: the full ARN of a secret the stack created, the name of one it references by name. */
function secretIdOf(secret: { secretArn: string; secretFullArn?: string; secretName: string }): string {
  return secret.secretFullArn ?? secret.secretName;
}

/** Secrets Manager appends 6 random characters to a secret's name in its ARN: a secret referenced by name needs `-??????`. */
function secretArnPattern(secret: { secretArn: string; secretFullArn?: string }): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

export function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not configured`);
  return value;
}
