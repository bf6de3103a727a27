// What the operators watch: alarms to the ops topic (dead letters, function errors and throttles,
// a flood of the web form, notifier lag, API 5xx, an emergency that reached no one, SMS refused)
// and the operations dashboard. Every series is a count by codes: nothing on it can identify a
// woman. Built in the stack's own scope (logical ids unchanged).
import { Duration, type Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { METRICS_NAMESPACE } from '../../shared/config/metrics.js';
import type { PlatformConfig } from '../config.js';
import type { PlatformFunction } from '../constructs/platform-function.js';
import type { StatefulStack } from '../stateful-stack.js';
import { functionId } from './functions.js';
import { WEB_INTAKE_ROUTE } from './http-api.js';

type OwnMetric = (name: string, service: string, statistic?: string) => cloudwatch.Metric;

export function addMonitoring(stack: Stack, config: PlatformConfig, stateful: StatefulStack, functions: ReadonlyMap<string, PlatformFunction>, httpApi: apigw.HttpApi): void {
  const alarmAction = new cwActions.SnsAction(stateful.opsTopic);
  const deadLetterQueues: [string, sqs.IQueue][] = [['notifier', stateful.notifierDeadLetterQueue], ...stateful.departmentQueues.map((q): [string, sqs.IQueue] => [q.department, q.deadLetterQueue])];
  for (const [name, dlq] of deadLetterQueues) {
    new cloudwatch.Alarm(stack, `DlqDepth-${name}`, {
      alarmDescription: `Messages in the ${name} dead-letter queue: something was not delivered (待处理的死信消息)`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
  }
  for (const [name, fn] of functions) {
    for (const [metric, m] of [
      ['Errors', fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' })],
      ['Throttles', fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' })],
    ] as const) {
      new cloudwatch.Alarm(stack, `${functionId(name)}${metric}`, {
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
  new cloudwatch.Alarm(stack, 'WebIntakeBurst', {
    alarmDescription: `More than ${config.webIntakeAlarmPer5Minutes} web intakes in 5 minutes: a flood of the public form? (网上求助异常激增)`,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: 'Count',
      dimensionsMap: { ApiId: httpApi.apiId, Stage: '$default', Route: WEB_INTAKE_ROUTE },
      period: Duration.minutes(5),
      statistic: 'Sum',
    }),
    threshold: config.webIntakeAlarmPer5Minutes,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(alarmAction);
  // The notifier falling behind the stream delays every SMS, emergencies included.
  const notifier = functions.get('notifier')!;
  new cloudwatch.Alarm(stack, 'NotifierIteratorAge', {
    alarmDescription: 'The notifier is more than a minute behind the table stream: SMS are late (通知延迟)',
    metric: notifier.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 60_000,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(alarmAction);

  // HTTP handlers turn their own failures into 500 responses, which Lambda does not count as errors.
  new cloudwatch.Alarm(stack, 'Api5xx', {
    alarmDescription: 'The HTTP API answered 5xx in the last 5 minutes',
    metric: httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(alarmAction);

  // The platform's own counts (shared/adapters/metrics.ts), aggregated over their code dimensions.
  const own = (metricName: string, service: string, statistic = 'Sum') =>
    new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, period: Duration.minutes(5), statistic });
  new cloudwatch.Alarm(stack, 'EmergencyUnreached', {
    alarmDescription: 'An emergency notification reached no one by SMS (紧急转介短信未送达): call the on-duty staff',
    metric: own('EmergencyUnreached', 'notifier'),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(alarmAction);
  new cloudwatch.Alarm(stack, 'SmsRejected', {
    alarmDescription: 'The SMS service refused messages (SNS sandbox, spend limit, opted-out or invalid numbers): see docs/deploy.md, SMS (短信被拒)',
    metric: own('SmsRejected', 'notifier'),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(alarmAction);
  dashboard(stack, config, notifier, httpApi, own);
}

/**
 * One CloudWatch dashboard: intakes by channel and urgency, notifier lag, SMS sent / rejected /
 * dropped, the API's 4xx and 5xx, overdue referrals (escalations by level) and the retention
 * of open cases. Every series is a count by codes: nothing on it can identify a woman.
 */
function dashboard(stack: Stack, config: PlatformConfig, notifier: PlatformFunction, httpApi: apigw.HttpApi, own: OwnMetric) {
  const search = (metricName: string, dimensions: string[], label: string) =>
    new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dimensions].join(',')}} MetricName="${metricName}"', 'Sum', 300)`,
      ...(label ? { label } : {}),
      period: Duration.minutes(5),
    });
  const graph = (title: string, left: cloudwatch.IMetric[], width = 12) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
  new cloudwatch.Dashboard(stack, 'Dashboard', {
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
        graph('API 4xx and 5xx', [httpApi.metricClientError({ period: Duration.minutes(5) }), httpApi.metricServerError({ period: Duration.minutes(5) })]),
      ],
      [
        graph('Overdue referrals: escalations by level (超时督办)', [search('ReferralEscalated', ['kind', 'level'], ''), own('DangerReviewEscalated', 'escalation')]),
        graph('Retention of open cases (信息保存期限)', [own('RetentionWarned', 'escalation'), search('PersonalDataPurged', ['caseState'], '')]),
      ],
    ],
  });
}
