// The code and its wiring: one function per catalogue entry (functions/<name>/handler.ts), the
// HTTP API from API_ROUTES, the notifier's stream mapping, the escalation schedule, and alarms.
// Nothing here holds data: the stack can be destroyed and redeployed.
import { CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { METRICS_NAMESPACE } from '../shared/config/metrics.js';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { API_ROUTES, type ApiRoute } from '../shared/http/routes.js';
import { usesCognito, type PlatformConfig } from './config.js';
import { acknowledge } from './constructs/acknowledge.js';
import { PlatformFunction } from './constructs/platform-function.js';
import { FUNCTION_CATALOGUE, grantApplies, type CatalogueEntry, type EnvironmentValue, type GrantTarget } from './function-catalogue.js';
import type { StatefulStack } from './stateful-stack.js';

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

/** The console's sign-in with an OIDC issuer other than the stack's pool: its discovery document and the console's client there. */
function externalIssuerSignIn(config: PlatformConfig, issuer: string): StatelessStack['consoleSignIn'] {
  if (!config.oidcConsoleClientId || !config.consoleUrl) return undefined;
  // The issuer's own URL as a CSP source: its discovery document and token endpoint are below it.
  return { discovery: `${issuer}/.well-known/openid-configuration`, clientId: config.oidcConsoleClientId, origins: [`${issuer}/`] };
}

export interface StatelessStackProps extends StackProps {
  config: PlatformConfig;
  stateful: StatefulStack;
  repositoryRoot: string;
}

export class StatelessStack extends Stack {
  readonly functions = new Map<string, PlatformFunction>();
  readonly httpApi: apigw.HttpApi;
  readonly userPool?: cognito.UserPool;
  /** What the console needs to sign staff in (its /console-config.json), when the stack can know it. */
  consoleSignIn?: { discovery: string; clientId: string; origins: string[] };

  /** The HTTPS SMS gateway's URL and key id: from context, or CloudFormation parameters given at deploy time. */
  private readonly smsGateway?: { url: string; keyId: string };

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    if (config.smsAdapter === 'https-gateway') {
      this.smsGateway = {
        url: config.smsGatewayUrl ?? this.deployParameter('SmsGatewayUrl', 'HTTPS endpoint of the SMS gateway', '^https://\\S+$'),
        keyId: config.smsGatewayKeyId ?? this.deployParameter('SmsGatewayKeyId', 'Key id this platform has at the SMS gateway (X-Key-Id)', '^[A-Za-z0-9._-]{1,64}$'),
      };
    }

    for (const entry of FUNCTION_CATALOGUE) {
      const fn = new PlatformFunction(this, functionId(entry.name), {
        functionName: entry.name,
        description: entry.description,
        repositoryRoot: props.repositoryRoot,
        memoryMb: entry.memoryMb,
        timeoutSeconds: entry.timeoutSeconds,
        environment: this.environmentOf(entry, config, stateful),
        logRetentionDays: config.logRetentionDays,
        tracing: config.tracing,
        statements: this.statementsOf(entry, config, stateful),
      });
      this.acknowledgeFunctionFindings(fn, entry, config);
      this.functions.set(entry.name, fn);
    }

    // --- HTTP API ------------------------------------------------------------------------
    const auth = this.staffAuthorizer(config, stateful);
    this.userPool = auth.userPool;
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Referral platform: hotline and web intake, caseworker API',
      createDefaultStage: false,
      corsPreflight: config.webConsoleOrigin
        ? {
            allowOrigins: [config.webConsoleOrigin],
            allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiThrottleRate, burstLimit: config.apiThrottleBurst },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // Identifiers and codes only: no source IP, user agent, path or query (docs/privacy.md).
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // The public form has its own, lower throttle (and per-route metrics for the burst alarm): a
    // flood of anonymous posts cannot crowd out the signed hotline routes.
    (stage.node.defaultChild as apigw.CfnStage).routeSettings = {
      // An untyped property of the L1 construct: CloudFormation's own casing.
      [WEB_INTAKE_ROUTE]: { ThrottlingRateLimit: config.webIntakeThrottleRate, ThrottlingBurstLimit: config.webIntakeThrottleBurst, DetailedMetricsEnabled: true },
    };
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of API_ROUTES) {
      const fn = this.functionFor(route.functionName);
      let integration = integrations.get(route.functionName);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${functionId(route.functionName)}Integration`, fn, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
        integrations.set(route.functionName, integration);
      }
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'staff' ? auth.authorizer : new apigw.HttpNoneAuthorizer(),
      });
      if (created && route.auth !== 'staff') acknowledgeUnauthenticatedRoute(created, route);
    }

    // --- Stream → notifier, schedule → escalation ------------------------------------------
    for (const entry of FUNCTION_CATALOGUE) {
      const fn = this.functionFor(entry.name);
      if (entry.trigger.kind === 'table-stream') this.streamMapping(fn, stateful, entry.trigger.consumer);
      if (entry.trigger.kind === 'schedule') {
        new events.Rule(this, `${functionId(entry.name)}Schedule`, {
          description: `Runs ${entry.name} on ${entry.trigger.expression}`,
          schedule: events.Schedule.expression(entry.trigger.expression),
          // A missed run is caught up by the next one (the work is found by querying the due index).
          targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(4) })],
        });
      }
    }

    // --- Alarms → ops topic -----------------------------------------------------------------
    const alarmAction = new cwActions.SnsAction(stateful.opsTopic);
    const deadLetterQueues: [string, sqs.IQueue][] = [['notifier', stateful.notifierDeadLetterQueue], ...stateful.departmentQueues.map((q): [string, sqs.IQueue] => [q.department, q.deadLetterQueue])];
    for (const [name, dlq] of deadLetterQueues) {
      new cloudwatch.Alarm(this, `DlqDepth-${name}`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: something was not delivered (待处理的死信消息)`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(alarmAction);
    }
    for (const [name, fn] of this.functions) {
      for (const [metric, m] of [
        ['Errors', fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })],
        ['Throttles', fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' })],
      ] as const) {
        new cloudwatch.Alarm(this, `${functionId(name)}${metric}`, {
          alarmDescription: `${name}: ${metric} in the last 5 minutes`,
          metric: m,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }).addAlarmAction(alarmAction);
      }
    }
    // A burst of anonymous web intakes: recorded all the same, but someone should look.
    new cloudwatch.Alarm(this, 'WebIntakeBurst', {
      alarmDescription: `More than ${config.webIntakeAlarmPer5Minutes} web intakes in 5 minutes: a flood of the public form? (网上求助异常激增)`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: 'Count',
        dimensionsMap: { ApiId: this.httpApi.apiId, Stage: '$default', Route: WEB_INTAKE_ROUTE },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      threshold: config.webIntakeAlarmPer5Minutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
    // The notifier falling behind the stream delays every SMS, emergencies included.
    const notifier = this.functionFor('notifier');
    new cloudwatch.Alarm(this, 'NotifierIteratorAge', {
      alarmDescription: 'The notifier is more than a minute behind the table stream: SMS are late (通知延迟)',
      metric: notifier.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);

    // HTTP handlers turn their own failures into 500 responses, which Lambda does not count as errors.
    new cloudwatch.Alarm(this, 'Api5xx', {
      alarmDescription: 'The HTTP API answered 5xx in the last 5 minutes',
      metric: this.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);

    // The platform's own counts (shared/adapters/metrics.ts), aggregated over their code dimensions.
    const own = (metricName: string, service: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, period: Duration.minutes(5), statistic });
    new cloudwatch.Alarm(this, 'EmergencyUnreached', {
      alarmDescription: 'An emergency notification reached no one by SMS (紧急转介短信未送达): call the on-duty staff',
      metric: own('EmergencyUnreached', 'notifier'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
    new cloudwatch.Alarm(this, 'SmsRejected', {
      alarmDescription: 'The SMS service refused messages (SNS sandbox, spend limit, opted-out or invalid numbers): see docs/deploy.md, SMS (短信被拒)',
      metric: own('SmsRejected', 'notifier'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
    this.dashboard(config, own);

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'NotifierDlqUrl', { value: stateful.notifierDeadLetterQueue.queueUrl, description: 'The notifier dead-letter queue (npm run notifications:redrive)' });
  }

  /**
   * One CloudWatch dashboard: intakes by channel and urgency, notifier lag, SMS sent / rejected /
   * dropped, the API's 4xx and 5xx, overdue referrals (escalations by level) and the retention
   * of open cases. Every series is a count by codes: nothing on it can identify a woman.
   */
  private dashboard(config: PlatformConfig, own: (name: string, service: string, statistic?: string) => cloudwatch.Metric) {
    const search = (metricName: string, dimensions: string[], label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dimensions].join(',')}} MetricName="${metricName}"', 'Sum', 300)`,
        ...(label ? { label } : {}),
        period: Duration.minutes(5),
      });
    const notifier = this.functionFor('notifier');
    const graph = (title: string, left: cloudwatch.IMetric[], width = 12) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.stackPrefix}-operations`,
      widgets: [
        [
          graph('Intakes by channel and urgency (求助量)', [search('IntakeReceived', ['channel', 'urgency'], '')]),
          graph('Notifier lag, ms (通知延迟)', [notifier.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' })]),
        ],
        [
          graph('SMS sent, rejected, dropped (短信)', [
            search('SmsSent', ['kind', 'urgency'], ''),
            own('SmsRejected', 'notifier'),
            search('SmsDropped', ['kind', 'urgency'], ''),
            own('EmergencyUnreached', 'notifier'),
          ]),
          graph('API 4xx and 5xx', [this.httpApi.metricClientError({ period: Duration.minutes(5) }), this.httpApi.metricServerError({ period: Duration.minutes(5) })]),
        ],
        [
          graph('Overdue referrals: escalations by level (超时督办)', [search('ReferralEscalated', ['kind', 'level'], ''), own('DangerReviewEscalated', 'escalation')]),
          graph('Retention of open cases (信息保存期限)', [own('RetentionWarned', 'escalation'), search('PersonalDataPurged', ['caseState'], '')]),
        ],
      ],
    });
  }

  /** A value the administrator gives at deploy time (cdk deploy --parameters Name=value) when cdk.json has none. */
  private deployParameter(name: string, description: string, allowedPattern: string): string {
    return new CfnParameter(this, name, { type: 'String', description, allowedPattern, constraintDescription: `must match ${allowedPattern}` }).valueAsString;
  }

  private functionFor(name: string): PlatformFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`function ${name} has no entry in infra/function-catalogue.ts`);
    return fn;
  }

  private environmentOf(entry: CatalogueEntry, config: PlatformConfig, s: StatefulStack): Record<string, string> {
    const value = (v: EnvironmentValue): string | undefined => {
      switch (v) {
        case 'table-name':
          return s.table.tableName;
        case 'hotline-secret-arn':
          return secretIdOf(s.hotlineSecret);
        case 'referrals-topic-arn':
          return s.referralsTopic.topicArn;
        case 'sms-adapter':
          return config.smsAdapter;
        case 'sms-gateway-url':
          return this.smsGateway?.url;
        case 'sms-gateway-key-id':
          return this.smsGateway?.keyId;
        case 'sms-gateway-secret-arn':
          return this.smsGateway && s.smsGatewaySecret ? secretIdOf(s.smsGatewaySecret) : undefined;
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
  private statementsOf(entry: CatalogueEntry, config: PlatformConfig, s: StatefulStack): iam.PolicyStatement[] {
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
            new iam.PolicyStatement({ sid: 'SmsToPhoneNumbersOnly', actions: [...g.actions], notResources: [`arn:${this.partition}:sns:*:*:*`] })
          : new iam.PolicyStatement({ actions: [...g.actions], resources: g.on.flatMap(arnsOf) }),
      );
  }

  /** Findings a function's role raises by design, each acknowledged on that role's policy only, with its reason. */
  private acknowledgeFunctionFindings(fn: PlatformFunction, entry: CatalogueEntry, config: PlatformConfig) {
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

  /** Staff sign in with the stack's own Cognito pool (global regions, no issuer configured). */
  private staffAuthorizer(config: PlatformConfig, stateful: StatefulStack): { authorizer: HttpJwtAuthorizer; userPool?: cognito.UserPool } {
    if (config.oidcIssuer) {
      this.consoleSignIn = externalIssuerSignIn(config, config.oidcIssuer);
      return { authorizer: new HttpJwtAuthorizer('StaffJwt', config.oidcIssuer, { jwtAudience: config.oidcAudience, identitySource: ['$request.header.Authorization'] }) };
    }
    if (config.china) {
      // No Cognito user pools in the China regions: the issuer is given at deploy time
      // (cdk deploy --parameters OidcIssuer=https://...). The synth stays offline and deterministic.
      const issuer = this.deployParameter('OidcIssuer', 'OIDC issuer of staff tokens (the China regions offer no Cognito user pools)', '^https://\\S+$');
      this.consoleSignIn = externalIssuerSignIn(config, issuer);
      return { authorizer: new HttpJwtAuthorizer('StaffJwt', issuer, { jwtAudience: config.oidcAudience, identitySource: ['$request.header.Authorization'] }) };
    }
    const staff = requireValue(stateful.staff, 'the staff directory of the stateful stack');
    this.consoleSignIn = staff.consoleSignIn;
    return {
      userPool: staff.userPool,
      authorizer: new HttpJwtAuthorizer('StaffJwt', staff.userPool.userPoolProviderUrl, { jwtAudience: [staff.client.userPoolClientId], identitySource: ['$request.header.Authorization'] }),
    };
  }

  /** The notifier reads the table stream: referral items only, bounded retries, bisect, partial batch responses, DLQ. */
  private streamMapping(fn: PlatformFunction, s: StatefulStack, consumer: 'notifier' | 'statistics') {
    const m = consumer === 'notifier' ? STREAM_MAPPING : STATISTICS_STREAM_MAPPING;
    const mapping = new lambda.CfnEventSourceMapping(this, `${fn.node.id}StreamMapping`, {
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
}

/** The public web form's route key (its own throttle and burst alarm). */
export const WEB_INTAKE_ROUTE = 'POST /intake/web';

/** Fields of the API access log: identifiers, codes and timings only. */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  authorizerError: '$context.authorizer.error',
  errorType: '$context.error.responseType',
} as const;

function acknowledgeUnauthenticatedRoute(route: apigw.HttpRoute, r: ApiRoute) {
  acknowledge(route, {
    id: 'AwsSolutions-APIG4',
    reason:
      r.auth === 'signature'
        ? `${r.method} ${r.path} is called by a hotline system that signs each request (HMAC-SHA256, X-Key-Id / X-Signature, ±300 s); the function verifies the signature itself.`
        : `${r.method} ${r.path} is the public web intake form: anyone may submit, idempotent by clientRequestId, throttled at the stage.`,
  });
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

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not configured`);
  return value;
}
