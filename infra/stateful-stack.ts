// What holds data and must outlive any deployment of the code: the table and its key, the
// referrals topic, one queue per referral-receiving department (each with its DLQ), the
// notifier's DLQ, the ops topic, and the secrets. Everything here is retained on stack deletion and
// replacement, but not when its own creation rolls back (RETAIN_ON_UPDATE_OR_DELETE): a failed first
// deployment leaves no named secret, key or queue behind to collide with the retry.
import { CfnCondition, CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { acknowledge } from './constructs/acknowledge.js';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../shared/adapters/dynamo/table-definition.js';
import { RECEIVING_DEPARTMENTS } from '../shared/domain/model.js';
import { usesCognito, type PlatformConfig } from './config.js';
import { StaffDirectory } from './constructs/staff-directory.js';

/** Departments that receive referrals: all but finance (it funds services), plus the manual-triage queue. */
/** One queue per department that receives referrals (the catalogue of shared/domain/model.ts). */
export const REFERRAL_DEPARTMENTS: readonly string[] = RECEIVING_DEPARTMENTS;

/** The SNS message attribute the department queues filter on (the notifier sets it). */
export const DEPARTMENT_ATTRIBUTE = 'department';

/** Redeliveries before a message moves to a department's DLQ. */
export const MAX_RECEIVE_COUNT = 5;

export interface DepartmentQueue {
  department: string;
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

export interface StatefulStackProps extends StackProps {
  config: PlatformConfig;
}

export class StatefulStack extends Stack {
  readonly tableKey: kms.Key;
  readonly topicKey: kms.Key;
  readonly queueKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly referralsTopic: sns.Topic;
  readonly opsTopic: sns.Topic;
  readonly departmentQueues: DepartmentQueue[];
  readonly notifierDeadLetterQueue: sqs.Queue;
  readonly hotlineSecret: secretsmanager.ISecret;
  /** The key of the keyed hashes of phone and ID numbers (the county ledger, one person across channels). */
  readonly personKeySecret: secretsmanager.Secret;
  /** Present when the HTTPS SMS gateway is the adapter. */
  readonly smsGatewaySecret?: secretsmanager.ISecret;
  /** The staff accounts (global regions without a configured OIDC issuer). */
  readonly staff?: StaffDirectory;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: 'Encrypts the referrals table, its stream and its backups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Topics and queues have separate keys: the queue key's policy names the referrals topic
    // (SNS may use it only on that topic's behalf), which a key shared with the topic cannot.
    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the referrals and ops topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.queueKey = new kms.Key(this, 'QueueKey', {
      description: 'Encrypts the department queues, their DLQs and the notifier DLQ',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    // --- The table, from the one definition the local runtime also uses ---------------------
    const d = TABLE_DEFINITION;
    const attr = (k: { name: string }) => ({ name: k.name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attr(d.partitionKey),
      sortKey: attr(d.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      stream: dynamodb.StreamViewType[d.stream],
      timeToLiveAttribute: d.timeToLiveAttribute,
    });
    for (const gsi of d.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: attr(gsi.partitionKey),
        sortKey: attr(gsi.sortKey),
        ...(gsi.include ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: gsi.include } : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }

    // --- Referrals topic → one queue per department, filtered on the department attribute ---
    this.referralsTopic = new sns.Topic(this, 'ReferralsTopic', {
      displayName: 'referrals',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.referralsTopic.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.departmentQueues = REFERRAL_DEPARTMENTS.map((department) => {
      const deadLetterQueue = this.secureQueue(`Dlq-${department}`, Duration.days(14));
      const queue = this.secureQueue(`Queue-${department}`, Duration.days(14), { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT });
      this.referralsTopic.addSubscription(
        new subscriptions.SqsSubscription(queue, {
          rawMessageDelivery: true,
          filterPolicy: { [DEPARTMENT_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: [department] }) },
          // A message SNS cannot deliver (e.g. a key-policy mistake) lands in the same DLQ, whose alarm fires.
          deadLetterQueue,
        }),
      );
      return { department, queue, deadLetterQueue };
    });

    // The stream mapping's on-failure destination: metadata of batches the notifier gave up on.
    this.notifierDeadLetterQueue = this.secureQueue('NotifierDlq', Duration.days(14));
    acknowledge(this.notifierDeadLetterQueue, {
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself a dead-letter queue: the on-failure destination of the notifier's stream mapping (alarmed on depth).",
    });

    // --- Ops topic: alarms ----------------------------------------------------------------
    this.opsTopic = new sns.Topic(this, 'OpsTopic', { displayName: 'referrals ops alarms', masterKey: this.topicKey, enforceSSL: true });
    this.opsTopic.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.opsTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsUseKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.subscribeAlarmRecipient(config.alarmEmail);

    // --- Staff accounts ----------------------------------------------------------------------
    if (usesCognito(config)) this.staff = new StaffDirectory(this, 'Staff', config);

    // --- Secrets ---------------------------------------------------------------------------
    this.hotlineSecret = config.hotlineSecretName
      ? secretsmanager.Secret.fromSecretNameV2(this, 'HotlineKeys', config.hotlineSecretName)
      : this.placeholderSecret(
          'HotlineKeys',
          `${config.stackPrefix}/hotline-keys`,
          'HMAC keys of the 12338 and 12348 hotline systems: {"<keyId>": {"secret": "...", "channels": ["12338"]}}',
          'empty-key-set',
        );
    // The person key: phone and ID numbers are indexed only as HMACs under it (shared/adapters/person-keys.ts).
    this.personKeySecret = new secretsmanager.Secret(this, 'PersonKey', {
      secretName: `${config.stackPrefix}/person-key`,
      description: 'HMAC key of the keyed hashes of phone and ID numbers (county ledger); never rotate without re-keying the ledger',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledge(this.personKeySecret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'Every keyed hash of a phone or ID number is made under this key: rotating it would orphan them all. It is replaced only together with a re-keying of the ledger, not by a rotation Lambda.',
    });
    // What integrators and administrators look up after a deployment.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The referrals table' });
    new CfnOutput(this, 'ReferralsTopicArn', { value: this.referralsTopic.topicArn, description: 'SNS topic of referral messages' });
    for (const q of this.departmentQueues) {
      new CfnOutput(this, `QueueUrl${q.department.replace(/[^A-Za-z0-9]/g, '')}`, { value: q.queue.queueUrl, description: `Referral queue of ${q.department}` });
    }
    if (config.smsAdapter === 'https-gateway') {
      this.smsGatewaySecret = config.smsGatewaySecretName
        ? secretsmanager.Secret.fromSecretNameV2(this, 'SmsGatewaySecret', config.smsGatewaySecretName)
        : this.placeholderSecret('SmsGatewaySecret', `${config.stackPrefix}/sms-gateway`, 'HMAC secret shared with the HTTPS SMS gateway (the whole SecretString)', 'random');
    }
  }

  /**
   * Alarms must reach someone. With cdk.json `alarmEmail` set, that address is subscribed. Without
   * it, the deployment asks for one: the parameter `AlarmEmail` has no default, so `cdk deploy`
   * stops until it is given (`--parameters Referrals-Stateful:AlarmEmail=ops@example.org`), and only
   * the explicit value `none` deploys without anyone receiving alarms.
   */
  private subscribeAlarmRecipient(alarmEmail: string | undefined) {
    if (alarmEmail) {
      this.opsTopic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
      return;
    }
    const email = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'E-mail address that receives the platform\'s alarms (an emergency SMS not sent, a backlog, a dead letter); "none" to waive, knowingly',
      allowedPattern: '^(none|[^\\s@]+@[^\\s@]+\\.[^\\s@]+)$',
      constraintDescription: 'an e-mail address, or none',
    });
    const wanted = new CfnCondition(this, 'AlarmEmailGiven', { expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, 'none')) });
    const subscription = new sns.CfnSubscription(this, 'AlarmEmailSubscription', { topicArn: this.opsTopic.topicArn, protocol: 'email', endpoint: email.valueAsString });
    subscription.cfnOptions.condition = wanted;
  }

  /** An SQS queue encrypted with the queue key that refuses requests not made over TLS. */
  private secureQueue(id: string, retention: Duration, deadLetterQueue?: sqs.DeadLetterQueue): sqs.Queue {
    return new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.queueKey,
      enforceSSL: true,
      retentionPeriod: retention,
      deadLetterQueue,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }

  /**
   * A secret the administrator fills in after the first deployment (docs/deploy.md). The hotline
   * keys start as an empty JSON object (no keys: every signed request is refused until it is
   * filled); the gateway secret starts as a random value Secrets Manager generates, which the
   * gateway does not know.
   */
  private placeholderSecret(id: string, secretName: string, description: string, initial: 'empty-key-set' | 'random'): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, id, {
      secretName,
      description,
      ...(initial === 'empty-key-set' ? { secretStringValue: SecretValue.unsafePlainText('{}') } : { generateSecretString: { passwordLength: 48, excludePunctuation: true } }),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    acknowledge(secret, {
      id: 'AwsSolutions-SMG4',
      reason: 'Shared with an external system (hotline call system / SMS gateway vendor): rotated by the administrator together with that system, not by a rotation Lambda.',
    });
    return secret;
  }
}
