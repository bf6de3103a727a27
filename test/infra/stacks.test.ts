// Assertions on the synthesized templates of the default (global) profile: what the issue asks
// of the stateful and stateless stacks, and, per function, the exact permissions of its role.
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_DEFAULTS } from '../../infra/config.js';
import { FUNCTION_CATALOGUE, grantApplies, type CatalogueEntry, type GrantTarget } from '../../infra/function-catalogue.js';
import { DEPARTMENT_ATTRIBUTE, MAX_RECEIVE_COUNT, REFERRAL_DEPARTMENTS } from '../../infra/stateful-stack.js';
import { ACCESS_LOG_FIELDS, STREAM_MAPPING, WEB_INTAKE_ROUTE } from '../../infra/stateless-stack.js';
import { createTableInput } from '../../local/table.js';
import { DEPARTMENTS, MANUAL_TRIAGE } from '../../shared/domain/model.js';
import { ROLES } from '../../shared/http/auth/principal.js';
import { API_ROUTES } from '../../shared/http/routes.js';
import { nagChecks } from '../support/nag-checks.js';
import { webStackChecks } from '../support/web-stack-checks.js';
import { asArray, cfnLint, exportsOf, onlyResource, resolveImports, resourcesOf, synthesize, type Synthesized } from '../support/synth.js';

let s: Synthesized;
let exports: Map<string, unknown>;
beforeAll(() => {
  s = synthesize();
  exports = exportsOf(s.stateful);
}, 120_000);
afterAll(() => s?.cleanup());

describe('cdk-nag AwsSolutions, global profile', () => nagChecks(() => s));

describe("the web stack (global default: the distribution's own name, no WAF)", () => webStackChecks(() => s));

const statefulId = (c: { node: { defaultChild?: unknown } }) => s.platform.stateful.getLogicalId(c.node.defaultChild as CfnElement);
const statelessId = (c: { node: { defaultChild?: unknown } }) => s.platform.stateless.getLogicalId(c.node.defaultChild as CfnElement);
const getAtt = (id: string, attr = 'Arn') => ({ 'Fn::GetAtt': [id, attr] });
const props = (r: { Properties?: Record<string, unknown> }) => r.Properties ?? {};

describe('stateful stack: the table', () => {
  it("is built from the same definition as the local runtime's table", () => {
    const local = createTableInput('any');
    const [, table] = onlyResource(s.stateful, 'AWS::DynamoDB::Table');
    const p = table.Properties;
    expect(p.KeySchema).toEqual(local.KeySchema);
    expect(new Set(p.AttributeDefinitions as unknown[])).toEqual(new Set(local.AttributeDefinitions));
    const gsis = (p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[]).map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
    }));
    expect(gsis).toEqual(local.GlobalSecondaryIndexes);
    expect(gsis.map((g) => g.IndexName).sort()).toEqual(['deadline', 'due', 'queue']);
  });
  it('is on demand, encrypted with its own rotating customer-managed key, recoverable, protected and retained', () => {
    const tableId = statefulId(s.platform.stateful.table);
    const keyId = statefulId(s.platform.stateful.tableKey);
    s.stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(keyId) },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
    expect(tableId).toMatch(/^Table/);
    const keys = resourcesOf(s.stateful, 'AWS::KMS::Key');
    expect(keys).toHaveLength(3);
    for (const [id, key] of keys) {
      expect(props(key).EnableKeyRotation, id).toBe(true);
      expect((key as { DeletionPolicy?: string }).DeletionPolicy, id).toBe('RetainExceptOnCreate');
    }
  });
});

describe('cfn-lint', () => {
  it('finds no error in any template of the global profile', () => {
    const lint = cfnLint(s.outdir, CONTEXT_DEFAULTS.region);
    expect(lint.templates.length).toBeGreaterThanOrEqual(2);
    expect(lint.code & 2, lint.output).toBe(0);
  }, 120_000);
});

describe('operations dashboard', () => {
  it('shows intakes, notifier lag, SMS, 4xx/5xx, escalations and retention, by codes only', () => {
    const [, dashboard] = onlyResource(s.stateless, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['Intakes by channel and urgency', 'Notifier lag', 'SMS sent, rejected, dropped', 'API 4xx and 5xx', 'Overdue referrals', 'Retention of open cases'])
      expect(body).toContain(title);
    for (const metric of ['IntakeReceived', 'IteratorAge', 'SmsSent', 'SmsRejected', 'EmergencyUnreached', 'ReferralEscalated', 'PersonalDataPurged', '4xx', '5xx']) expect(body).toContain(metric);
    // The only dimensions searched are codes.
    const searched = [...body.matchAll(/\{Referrals,([a-zA-Z,]+)\}/g)].flatMap((m) => m[1]!.split(','));
    expect(new Set(searched)).toEqual(new Set(['service', 'channel', 'urgency', 'kind', 'level', 'caseState']));
  });
});

describe('alarms reach someone', () => {
  it('without alarmEmail, the deployment must be given an address (no default) or the explicit waiver "none"', () => {
    const param = s.stateful.toJSON().Parameters.AlarmEmail;
    expect(param).toMatchObject({ Type: 'String' });
    expect(param.Default).toBeUndefined();
    const pattern = new RegExp(param.AllowedPattern);
    for (const ok of ['ops@example.org', 'none']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['', 'ops', 'ops@', 'a b@c.d']) expect(pattern.test(bad), bad).toBe(false);
    const [id, sub] = resourcesOf(s.stateful, 'AWS::SNS::Subscription').find(([, r]) => props(r).Protocol === 'email')!;
    expect(props(sub)).toMatchObject({ Endpoint: { Ref: 'AlarmEmail' }, TopicArn: { Ref: statefulId(s.platform.stateful.opsTopic) } });
    const condition = (s.stateful.toJSON().Resources[id] as { Condition: string }).Condition;
    expect(s.stateful.toJSON().Conditions[condition]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, 'none'] }] });
  });
});

describe('retry-safe, retained state', () => {
  const STATEFUL_TYPES = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret'];
  it('retains every stateful resource on deletion and replacement, but not when its own creation rolls back', () => {
    const resources = Object.entries(s.stateful.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>);
    const stateful = resources.filter(([, r]) => STATEFUL_TYPES.includes(r.Type));
    expect(new Set(stateful.map(([, r]) => r.Type))).toEqual(new Set(STATEFUL_TYPES));
    for (const [id, r] of stateful) expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'RetainExceptOnCreate', 'Retain']);
  });
  it('no resource of any stack is plainly retained (a rolled-back first deploy would leave it to collide with the retry)', () => {
    for (const t of [s.stateful, s.stateless]) {
      for (const [id, r] of Object.entries(t.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)) expect([id, r.DeletionPolicy]).not.toEqual([id, 'Retain']);
    }
  });
});

describe('stateful stack: topic and department queues', () => {
  it('encrypts the referrals topic with the topic key and refuses publishing without TLS', () => {
    const topicId = statefulId(s.platform.stateful.referralsTopic);
    s.stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(statefulId(s.platform.stateful.topicKey)), DisplayName: 'referrals' });
    s.stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
  it('has one queue per referral-receiving department (none for finance, one for manual triage)', () => {
    expect(REFERRAL_DEPARTMENTS).toHaveLength(DEPARTMENTS.length - 1 + 1);
    expect(REFERRAL_DEPARTMENTS).not.toContain('finance');
    expect(REFERRAL_DEPARTMENTS).toContain(MANUAL_TRIAGE);
    const subscriptions = resourcesOf(s.stateful, 'AWS::SNS::Subscription').filter(([, r]) => props(r).Protocol === 'sqs');
    const filtered = subscriptions.map(([, r]) => (props(r).FilterPolicy as Record<string, string[]>)[DEPARTMENT_ATTRIBUTE]);
    expect(filtered.map((f) => f?.join(',')).sort()).toEqual([...REFERRAL_DEPARTMENTS].sort());
  });
  it('subscribes each department queue with a filter on the department attribute, raw delivery and a DLQ', () => {
    const topicId = statefulId(s.platform.stateful.referralsTopic);
    for (const q of s.platform.stateful.departmentQueues) {
      const queueId = statefulId(q.queue);
      const dlqId = statefulId(q.deadLetterQueue);
      s.stateful.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: topicId },
        Endpoint: getAtt(queueId),
        Protocol: 'sqs',
        RawMessageDelivery: true,
        FilterPolicy: { [DEPARTMENT_ATTRIBUTE]: [q.department] },
        RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId) },
      });
      const queue = s.stateful.toJSON().Resources[queueId];
      expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual(getAtt(dlqId));
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(MAX_RECEIVE_COUNT).toBeGreaterThanOrEqual(5);
    }
  });
  it('encrypts every queue with the queue key, refuses non-TLS access and retains it', () => {
    const queues = resourcesOf(s.stateful, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(REFERRAL_DEPARTMENTS.length * 2 + 1);
    const policies = resourcesOf(s.stateful, 'AWS::SQS::QueuePolicy');
    for (const [id, q] of queues) {
      expect(props(q).KmsMasterKeyId, id).toEqual(getAtt(statefulId(s.platform.stateful.queueKey)));
      expect((q as { DeletionPolicy?: string }).DeletionPolicy, id).toBe('RetainExceptOnCreate');
      const policy = policies.find(([, p]) => JSON.stringify(props(p).Queues) === JSON.stringify([{ Ref: id }]));
      expect(policy, `${id} has a queue policy`).toBeDefined();
      const statements = (props(policy![1]).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });
  it('lets SNS use the queue key only on behalf of the referrals topic', () => {
    const keyId = statefulId(s.platform.stateful.queueKey);
    const key = s.stateful.toJSON().Resources[keyId];
    const sns = (key.Properties.KeyPolicy.Statement as Record<string, unknown>[]).filter((st) => JSON.stringify(st.Principal) === JSON.stringify({ Service: 'sns.amazonaws.com' }));
    expect(sns).toHaveLength(1);
    expect(sns[0]!.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { Ref: statefulId(s.platform.stateful.referralsTopic) } } });
  });
  it('has the notifier DLQ and an ops topic that CloudWatch alarms may publish to', () => {
    expect(statefulId(s.platform.stateful.notifierDeadLetterQueue)).toMatch(/^NotifierDlq/);
    s.stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(statefulId(s.platform.stateful.topicKey)), DisplayName: 'referrals ops alarms' });
    s.stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: statefulId(s.platform.stateful.opsTopic) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
  });
  it('creates the hotline key secret as an empty key set, retained', () => {
    s.stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({ Name: 'Referrals/hotline-keys', SecretString: '{}' }),
    });
    // Global default: SMS through SNS, so no gateway secret; beside the hotline keys, only the person key.
    expect(resourcesOf(s.stateful, 'AWS::SecretsManager::Secret').map(([, r]) => (r.Properties as { Name: string }).Name)).toEqual(['Referrals/hotline-keys', 'Referrals/person-key']);
  });

  it('creates the person key as a generated secret, retained (never rotated: every keyed hash depends on it)', () => {
    s.stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({ Name: 'Referrals/person-key', GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
    });
    expect(resourcesOf(s.stateful, 'AWS::SecretsManager::RotationSchedule')).toHaveLength(0);
  });
});

describe('stateless stack: functions', () => {
  it('has one function per catalogue entry: nodejs24.x, arm64, source maps on, data next to the bundle, own log group with retention', () => {
    const fns = resourcesOf(s.stateless, 'AWS::Lambda::Function');
    expect(fns).toHaveLength(FUNCTION_CATALOGUE.length);
    const groups = s.stateless.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    for (const entry of FUNCTION_CATALOGUE) {
      const fn = s.platform.stateless.functions.get(entry.name)!;
      const p = groups[statelessId(fn)]!.Properties;
      expect(p.Runtime, entry.name).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(p.MemorySize).toBe(entry.memoryMb);
      expect(p.Timeout).toBe(entry.timeoutSeconds);
      expect(p.TracingConfig).toBeUndefined();
      const env = (p.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', DATA_DIR: '/var/task/data', POWERTOOLS_SERVICE_NAME: entry.name });
      const logGroupId = (p.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(groups[logGroupId]!.Type).toBe('AWS::Logs::LogGroup');
      expect(groups[logGroupId]!.Properties.RetentionInDays).toBe(CONTEXT_DEFAULTS.logRetentionDays);
    }
  });
  it('gives each function the environment its entry names, resolved to the stateful resources', () => {
    const fnJson = (name: string) => s.stateless.toJSON().Resources[statelessId(s.platform.stateless.functions.get(name)!)];
    const env = (name: string) => resolveImports(fnJson(name).Properties.Environment.Variables, exports) as Record<string, unknown>;
    const tableRef = { Ref: statefulId(s.platform.stateful.table) };
    for (const e of FUNCTION_CATALOGUE) expect(env(e.name).TABLE_NAME, e.name).toEqual(e.environment.TABLE_NAME ? tableRef : undefined);
    expect(FUNCTION_CATALOGUE.filter((e) => !e.environment.TABLE_NAME).map((e) => e.name)).toEqual(['api-docs']);
    expect(env('intake-12338').HOTLINE_KEYS_SECRET_ARN).toEqual({ Ref: statefulId(s.platform.stateful.hotlineSecret as never) });
    expect(env('intake-web').HOTLINE_KEYS_SECRET_ARN).toBeUndefined();
    expect(env('notifier')).toMatchObject({
      TOPIC_ARN: { Ref: statefulId(s.platform.stateful.referralsTopic) },
      SMS_ADAPTER: 'sns',
      SMS_SIGNATURE: CONTEXT_DEFAULTS.smsSignature,
      SMS_CLIENT_SIGNATURE: CONTEXT_DEFAULTS.smsClientSignature,
    });
    expect(env('notifier').SMS_GATEWAY_URL).toBeUndefined();
    // Staff roles from the Cognito pool's groups and admin-only attributes, for every function that reads a caller.
    for (const name of ['get-case', 'referrals-api', 'reports', 'roster-admin', 'ledger-api']) expect(env(name).STAFF_CLAIMS, name).toBe('cognito');
    // The person key reaches the ledger and the intake functions (linking her contacts), by reference (never its value).
    for (const name of ['ledger-api', 'intake-12338', 'intake-12348', 'intake-web'])
      expect(env(name).PERSON_KEY_SECRET_ARN, name).toEqual({ Ref: statefulId(s.platform.stateful.personKeySecret as never) });
    expect(
      FUNCTION_CATALOGUE.filter((e) => e.environment.PERSON_KEY_SECRET_ARN)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['intake-12338', 'intake-12348', 'intake-web', 'ledger-api']);
    expect(env('notifier').STAFF_CLAIMS).toBeUndefined();
  });
});

describe('stateless stack: each role allows exactly what the catalogue grants', () => {
  /** The stateful resource (as the stateful template writes it) that a catalogue target names. */
  const targetExpressions = (target: GrantTarget): unknown[] => {
    const st = s.platform.stateful;
    switch (target) {
      case 'table':
        return [getAtt(statefulId(st.table))];
      case 'index:queue':
      case 'index:due':
      case 'index:deadline':
        return [{ 'Fn::Join': ['', [getAtt(statefulId(st.table)), `/index/${target.slice(6)}`]] }];
      case 'table-stream':
        return [getAtt(statefulId(st.table), 'StreamArn')];
      case 'table-key':
        return [getAtt(statefulId(st.tableKey))];
      case 'topic-key':
        return [getAtt(statefulId(st.topicKey))];
      case 'queue-key':
        return [getAtt(statefulId(st.queueKey))];
      case 'referrals-topic':
        return [{ Ref: statefulId(st.referralsTopic) }];
      case 'notifier-dlq':
        return [getAtt(statefulId(st.notifierDeadLetterQueue))];
      case 'hotline-secret':
        return [{ Ref: statefulId(st.hotlineSecret as never) }];
      case 'sms-gateway-secret':
        return [{ Ref: statefulId(st.smsGatewaySecret as never) }];
      case 'person-key-secret':
        return [{ Ref: statefulId(st.personKeySecret as never) }];
      case 'sms-phone-numbers':
        // Everything that is not an SNS resource: phone numbers, never a topic.
        return ['NOT arn:aws:sns:*:*:*'];
      case 'any-stream-listing':
        return ['*'];
    }
  };
  const expectedPairs = (entry: CatalogueEntry): string[] => {
    const fn = s.platform.stateless.functions.get(entry.name)!;
    const logs = getAtt(statelessId(fn.functionLogs as never));
    const pairs = ['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) => `${a} ${JSON.stringify(logs)}`);
    for (const g of entry.grants.filter((g) => grantApplies(g, 'sns'))) {
      for (const a of g.actions) for (const t of g.on) for (const r of targetExpressions(t)) pairs.push(`${a} ${JSON.stringify(r)}`);
    }
    return [...new Set(pairs)].sort();
  };
  const actualPairs = (entry: CatalogueEntry): string[] => {
    const fn = s.platform.stateless.functions.get(entry.name)!;
    const resources = s.stateless.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const roleId = (resources[statelessId(fn)]!.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resources[roleId]!;
    expect(role.Properties.ManagedPolicyArns, `${entry.name}: no managed policy`).toBeUndefined();
    expect(role.Properties.Policies, `${entry.name}: no inline role policy`).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
    const pairs = new Set<string>();
    for (const p of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      if (!(p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId)) continue;
      for (const st of p.Properties.PolicyDocument.Statement as Record<string, unknown>[]) {
        expect(st.Effect).toBe('Allow');
        expect(st.Condition).toBeUndefined();
        for (const a of asArray(st.Action as string | string[])) {
          for (const r of asArray(st.Resource)) pairs.add(`${a} ${JSON.stringify(resolveImports(r, exports))}`);
          for (const r of st.NotResource === undefined ? [] : asArray(st.NotResource)) pairs.add(`${a} ${JSON.stringify(`NOT ${JSON.stringify(r).replace(/^"|"$/g, '')}`)}`);
        }
      }
    }
    return [...pairs].sort();
  };

  it.each(FUNCTION_CATALOGUE.map((e) => [e.name, e] as const))('%s', (_name, entry) => {
    expect(actualPairs(entry)).toEqual(expectedPairs(entry));
  });

  it('spells out the intake permissions (a cross-check of the catalogue itself)', () => {
    const intake = FUNCTION_CATALOGUE.find((e) => e.name === 'intake-12338')!;
    const table = JSON.stringify(getAtt(statefulId(s.platform.stateful.table)));
    expect(actualPairs(intake).filter((p) => p.startsWith('dynamodb:') || p.startsWith('secretsmanager:'))).toEqual(
      [
        `dynamodb:GetItem ${table}`,
        `dynamodb:PutItem ${table}`,
        `dynamodb:Query ${table}`,
        `secretsmanager:GetSecretValue ${JSON.stringify({ Ref: statefulId(s.platform.stateful.hotlineSecret as never) })}`,
        `secretsmanager:GetSecretValue ${JSON.stringify({ Ref: statefulId(s.platform.stateful.personKeySecret as never) })}`,
      ].sort(),
    );
    // Only functions that query an index get index ARNs.
    const withIndex = FUNCTION_CATALOGUE.filter((e) => actualPairs(e).some((p) => p.includes('/index/'))).map((e) => e.name);
    expect(withIndex.sort()).toEqual(['escalation', 'ledger-api', 'referrals-api', 'reports']);
    // `*` only for SMS and the stream listing (the notifier and the statistics consumer).
    const wildcard = FUNCTION_CATALOGUE.flatMap((e) =>
      actualPairs(e)
        .filter((p) => p.endsWith(' "*"'))
        .map((p) => `${e.name} ${p}`),
    );
    expect(wildcard.sort()).toEqual(['notifier dynamodb:ListStreams "*"', 'statistics dynamodb:ListStreams "*"']);
    // SMS is its own statement, on NotResource arn:aws:sns:*:*:* (phone numbers only): it cannot reach a topic.
    const notifierPolicies = resourcesOf(s.stateless, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('NotifierPolicy'));
    const statements = notifierPolicies.flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    const sms = statements.filter((st) => st.NotResource !== undefined);
    expect(sms).toEqual([{ Sid: 'SmsToPhoneNumbersOnly', Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:*' }]);
    for (const st of statements.filter((x) => x !== sms[0])) {
      if (asArray(st.Action as string | string[]).includes('sns:Publish'))
        expect(asArray(st.Resource).map((r) => resolveImports(r, exports))).toEqual([{ Ref: statefulId(s.platform.stateful.referralsTopic) }]);
    }
  });
});

describe('stateless stack: HTTP API', () => {
  it('is an HTTP API (always regional) with no REST API, throttled, with access logs free of personal data', () => {
    expect(resourcesOf(s.stateless, 'AWS::ApiGateway::RestApi')).toHaveLength(0);
    expect(resourcesOf(s.stateless, 'AWS::ApiGatewayV2::DomainName')).toHaveLength(0);
    s.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const [, stage] = onlyResource(s.stateless, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: CONTEXT_DEFAULTS.apiThrottleRate, ThrottlingBurstLimit: CONTEXT_DEFAULTS.apiThrottleBurst },
    });
    const logGroupId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(s.stateless.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(CONTEXT_DEFAULTS.logRetentionDays);
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
    for (const pii of ['sourceIp', 'userAgent', 'path', 'querystring', 'caller', 'user']) expect(format).not.toMatch(new RegExp(`identity\\.${pii}|\\$context\\.${pii}\\b`));
    // No CORS unless a web console origin is configured.
    expect(props(resourcesOf(s.stateless, 'AWS::ApiGatewayV2::Api')[0]![1]).CorsConfiguration).toBeUndefined();
  });
  it('has every route of API_ROUTES, integrated with its function; JWT on staff routes, none on intake routes', () => {
    const routes = resourcesOf(s.stateless, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => props(r).RouteKey).sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const [authorizerId] = onlyResource(s.stateless, 'AWS::ApiGatewayV2::Authorizer');
    const resources = s.stateless.toJSON().Resources;
    for (const route of API_ROUTES) {
      const [, r] = routes.find(([, x]) => props(x).RouteKey === `${route.method} ${route.path}`)!;
      const p = props(r);
      if (route.auth === 'staff') {
        expect(p.AuthorizationType, route.path).toBe('JWT');
        expect(p.AuthorizerId).toEqual({ Ref: authorizerId });
      } else {
        expect(p.AuthorizationType, route.path).toBe('NONE');
        expect(p.AuthorizerId).toBeUndefined();
      }
      const integrationId = ((p.Target as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as { Ref: string }).Ref;
      const uri = resources[integrationId].Properties.IntegrationUri;
      expect(uri, route.path).toEqual(getAtt(statelessId(s.platform.stateless.functions.get(route.functionName)!)));
    }
    expect(
      API_ROUTES.filter((r) => r.auth !== 'staff')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/intake/12338', '/intake/12348', '/intake/web', '/openapi.json']);
  });
  it('validates staff tokens against the Cognito pool of the stateful stack when no issuer is configured', () => {
    const staff = s.platform.stateful.staff!;
    const poolId = statefulId(staff.userPool);
    const [, authorizer] = onlyResource(s.stateless, 'AWS::ApiGatewayV2::Authorizer');
    const cfg = resolveImports(props(authorizer), exports) as Record<string, any>;
    expect(cfg.AuthorizerType).toBe('JWT');
    expect(cfg.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(cfg.JwtConfiguration.Issuer)).toContain(poolId);
    const [clientId, client] = onlyResource(s.stateful, 'AWS::Cognito::UserPoolClient');
    expect(cfg.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    // Staff accounts are state: nothing of the pool in the stateless stack, which may be destroyed and redeployed.
    expect(resourcesOf(s.stateless, 'AWS::Cognito::UserPool')).toHaveLength(0);
    expect(resourcesOf(s.stateless, 'AWS::Cognito::UserPoolClient')).toHaveLength(0);
    for (const output of ['UserPoolId', 'StaffClientId', 'StaffSignInUrl', 'StaffIssuer']) expect(s.stateful.toJSON().Outputs[output], output).toBeDefined();
    onlyResource(s.stateful, 'AWS::Cognito::UserPoolDomain');
    // Nobody writes her own department or division.
    expect(JSON.stringify(props(client).WriteAttributes)).not.toMatch(/custom:/);
    expect(props(client).ReadAttributes).toEqual(expect.arrayContaining(['custom:department', 'custom:division']));
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'department', Mutable: true }), Match.objectLike({ Name: 'division', Mutable: true })]),
    });
    expect((s.stateful.toJSON().Resources[poolId] as { DeletionPolicy: string }).DeletionPolicy).toBe('RetainExceptOnCreate');
    // Without the console's address, no OAuth at all (not CDK's defaults: implicit flow, https://example.com).
    expect(props(client).AllowedOAuthFlows).toBeUndefined();
    expect(props(client).CallbackURLs).toBeUndefined();
    expect(s.platform.stateless.consoleSignIn).toBeUndefined();
    const groups = resourcesOf(s.stateful, 'AWS::Cognito::UserPoolGroup').map(([, g]) => props(g).GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
  });
});

describe('stateless stack: stream mapping, schedule and alarms', () => {
  it('maps the table stream to the notifier: referral items only, bisect, bounded retries and age, partial batches, DLQ', () => {
    const mappings = resourcesOf(s.stateless, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    const notifierId = statelessId(s.platform.stateless.functions.get('notifier')!);
    const p = resolveImports(props(mappings.find(([, m]) => (props(m).FunctionName as { Ref: string }).Ref === notifierId)![1]), exports) as Record<string, any>;
    expect(p).toMatchObject({
      FunctionName: { Ref: statelessId(s.platform.stateless.functions.get('notifier')!) },
      EventSourceArn: getAtt(statefulId(s.platform.stateful.table), 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_MAPPING.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      ParallelizationFactor: 10,
      MaximumBatchingWindowInSeconds: 0,
      MaximumRecordAgeInSeconds: STREAM_MAPPING.maximumRecordAgeSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: getAtt(statefulId(s.platform.stateful.notifierDeadLetterQueue)) } },
    });
    // Outlasts a brownout of the table (at least 30 minutes) and leaves the records in the stream
    // (24 h) for the redrive after they reach the DLQ.
    expect(p.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(30 * 60);
    expect(p.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(12 * 3600);
    expect(JSON.parse(p.FilterCriteria.Filters[0].Pattern)).toEqual({ dynamodb: { NewImage: { entity: { S: ['referral', 'review'] } } } });
  });
  it('maps the table stream to the statistics consumer: new event items only, retried until the stream lets go, no DLQ (a rebuild recounts)', () => {
    const statisticsId = statelessId(s.platform.stateless.functions.get('statistics')!);
    const [, mapping] = resourcesOf(s.stateless, 'AWS::Lambda::EventSourceMapping').find(([, m]) => (props(m).FunctionName as { Ref: string }).Ref === statisticsId)!;
    const p = resolveImports(props(mapping), exports) as Record<string, any>;
    expect(p).toMatchObject({
      EventSourceArn: getAtt(statefulId(s.platform.stateful.table), 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(p.DestinationConfig).toBeUndefined();
    expect(JSON.parse(p.FilterCriteria.Filters[0].Pattern)).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['event'] } } } });
  });
  it('gives the public web form its own lower throttle, alarms on a burst of web intakes and on the notifier falling behind', () => {
    const [, stage] = onlyResource(s.stateless, 'AWS::ApiGatewayV2::Stage');
    expect(props(stage).RouteSettings).toEqual({ [WEB_INTAKE_ROUTE]: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 30, DetailedMetricsEnabled: true } });
    const alarms = resourcesOf(s.stateless, 'AWS::CloudWatch::Alarm').map(([, a]) => props(a) as Record<string, any>);
    const burst = alarms.find((a) => a.MetricName === 'Count' && a.Namespace === 'AWS/ApiGateway')!;
    expect(burst).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 200, ComparisonOperator: 'GreaterThanThreshold' });
    expect(burst.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'Route', Value: WEB_INTAKE_ROUTE },
        { Name: 'Stage', Value: '$default' },
      ]),
    );
    const lag = alarms.find((a) => a.MetricName === 'IteratorAge')!;
    expect(lag).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Period: 60, Threshold: 60_000, EvaluationPeriods: 2 });
    expect(lag.AlarmActions).toHaveLength(1);
  });
  it('runs the escalation function every 5 minutes', () => {
    const [, rule] = onlyResource(s.stateless, 'AWS::Events::Rule');
    expect(props(rule).ScheduleExpression).toBe('rate(5 minutes)');
    expect((props(rule).Targets as { Arn: unknown }[])[0]!.Arn).toEqual(getAtt(statelessId(s.platform.stateless.functions.get('escalation')!)));
  });
  it("alarms on every DLQ's depth and on every function's errors and throttles, to the ops topic", () => {
    const all = resourcesOf(s.stateless, 'AWS::CloudWatch::Alarm').map(([, a]) => resolveImports(props(a), exports) as Record<string, any>);
    // The web-burst and notifier-lag alarms have thresholds of their own (tested above).
    const alarms = all.filter((a) => a.MetricName !== 'IteratorAge' && !(a.Namespace === 'AWS/ApiGateway' && a.MetricName === 'Count'));
    expect(all.length - alarms.length).toBe(2);
    const ops = { Ref: statefulId(s.platform.stateful.opsTopic) };
    for (const a of all) expect(a.AlarmActions).toEqual([ops]);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([ops]);
      expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    }
    const dlqs = [s.platform.stateful.notifierDeadLetterQueue, ...s.platform.stateful.departmentQueues.map((q) => q.deadLetterQueue)];
    for (const dlq of dlqs) {
      const queueName = getAtt(statefulId(dlq), 'QueueName');
      expect(
        alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: queueName }])),
        statefulId(dlq),
      ).toBe(true);
    }
    for (const fn of s.platform.stateless.functions.values()) {
      for (const metric of ['Errors', 'Throttles']) {
        const dims = JSON.stringify([{ Name: 'FunctionName', Value: { Ref: statelessId(fn) } }]);
        expect(
          alarms.some((a) => a.MetricName === metric && a.Namespace === 'AWS/Lambda' && JSON.stringify(a.Dimensions) === dims),
          `${fn.catalogueName} ${metric}`,
        ).toBe(true);
      }
    }
    // + the 5xx alarm, and the two on the platform's own counts: an emergency that reached no one, SMS refused.
    for (const name of ['EmergencyUnreached', 'SmsRejected']) {
      expect(
        alarms.filter((a) => a.Namespace === 'Referrals' && a.MetricName === name && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'service', Value: 'notifier' }])),
        name,
      ).toHaveLength(1);
    }
    expect(alarms).toHaveLength(dlqs.length + 2 * FUNCTION_CATALOGUE.length + 3);
  });
});

describe('configured: an existing hotline secret, an external OIDC issuer, a web console origin', () => {
  let named: Synthesized;
  beforeAll(() => {
    named = synthesize({
      hotlineSecretName: 'ops/hotline-keys',
      oidcIssuer: 'https://idp.example.org/realms/jilin',
      oidcAudience: 'referrals-console,referrals-cli',
      webConsoleOrigin: 'https://console.example.org',
      oidcConsoleClientId: 'referrals-console',
      consoleUrl: 'https://console.example.org/console',
    });
  }, 120_000);

  it('tells the console to sign in at that issuer with its client, and lets it connect there', () => {
    expect(named.platform.stateless.consoleSignIn).toEqual({
      discovery: 'https://idp.example.org/realms/jilin/.well-known/openid-configuration',
      clientId: 'referrals-console',
      origins: ['https://idp.example.org/realms/jilin/'],
    });
    const web = Template.fromJSON(named.app.synth().getStackByName(named.platform.web!.stackName).template as Record<string, unknown>);
    const policies = resourcesOf(web, 'AWS::CloudFront::ResponseHeadersPolicy').map(([, p]) => JSON.stringify(p.Properties));
    expect(policies.some((p) => p.includes("connect-src 'self' https://idp.example.org/realms/jilin/"))).toBe(true);
  });

  it('validates staff tokens against the configured issuer and audiences, and creates no Cognito pool', () => {
    const [, authorizer] = onlyResource(named.stateless, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties.JwtConfiguration).toEqual({ Issuer: 'https://idp.example.org/realms/jilin', Audience: ['referrals-console', 'referrals-cli'] });
    expect(named.text).not.toMatch(/AWS::Cognito::/);
  });
  it('allows CORS for the web console origin only', () => {
    const [, api] = onlyResource(named.stateless, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration).toMatchObject({ AllowOrigins: ['https://console.example.org'], AllowHeaders: ['authorization', 'content-type'] });
  });
  afterAll(() => named?.cleanup());

  it('is not created; the intake functions get its name and may read only that secret (any version suffix)', () => {
    // Only the person key is created (it is never shared with another system).
    expect(resourcesOf(named.stateful, 'AWS::SecretsManager::Secret').map(([, r]) => (r.Properties as { Name: string }).Name)).toEqual(['Referrals/person-key']);
    const resources = named.stateless.toJSON().Resources;
    const fn = resources[named.platform.stateless.getLogicalId(named.platform.stateless.functions.get('intake-12348')!.node.defaultChild as CfnElement)];
    expect(fn.Properties.Environment.Variables.HOTLINE_KEYS_SECRET_ARN).toBe('ops/hotline-keys');
    const statements = resourcesOf(named.stateless, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    // Each statement that reads secrets names the hotline secret by that name, or the person key (merged or apart).
    const reads = statements
      .filter((st) => asArray(st.Action as string | string[]).includes('secretsmanager:GetSecretValue'))
      .flatMap((st) => asArray(st.Resource as unknown))
      .filter((r) => !JSON.stringify(r).includes('PersonKey'));
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(JSON.stringify(r)).toMatch(/:secret:ops\/hotline-keys-\?\?\?\?\?\?"/);
  });
});
