// Composition root of the notifier and the roster admin function: configuration from the
// environment, data files read once per process, adapters wired to the use cases.
//
// Environment (see docs/notifications.md):
//   TABLE_NAME               the single table
//   REFERRAL_PUBLISHER       'sns' (default) | 'console'
//   TOPIC_ARN                the `referrals` topic (required with 'sns')
//   SMS_ADAPTER              'sns' | 'https-gateway' | 'console' (required: no silent default)
//   SMS_SIGNATURE            【…】 prefix of staff texts, default 【留守妇女关爱】
//   SMS_CLIENT_SIGNATURE     【…】 prefix of the text to the woman, default 【便民服务】 (neutral)
//   SMS_SENDER_ID            sns: AWS.SNS.SMS.SenderID (optional)
//   SMS_GATEWAY_URL          https-gateway: the endpoint
//   SMS_GATEWAY_KEY_ID       https-gateway: sent as X-Key-Id
//   SMS_GATEWAY_SECRET_ARN   https-gateway: Secrets Manager secret holding the HMAC secret (AWS)
//   SMS_GATEWAY_SECRET       https-gateway: the HMAC secret itself (local runtime and tests only)
//   SMS_GATEWAY_TIMEOUT_MS   https-gateway: per request, default 5000
//   NOTIFY_LEASE_MS          lease on a claimed notification when no Lambda context says how long
//                            the invocation may run, default 60000
//   NOTIFY_CONCURRENCY       records of different referrals worked on at once (shared by the
//                            invocations of a process), default 48: the work is waiting on I/O
//   SMS_LIMIT_KEY            key of the hash under which a typed phone number is remembered for
//                            the once-per-number bound (default: derived from the table name)
//   NOTIFIER_DLQ_URL         the notifier's dead-letter queue (malformed items are set aside there);
//                            unset: printed on the console (local runtime)
import { createHmac } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import '../domain/validation/messages.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient } from '../adapters/dynamo/client.js';
import { DynamoCaseContactReader, DynamoNotificationStore } from '../adapters/dynamo/notification-repository.js';
import { DynamoRosterRepository } from '../adapters/dynamo/roster-repository.js';
import { DynamoSmsGuard } from '../adapters/dynamo/sms-guard-repository.js';
import { ulidIds } from '../adapters/ids.js';
import { count } from '../adapters/metrics.js';
import { logger } from '../adapters/logger.js';
import { ConsoleSmsSender } from '../adapters/sms/console-sms.js';
import { secretsManagerSecret } from '../adapters/sms/gateway-secret.js';
import { HttpsGatewaySmsSender } from '../adapters/sms/https-gateway.js';
import { SnsSmsSender } from '../adapters/sms/sns-sms.js';
import { ConsoleDeadLetterSink, SqsDeadLetterSink } from '../adapters/sqs/dead-letter.js';
import { ConsoleReferralPublisher, SnsReferralPublisher } from '../adapters/sns/referral-publisher.js';
import { checkSmsTemplates, parseSmsTemplates, type SmsSignatures, type SmsTemplates } from '../domain/notifications/sms-text.js';
import type { DeadLetterSink, ReferralPublisher, SmsSender, WebSmsLimits } from '../usecases/notify-ports.js';
import type { NotifierDependencies } from '../usecases/notify-referral.js';
import type { RosterAdminDependencies } from '../usecases/notify-roster.js';
import { loadDivisions, readJsonDataFile } from './data-files.js';
import { loadDeadlinePolicy } from './deadlines.js';

export const SMS_ADAPTERS = ['sns', 'https-gateway', 'console'] as const;
export type SmsAdapterName = (typeof SMS_ADAPTERS)[number];
export const DEFAULT_STAFF_SIGNATURE = '【留守妇女关爱】';
export const DEFAULT_CLIENT_SIGNATURE = '【便民服务】';

function required(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const v = env[name]?.trim();
  if (!v) throw new Error(`configuration: ${name} is not set (${why})`);
  return v;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`configuration: ${name} must be a positive whole number`);
  return v;
}

export function signaturesFromEnv(env: NodeJS.ProcessEnv = process.env): SmsSignatures {
  return { staff: env.SMS_SIGNATURE?.trim() || DEFAULT_STAFF_SIGNATURE, client: env.SMS_CLIENT_SIGNATURE?.trim() || DEFAULT_CLIENT_SIGNATURE };
}

let sns: SNSClient | undefined;
const snsClient = () => (sns ??= new SNSClient({}));

export function smsSenderFromEnv(env: NodeJS.ProcessEnv = process.env): SmsSender {
  const name = required(env, 'SMS_ADAPTER', `one of ${SMS_ADAPTERS.join(', ')}`);
  switch (name) {
    case 'sns':
      return new SnsSmsSender(snsClient(), { senderId: env.SMS_SENDER_ID?.trim() || undefined });
    case 'https-gateway': {
      const secretArn = env.SMS_GATEWAY_SECRET_ARN?.trim();
      const secret = secretArn ? secretsManagerSecret(secretArn) : required(env, 'SMS_GATEWAY_SECRET', 'or SMS_GATEWAY_SECRET_ARN');
      return new HttpsGatewaySmsSender({
        url: required(env, 'SMS_GATEWAY_URL', 'the gateway endpoint'),
        keyId: required(env, 'SMS_GATEWAY_KEY_ID', 'sent as X-Key-Id'),
        secret,
        timeoutMs: positiveInt(env, 'SMS_GATEWAY_TIMEOUT_MS', 5000),
      });
    }
    case 'console':
      return new ConsoleSmsSender();
    default:
      throw new Error(`configuration: SMS_ADAPTER must be one of ${SMS_ADAPTERS.join(', ')}`);
  }
}

export function publisherFromEnv(env: NodeJS.ProcessEnv = process.env): ReferralPublisher {
  const name = env.REFERRAL_PUBLISHER?.trim() || 'sns';
  if (name === 'console') return new ConsoleReferralPublisher();
  if (name !== 'sns') throw new Error("configuration: REFERRAL_PUBLISHER must be 'sns' or 'console'");
  return new SnsReferralPublisher(snsClient(), required(env, 'TOPIC_ARN', 'the referrals topic'));
}

let templates: SmsTemplates | undefined;
/** data/sms-templates.json, validated with the signatures: a text that could exceed 70 characters stops the cold start. */
export function loadSmsTemplates(signatures: SmsSignatures = signaturesFromEnv()): SmsTemplates {
  if (!templates) {
    const parsed = parseSmsTemplates(readJsonDataFile('sms-templates.json'));
    checkSmsTemplates(
      parsed,
      signatures,
      loadDivisions().all.map((d) => d.shortName),
    );
    templates = parsed;
  }
  return templates;
}

let roster: DynamoRosterRepository | undefined;
export function rosterRepository(): DynamoRosterRepository {
  roster ??= new DynamoRosterRepository(documentClient(), required(process.env, 'TABLE_NAME', 'the table'));
  return roster;
}

const limitsSchema = z.object({
  web: z.strictObject({
    staffSmsPerWindow: z.number().check(z.int(), z.minimum(1)),
    windowMinutes: z.number().check(z.int(), z.minimum(1), z.maximum(1440)),
    clientSmsPerNumberHours: z.number().check(z.int(), z.minimum(1), z.maximum(24 * 30)),
  }),
});

/** data/notification-limits.json: what a public web post can make others receive. */
export function loadWebSmsLimits(): WebSmsLimits {
  const parsed = limitsSchema.safeParse(readJsonDataFile('notification-limits.json'));
  if (!parsed.success) throw new Error(`data/notification-limits.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.web;
}

/** A keyed hash of a mobile number (digits only, without +86): what the once-per-number bound stores. */
export function numberKeyer(key: string): (phone: string) => string {
  return (phone) =>
    createHmac('sha256', key)
      .update(phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, ''))
      .digest('hex')
      .slice(0, 32);
}

let deps: NotifierDependencies | undefined;
export function notifierDependencies(): NotifierDependencies {
  if (deps) return deps;
  const tableName = required(process.env, 'TABLE_NAME', 'the table');
  const signatures = signaturesFromEnv();
  const db = documentClient();
  const calendar = loadDeadlinePolicy().calendar;
  deps = {
    notifications: new DynamoNotificationStore(db, tableName),
    rosters: rosterRepository(),
    contacts: new DynamoCaseContactReader(db, tableName),
    sms: smsSenderFromEnv(),
    publisher: publisherFromEnv(),
    templates: loadSmsTemplates(signatures),
    signatures,
    divisions: loadDivisions(),
    calendar: { isWorkingDay: (day) => calendar.isWorkingDay(day) },
    guard: new DynamoSmsGuard(db, tableName),
    webLimits: loadWebSmsLimits(),
    numberKey: numberKeyer(process.env.SMS_LIMIT_KEY?.trim() || `referrals-sms-limit:${tableName}`),
    now: () => new Date(),
    eventId: ulidIds.eventId,
    log: { info: (m, a) => logger.info(m, a), warn: (m, a) => logger.warn(m, a) },
    metric: count,
  };
  return deps;
}

export function notifyLeaseMs(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env, 'NOTIFY_LEASE_MS', 60_000);
}

export function notifyConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env, 'NOTIFY_CONCURRENCY', 48);
}

let deadLetters: DeadLetterSink | undefined;
export function deadLetterSink(env: NodeJS.ProcessEnv = process.env): DeadLetterSink {
  const url = env.NOTIFIER_DLQ_URL?.trim();
  deadLetters ??= url ? new SqsDeadLetterSink(new SQSClient({}), url) : new ConsoleDeadLetterSink();
  return deadLetters;
}

let adminDeps: RosterAdminDependencies | undefined;
export function rosterAdminDependencies(): RosterAdminDependencies {
  adminDeps ??= { store: rosterRepository(), divisions: loadDivisions(), eventId: ulidIds.eventId, now: () => new Date() };
  return adminDeps;
}
