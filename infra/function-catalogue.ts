// Every Lambda function of the platform: its folder under functions/, what triggers it, and the
// exact IAM actions its role is given, on which resources. The stateless stack builds each role
// from this list and nothing else; test/infra checks the synthesized roles against it, checks that
// every folder under functions/ and every route in API_ROUTES has an entry, and checks the
// DynamoDB / SNS / Secrets Manager calls in each function's code against these grants.
//
// IAM notes
// - DynamoDB transactions have no IAM action of their own: a TransactWriteItems needs the
//   underlying PutItem / UpdateItem / DeleteItem / ConditionCheckItem (DynamoDB developer guide,
//   "Using IAM with DynamoDB transactions").
// - The table is encrypted with a customer-managed key: every caller needs kms:Decrypt on it
//   (DynamoDB decrypts the table key on the caller's behalf, for reads and writes alike) and
//   kms:DescribeKey.
// - Publishing to the KMS-encrypted referrals topic, and sending to a KMS-encrypted queue, needs
//   kms:GenerateDataKey and kms:Decrypt on that topic's / queue's key.
// - Every role also gets logs:CreateLogStream / logs:PutLogEvents on its own log group only
//   (PlatformFunction), and no managed policy.

/** Resources a grant may name; the stateless stack resolves each to ARNs. */
export type GrantTarget =
  /** The table itself (its ARN, not its indexes). */
  | 'table'
  /** One GSI of the table, by name: `${tableArn}/index/<name>`. */
  | 'index:queue'
  | 'index:due'
  | 'index:deadline'
  /** The table's stream (its ARN), for the event source mapping. */
  | 'table-stream'
  /** The customer-managed key of the table (and its stream). */
  | 'table-key'
  /** The referrals SNS topic. */
  | 'referrals-topic'
  /** The customer-managed key of the referrals and ops topics. */
  | 'topic-key'
  /** The customer-managed key of the queues (department queues, their DLQs, the notifier DLQ). */
  | 'queue-key'
  /** The notifier's dead-letter queue (on-failure destination of the stream mapping). */
  | 'notifier-dlq'
  /** The Secrets Manager secret holding the hotline keys. */
  | 'hotline-secret'
  /** The Secrets Manager secret holding the SMS gateway credentials. */
  | 'sms-gateway-secret'
  /** The Secrets Manager secret holding the person key (keyed hashes of phone and ID numbers). */
  | 'person-key-secret'
  /** SMS to phone numbers through SNS: no ARN exists for a phone number, so `*` (acknowledged in cdk-nag). */
  | 'sms-phone-numbers'
  /** Lambda's own stream-discovery call, which has no resource-level permission (`*`, acknowledged). */
  | 'any-stream-listing';

/** When a grant applies: always, or only with one SMS adapter (SNS SMS in global regions, the HTTPS gateway otherwise). */
export type GrantCondition = 'always' | 'sms-via-sns' | 'sms-via-gateway';

export interface Grant {
  actions: readonly string[];
  on: readonly GrantTarget[];
  when?: GrantCondition;
  /** Why the function needs it (shown in reviews; required where the resource is `*`). */
  why: string;
}

export type Trigger =
  /** Routes of API_ROUTES whose functionName is this entry's name. */
  | { kind: 'http' }
  /** The table's DynamoDB stream, filtered to what the consumer reads (see STREAM_CONSUMERS in the stateless stack). */
  | { kind: 'table-stream'; consumer: 'notifier' | 'statistics' }
  /** An EventBridge schedule. */
  | { kind: 'schedule'; expression: string };

/** Values the stack puts into a function's environment (besides the common ones of PlatformFunction). */
export type EnvironmentValue =
  | 'table-name'
  | 'hotline-secret-arn'
  | 'person-key-secret-arn'
  | 'referrals-topic-arn'
  | 'sms-adapter'
  | 'sms-gateway-url'
  | 'sms-gateway-key-id'
  | 'sms-gateway-secret-arn'
  | 'sms-sender-id'
  | 'sms-signature'
  | 'sms-client-signature'
  | 'closed-case-retention-days'
  | 'notifier-dlq-url'
  /** Where staff roles come from: `cognito` with the user pool, else the OIDC claim names of cdk.json `oidcClaims`. */
  | 'staff-claims';

/**
 * A call that appears in code bundled into the function but that the function never makes
 * (a shared repository has methods for several functions), so it is deliberately not granted.
 * test/infra lists the calls found in each bundle; every one must be granted or listed here.
 */
export interface NotUsed {
  action: string;
  on: GrantTarget;
  why: string;
}

export interface CatalogueEntry {
  /** Folder under functions/ holding handler.ts. */
  name: string;
  description: string;
  trigger: Trigger;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Readonly<Record<string, EnvironmentValue>>;
  grants: readonly Grant[];
  notUsed?: readonly NotUsed[];
  /** It classifies intakes: its bundle carries a prebuilt classifier (data/generated/classifier.json). */
  classifies?: true;
}

const TABLE_KEY_FOR_DYNAMODB: Grant = {
  actions: ['kms:Decrypt', 'kms:DescribeKey'],
  on: ['table-key'],
  why: "the table is encrypted with a customer-managed key; DynamoDB decrypts the table key on the caller's behalf",
};

const intake = (channel: string, signed: boolean): CatalogueEntry => ({
  name: `intake-${channel}`,
  description: `POST /intake/${channel}: classify, route and store a new case in one transaction`,
  trigger: { kind: 'http' },
  memoryMb: 1024,
  timeoutSeconds: 10,
  classifies: true,
  // A case recorded without consent to refer is over at once and scheduled for purge after the retention.
  // Her number's keyed hash links the case to her ledger entry and earlier cases (PERSON_KEY_SECRET_ARN).
  environment: {
    TABLE_NAME: 'table-name',
    CLOSED_CASE_RETENTION_DAYS: 'closed-case-retention-days',
    PERSON_KEY_SECRET_ARN: 'person-key-secret-arn',
    ...(signed ? { HOTLINE_KEYS_SECRET_ARN: 'hotline-secret-arn' } : {}),
  },
  grants: [
    {
      actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      on: ['table'],
      why: "TransactWriteItems of Puts (case, referrals, events, idempotency, reference and contact-link items); GetItem of the idempotency item on a duplicate; Query of a case on its partition key, and of her number's keyed hash (ledger entry, earlier cases)",
    },
    TABLE_KEY_FOR_DYNAMODB,
    { actions: ['secretsmanager:GetSecretValue'], on: ['person-key-secret'], why: 'the key of the keyed hashes of phone numbers (linking a contact to her ledger entry and earlier cases)' },
    ...(signed ? [{ actions: ['secretsmanager:GetSecretValue'], on: ['hotline-secret'], why: 'the HMAC keys of the hotline systems' } satisfies Grant] : []),
  ],
});

/** The referral repository's writes, which a function that only reads a case and records the read never makes. */
const REFERRAL_REPOSITORY_UNUSED_BY_READERS: readonly NotUsed[] = [
  { action: 'dynamodb:GetItem', on: 'table', why: 'loadCase and the intake duplicate check are not called when a case is only viewed' },
  { action: 'dynamodb:UpdateItem', on: 'table', why: 'commit (referral changes) is not called when a case is only viewed' },
  { action: 'dynamodb:ConditionCheckItem', on: 'table', why: 'commit (referral changes) is not called when a case is only viewed' },
];

/** Lifecycle changes of referrals (referrals API and escalation run share the repository). */
const REFERRAL_WRITES: Grant = {
  actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  on: ['table'],
  why: 'load a case (GetItem of the case status, Query of its referrals); commit a change in one TransactWriteItems (Update of the referral and the case, Put of the events, ConditionCheck of sibling versions); Put of a standalone event',
};

export const FUNCTION_CATALOGUE: readonly CatalogueEntry[] = [
  intake('12338', true),
  intake('12348', true),
  // The web form is public: no signature, so no access to the hotline keys.
  intake('web', false),
  {
    name: 'api-docs',
    description: 'GET /openapi.json: the integrator contract (OpenAPI 3.1), generated from the route table and the request schemas',
    trigger: { kind: 'http' },
    memoryMb: 256,
    timeoutSeconds: 5,
    // No table, no secret: it serves a document built from code.
    environment: {},
    grants: [],
  },
  {
    name: 'get-case',
    description: 'GET /cases/{caseId}: a case with its referrals and events, for staff allowed to see it; every read is an audit event',
    trigger: { kind: 'http' },
    memoryMb: 512,
    timeoutSeconds: 10,
    environment: { TABLE_NAME: 'table-name', STAFF_CLAIMS: 'staff-claims' },
    grants: [
      { actions: ['dynamodb:Query', 'dynamodb:PutItem'], on: ['table'], why: 'Query of the case partition (case, referrals, events); Put of the case_viewed / access_denied event' },
      TABLE_KEY_FOR_DYNAMODB,
    ],
    notUsed: [
      ...REFERRAL_REPOSITORY_UNUSED_BY_READERS,
      { action: 'dynamodb:Query', on: 'index:queue', why: 'listQueue belongs to the caseworker API' },
      { action: 'dynamodb:Query', on: 'index:due', why: 'findDue belongs to the escalation run' },
    ],
  },
  {
    name: 'referrals-api',
    description: 'Caseworker API: the queue and every referral action (accept, note, return, reroute, extension, resolve, follow-up, reopen)',
    trigger: { kind: 'http' },
    memoryMb: 512,
    timeoutSeconds: 10,
    environment: { TABLE_NAME: 'table-name', STAFF_CLAIMS: 'staff-claims', CLOSED_CASE_RETENTION_DAYS: 'closed-case-retention-days' },
    grants: [
      REFERRAL_WRITES,
      { actions: ['dynamodb:Query'], on: ['index:queue'], why: "a department's queue in a division (GET /referrals)" },
      { actions: ['dynamodb:Query'], on: ['index:due'], why: "all open work of a division, by next deadline (GET /referrals?scope=all; the province's default)" },
      TABLE_KEY_FOR_DYNAMODB,
    ],
  },
  {
    name: 'escalation',
    description: 'Every 5 minutes: escalates overdue referrals (督办) and auto-closes resolved ones without follow-up',
    trigger: { kind: 'schedule', expression: 'rate(5 minutes)' },
    memoryMb: 512,
    timeoutSeconds: 120,
    environment: { TABLE_NAME: 'table-name', CLOSED_CASE_RETENTION_DAYS: 'closed-case-retention-days' },
    grants: [REFERRAL_WRITES, { actions: ['dynamodb:Query'], on: ['index:due'], why: 'open referrals whose next deadline has passed (no scans)' }, TABLE_KEY_FOR_DYNAMODB],
    notUsed: [{ action: 'dynamodb:Query', on: 'index:queue', why: 'listQueue belongs to the caseworker API' }],
  },
  {
    name: 'reports',
    description: "GET /reports/overview, /reports/monthly, /reports/trend: open and overdue work, and the monthly KPIs, of the caller's scope",
    trigger: { kind: 'http' },
    memoryMb: 512,
    timeoutSeconds: 15,
    environment: { TABLE_NAME: 'table-name', STAFF_CLAIMS: 'staff-claims' },
    grants: [
      { actions: ['dynamodb:Query'], on: ['table'], why: 'reads the statistics counters (STATS#<month>, STATS#OPEN partitions)' },
      { actions: ['dynamodb:Query'], on: ['index:deadline'], why: 'the overdue referrals: open referrals whose current deadline has passed' },
      TABLE_KEY_FOR_DYNAMODB,
    ],
    notUsed: [
      { action: 'dynamodb:PutItem', on: 'table', why: "the statistics repository's applyOnce (a transaction) is the statistics consumer's; reports only read" },
      { action: 'dynamodb:UpdateItem', on: 'table', why: "the statistics repository's applyOnce (a transaction) is the statistics consumer's; reports only read" },
    ],
  },
  {
    name: 'statistics',
    description: 'DynamoDB stream (new event items) → the monthly and open-work statistics counters, each event counted once',
    trigger: { kind: 'table-stream', consumer: 'statistics' },
    memoryMb: 256,
    timeoutSeconds: 60,
    environment: { TABLE_NAME: 'table-name' },
    grants: [
      {
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        on: ['table'],
        why: 'one TransactWriteItems per event: Put of its "counted" mark (conditional), Update (ADD) of each counter item, Put of the month\'s entry',
      },
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        on: ['table-stream'],
        why: "the event source mapping reads the table stream with the function's role",
      },
      { actions: ['dynamodb:ListStreams'], on: ['any-stream-listing'], why: "the event source mapping lists the table's streams; ListStreams has no resource-level permission" },
      { ...TABLE_KEY_FOR_DYNAMODB, why: 'the table and its stream are encrypted with the table key' },
    ],
    notUsed: [
      { action: 'dynamodb:Query', on: 'table', why: "the repository's report reads (monthRows, openRows) are the reports function's; the consumer only writes" },
      { action: 'dynamodb:Query', on: 'index:deadline', why: 'the overdue list is read by the reports function only' },
    ],
  },
  {
    name: 'roster-admin',
    description: 'GET/PUT /admin/roster/{department}/{divisionCode}: the duty roster, for administrators',
    trigger: { kind: 'http' },
    memoryMb: 512,
    timeoutSeconds: 10,
    environment: { TABLE_NAME: 'table-name', STAFF_CLAIMS: 'staff-claims' },
    grants: [
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        on: ['table'],
        why: 'read a roster; record each read or refusal (audit); replace it and record the event in one TransactWriteItems of Puts (version-checked)',
      },
      TABLE_KEY_FOR_DYNAMODB,
    ],
  },
  {
    name: 'ledger-api',
    description: 'the county ledger of left-behind women (信息台账): register, list, read, correct, exit, count, export; visits (走访) that refer on channel `visit`',
    trigger: { kind: 'http' },
    // A visit classifies its note like an intake (the prebuilt classifier beside the bundle).
    memoryMb: 1024,
    timeoutSeconds: 10,
    classifies: true,
    environment: { TABLE_NAME: 'table-name', STAFF_CLAIMS: 'staff-claims', PERSON_KEY_SECRET_ARN: 'person-key-secret-arn', CLOSED_CASE_RETENTION_DAYS: 'closed-case-retention-days' },
    grants: [
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        on: ['table'],
        why: "read a record, its contact item and a key item's owner; TransactWriteItems of Puts (record, contact, key items, visit, audit event) and Deletes (key items moved or released); record reads and refusals; records and contact items in batches; Query of her visits; a visit's case as an intake writes it (case, referrals, events, idempotency, reference and link items; Query of her number's keyed hash, and of the case on a repeated visit)",
      },
      { actions: ['dynamodb:Query'], on: ['index:queue'], why: "a county's records, by township and village" },
      { actions: ['dynamodb:Query'], on: ['index:deadline'], why: "the county's overdue-visit queue (VISITDUE#<county>)" },
      TABLE_KEY_FOR_DYNAMODB,
      { actions: ['secretsmanager:GetSecretValue'], on: ['person-key-secret'], why: 'the key of the keyed hashes of phone and ID numbers' },
    ],
  },
  {
    name: 'notifier',
    description: 'DynamoDB stream → the referrals topic, SMS to on-duty caseworkers and, where she allows it, to the woman',
    trigger: { kind: 'table-stream', consumer: 'notifier' },
    memoryMb: 512,
    timeoutSeconds: 180,
    environment: {
      TABLE_NAME: 'table-name',
      TOPIC_ARN: 'referrals-topic-arn',
      SMS_ADAPTER: 'sms-adapter',
      SMS_SIGNATURE: 'sms-signature',
      SMS_CLIENT_SIGNATURE: 'sms-client-signature',
      SMS_SENDER_ID: 'sms-sender-id',
      SMS_GATEWAY_URL: 'sms-gateway-url',
      SMS_GATEWAY_KEY_ID: 'sms-gateway-key-id',
      SMS_GATEWAY_SECRET_ARN: 'sms-gateway-secret-arn',
      NOTIFIER_DLQ_URL: 'notifier-dlq-url',
    },
    grants: [
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        on: ['table'],
        why: "notification claims and outcomes (Update, TransactWriteItems of Update + Put), the duty roster and the case's contact preferences (GetItem)",
      },
      {
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        on: ['table-stream'],
        why: "the event source mapping reads the table stream with the function's role",
      },
      { actions: ['dynamodb:ListStreams'], on: ['any-stream-listing'], why: "the event source mapping lists the table's streams; ListStreams has no resource-level permission" },
      { ...TABLE_KEY_FOR_DYNAMODB, why: 'the table and its stream are encrypted with the table key' },
      { actions: ['sns:Publish'], on: ['referrals-topic'], why: 'one message per referral, with the department attribute the queues filter on' },
      { actions: ['sqs:SendMessage'], on: ['notifier-dlq'], why: "the stream mapping's on-failure destination is sent with the function's role; the function sets malformed items aside there itself" },
      { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], on: ['notifier-dlq'], why: 'the redrive mode ({"redrive": true}) replays the dead-letter queue and deletes what went through' },
      {
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        on: ['topic-key', 'queue-key'],
        why: 'the referrals topic (topic key) and the notifier DLQ (queue key) are encrypted',
      },
      { actions: ['sns:Publish'], on: ['sms-phone-numbers'], when: 'sms-via-sns', why: 'SMS through SNS is a Publish to a phone number, which has no ARN' },
      { actions: ['secretsmanager:GetSecretValue'], on: ['sms-gateway-secret'], when: 'sms-via-gateway', why: 'the HMAC secret of the HTTPS SMS gateway' },
    ],
  },
];

export function catalogueEntry(name: string): CatalogueEntry {
  const entry = FUNCTION_CATALOGUE.find((e) => e.name === name);
  if (!entry) throw new Error(`function ${name} has no entry in infra/function-catalogue.ts`);
  return entry;
}

/** Whether a grant applies with the given SMS adapter. */
export function grantApplies(grant: Grant, smsAdapter: 'sns' | 'https-gateway'): boolean {
  const when = grant.when ?? 'always';
  return when === 'always' || (when === 'sms-via-sns' ? smsAdapter === 'sns' : smsAdapter === 'https-gateway');
}
