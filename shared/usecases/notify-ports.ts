// The small ports the notification use case depends on. Adapters: shared/adapters/sms/* (SMS),
// shared/adapters/sns/* (topic), shared/adapters/dynamo/roster-repository.ts and
// notification-repository.ts (table).
import type { CaseEvent } from '../domain/case/case.js';
import type { ReferralMessage } from '../domain/notifications/referral-message.js';
import type { Roster, RosterScope } from '../domain/roster/roster.js';

/** Some recipient failed in a way worth retrying, or another delivery holds the notification: retry the record. */
export class RetryableNotificationError extends Error {
  override readonly name = 'RetryableNotificationError';
}

/** The outcome of one delivery attempt. A retryable failure is tried again on the next delivery of the record. */
export type DeliveryResult = { ok: true; messageId: string } | { ok: false; retryable: boolean; code: string };

export interface SmsMessage {
  /** E.164, e.g. +8613912345678. Personal data: adapters never log it. */
  to: string;
  text: string;
  /** Stable per notification × recipient: a gateway that de-duplicates on it never sends twice. */
  requestId: string;
  /** Roster id (or "client"): what the console sink prints instead of the number. */
  recipientId: string;
}

export interface SmsSender {
  /** 'sns' | 'https-gateway' | 'console': recorded in events. */
  readonly name: string;
  send(message: SmsMessage): Promise<DeliveryResult>;
}

export interface ReferralPublisher {
  readonly name: string;
  publish(message: ReferralMessage): Promise<DeliveryResult>;
}

export interface RosterReader {
  /** The rosters that exist among the scopes, keyed by rosterScopeKey. */
  getRosters(scopes: readonly RosterScope[]): Promise<Map<string, Roster>>;
}

export const rosterScopeKey = (s: { department: string; divisionCode: string }) => `${s.department}#${s.divisionCode}`;

/** What the notifier may know of the woman: only what decides and addresses the neutral SMS. */
export interface ClientContact {
  phone?: string;
  safeToSms?: boolean;
  doNotContact?: boolean;
}

export interface CaseContactReader {
  contactOf(caseId: string): Promise<ClientContact | null>;
}

/**
 * pending: not tried yet; sending: handed to the provider by an attempt that did not record the
 * result (a crash between send and record): the one recipient that may be served twice on a
 * provider that cannot de-duplicate; sent / rejected / dropped: final; failed: retried.
 */
export type RecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'rejected' | 'dropped';

/** One recipient of one notification, as stored on the notification item: ids, never phone numbers. */
export interface RecipientRecord {
  channel: 'sns' | 'sms';
  role: 'topic' | 'caseworker' | 'supervisor' | 'client';
  /** Roster scope and id for staff, to look the phone up again on a retry. */
  department?: string;
  divisionCode?: string;
  id: string;
  status: RecipientStatus;
  attempts: number;
  messageId?: string;
  /** Error code of the last failure (e.g. http_503, timeout, ThrottledException): never a provider's message. */
  error?: string;
  /** When the current attempt handed it to the provider (status sending). */
  sendingAt?: string;
}

export interface NotificationKey {
  caseId: string;
  referralId: string;
  kind: string;
  discriminator: string;
}

export type ClaimResult =
  | { state: 'acquired'; attempts: number; recipients: Record<string, RecipientRecord> | null }
  | { state: 'done' }
  /** Another delivery holds an unexpired lease on it. */
  | { state: 'busy' };

export interface NotificationStore {
  /**
   * Takes the notification for this delivery: creates it (status pending) with the plan of who is
   * to receive it, or takes over a pending one whose lease has expired, keeping the plan stored
   * first (so a retry never re-plans). A done notification is never taken again.
   */
  claim(key: NotificationKey, owner: string, leaseUntil: number, now: number, plan: Record<string, RecipientRecord>): Promise<ClaimResult>;
  /**
   * One write between two sends: records the result of the recipient just served (if any) and
   * marks the next one `sending`, while the lease is still ours. So a crash at any point leaves at
   * most one recipient whose fate is unknown.
   */
  advance(key: NotificationKey, owner: string, served: [string, RecipientRecord] | null, next: [string, RecipientRecord] | null): Promise<void>;
  /** A notification nobody is to receive: recorded done with its event in one write; false when it already was. */
  recordSkipped(key: NotificationKey, event: CaseEvent): Promise<boolean>;
  /**
   * Records the recipients' results and the case event in one transaction, while the lease is still
   * ours. done: the notification is complete and never sent again; otherwise the lease is released
   * so that the next delivery of the record retries the failed recipients at once.
   */
  finish(key: NotificationKey, owner: string, recipients: Record<string, RecipientRecord>, done: boolean, event: CaseEvent): Promise<void>;
}

/** Where to find a stream record again: its item and its place in the stream (kept 24 hours). */
export interface DeadLetterRecord {
  pk: string;
  sk: string;
  eventName: string;
  sequenceNumber: string;
  /** The stream the record came from (its ARN): a redrive reads the record there again while it is kept. */
  streamArn?: string;
}

/** A record the notifier will never manage by retrying (a malformed item): set aside, nothing personal. */
export interface DeadLetter {
  reason: 'malformed_item';
  records: DeadLetterRecord[];
  /** Field paths that were missing or invalid; never their values. */
  invalidFields?: string[];
}

export interface DeadLetterSink {
  readonly name: string;
  send(letter: DeadLetter): Promise<void>;
}

/** The bounds on what an anonymous web post can make others receive (data/notification-limits.json). */
export interface WebSmsLimits {
  staffSmsPerWindow: number;
  windowMinutes: number;
  clientSmsPerNumberHours: number;
}

export interface SmsScope {
  department: string;
  divisionCode: string;
}

/**
 * Book-keeping for those bounds. Every call is idempotent per requestId (a notification ×
 * recipient), so a redelivered notification is counted once.
 */
export interface SmsGuard {
  /** May this staff SMS of a web intake go out, within the scope's budget for the window? */
  staffSlot(scope: SmsScope, windowStart: string, cap: number, requestId: string): Promise<'allowed' | 'capped'>;
  /** Is this the one digest this person gets for the window (true once, for one requestId)? */
  digestFor(scope: SmsScope, windowStart: string, recipient: string, requestId: string): Promise<boolean>;
  /** Is this the one SMS this intake sends this person? */
  oncePerCase(caseId: string, recipient: string, requestId: string): Promise<boolean>;
  /** Is this the one SMS this number gets in the period (numberKey: a keyed hash, never the number)? */
  oncePerNumber(numberKey: string, requestId: string, now: Date, hours: number): Promise<boolean>;
}
