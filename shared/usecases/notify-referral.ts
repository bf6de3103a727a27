// Use case: a change to a referral (from the table's stream) → the notifications it owes, each sent
// exactly once in effect although the stream delivers at least once.
//
// For each notification: plan its recipients (ids, never phones) and claim it with that plan in one
// conditional write (a done one is skipped, one leased by another delivery is retried later; a
// taken-over claim keeps the plan stored first). Then the recipients are served one at a time, most
// important first (staff SMS, then the topic, then her acknowledgement): before each send one write
// records the previous recipient's result and marks this one `sending`. A crash at any point
// therefore leaves at most one recipient whose fate is unknown; the redelivery resends to that one
// only (a gateway de-duplicates on the stable requestId; SNS SMS cannot, so she may get it twice)
// and to nobody already served. The last result and a case event are recorded in one transaction.
// A retryable failure of one recipient releases the lease and fails the record, so the stream
// redelivers it and only the failed recipients are tried again.
import { createHash, randomUUID } from 'node:crypto';
import type { CaseEvent } from '../domain/case/case.js';
import type { DivisionIndex } from '../domain/divisions/divisions.js';
import { PROVINCE_CODE } from '../domain/model.js';
import { selectRecipients, recipientKey, type Audience, type RosterLevel, type StaffRecipient } from '../domain/notifications/recipients.js';
import {
  notificationsForChange,
  notificationsForReviewChange,
  rosterDepartmentOf,
  type NotificationIntent,
  type ReferralSnapshot,
  type ReviewSnapshot,
  type StreamEventName,
} from '../domain/notifications/referral-change.js';
import { referralMessage } from '../domain/notifications/referral-message.js';
import { clientSms, staffSms, type SmsSignatures, type SmsTemplates, type StaffTemplate } from '../domain/notifications/sms-text.js';
import { normalizeMobile } from '../domain/mobile-numbers.js';
import { COORDINATOR, divisionChain, isOnDuty, type DayCalendar, type Roster, type RosterDepartment, type RosterScope } from '../domain/roster/roster.js';
import {
  RetryableNotificationError,
  rosterScopeKey,
  type CaseContactReader,
  type ClientContact,
  type DeliveryResult,
  type NotificationKey,
  type NotificationStore,
  type RecipientRecord,
  type ReferralPublisher,
  type RosterReader,
  type SmsGuard,
  type SmsSender,
  type WebSmsLimits,
} from './notify-ports.js';

export { RetryableNotificationError } from './notify-ports.js';

/** Identifiers and codes only: the use case never hands a phone, name or text to the log. */
export interface NotifyLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface NotifierDependencies {
  notifications: NotificationStore;
  rosters: RosterReader;
  contacts: CaseContactReader;
  sms: SmsSender;
  publisher: ReferralPublisher;
  templates: SmsTemplates;
  signatures: SmsSignatures;
  divisions: DivisionIndex;
  /** Working days and rest days of the official calendar, for "working"/"rest" duty periods. */
  calendar: DayCalendar;
  /** Bounds on what a public web post can make others receive; absent: none (tests of other concerns). */
  guard?: SmsGuard;
  webLimits?: WebSmsLimits;
  /** A keyed hash of a phone number, for the once-per-number bound (never the number itself). */
  numberKey?: (phone: string) => string;
  now: () => Date;
  eventId: () => string;
  log: NotifyLog;
  /** Counts for the dashboard and alarms (codes only); absent: none. */
  metric?: (name: string, dimensions: Record<string, string>, value: number) => void;
}

export interface ReferralChange {
  eventName: StreamEventName;
  oldImage?: ReferralSnapshot;
  newImage?: ReferralSnapshot;
}

export type NotificationOutcome = 'sent' | 'already_done' | 'skipped' | 'partial';

const ACTOR = { id: 'system:notifier', role: 'system' } as const;

export interface NotifyOptions {
  /** Lease on a claimed notification: at least as long as the invocation may still run. */
  leaseMs: number;
}

/** Sends what a referral change owes; throws RetryableNotificationError when the record must be retried. */
export async function notifyReferralChange(change: ReferralChange, deps: NotifierDependencies, options: NotifyOptions): Promise<NotificationOutcome[]> {
  return notifyIntents(notificationsForChange(change.eventName, change.oldImage, change.newImage), deps, options);
}

/** Sends what a danger review change owes (the division's coordinators; escalations of an unanswered one). */
export async function notifyReviewChange(change: ReviewChange, deps: NotifierDependencies, options: NotifyOptions): Promise<NotificationOutcome[]> {
  return notifyIntents(notificationsForReviewChange(change.eventName, change.oldImage, change.newImage), deps, options);
}

export interface ReviewChange {
  eventName: StreamEventName;
  oldImage?: ReviewSnapshot;
  newImage?: ReviewSnapshot;
}

/** Sends each notification; every one is attempted even when an earlier one failed. */
export async function notifyIntents(intents: readonly NotificationIntent[], deps: NotifierDependencies, options: NotifyOptions): Promise<NotificationOutcome[]> {
  const outcomes: NotificationOutcome[] = [];
  let retry: unknown;
  // Every notification of the record is attempted even when an earlier one failed.
  for (const intent of intents) {
    try {
      outcomes.push(await notifyOne(intent, deps, options));
    } catch (err) {
      retry ??= err;
    }
  }
  if (retry) throw retry;
  return outcomes;
}

function keyOf(intent: NotificationIntent): NotificationKey {
  return { caseId: intent.referral.caseId, referralId: intent.referral.referralId, kind: intent.kind, discriminator: intent.discriminator };
}

/** Who is served first: the people who must act, then the department queues, then her acknowledgement. */
const ROLE_ORDER: Record<RecipientRecord['role'], number> = { caseworker: 0, supervisor: 1, topic: 2, client: 3 };

const inOrder = (recipients: Record<string, RecipientRecord>) => Object.entries(recipients).sort(([ka, a], [kb, b]) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (ka < kb ? -1 : 1));

/** The audit event of a notification nobody was to receive, and why. */
function skippedEvent(intent: NotificationIntent, deps: NotifierDependencies, reason: string | undefined): CaseEvent {
  return {
    caseId: intent.referral.caseId,
    eventId: deps.eventId(),
    at: deps.now().toISOString(),
    type: 'notification_skipped',
    actor: { ...ACTOR },
    referralId: intent.referral.referralId,
    details: {
      kind: intent.kind,
      discriminator: intent.discriminator,
      attempt: 1,
      final: true,
      channels: [],
      recipientCount: 0,
      sent: 0,
      failed: 0,
      rejected: 0,
      dropped: 0,
      reason: reason ?? 'no_recipient',
      recipients: [],
    },
  };
}

async function notifyOne(intent: NotificationIntent, deps: NotifierDependencies, options: NotifyOptions): Promise<NotificationOutcome> {
  const key = keyOf(intent);
  const owner = randomUUID();
  const now = deps.now();
  const ctx = new SendContext(intent, deps);
  const plan = await ctx.plan();
  const ids = { caseId: key.caseId, referralId: key.referralId, kind: key.kind, discriminator: key.discriminator };
  // Nobody to notify (she did not allow SMS, nobody on duty for routine work): one write records it, once.
  // (When it exists already, an earlier delivery planned it: the claim below takes that plan up.)
  if (Object.keys(plan).length === 0 && (await deps.notifications.recordSkipped(key, skippedEvent(intent, deps, ctx.skipReason)))) {
    deps.log.info('notification recorded', { ...ids, type: 'notification_skipped', recipients: 0 });
    return 'skipped';
  }
  // A fresh claim marks the first recipient `sending` as it stores the plan: one write saved.
  const first = inOrder(plan)[0]?.[0];
  const claimed = first ? { ...plan, [first]: { ...plan[first]!, status: 'sending' as const, sendingAt: now.toISOString() } } : plan;
  const claim = await deps.notifications.claim(key, owner, now.getTime() + options.leaseMs, now.getTime(), claimed);
  if (claim.state === 'done') {
    deps.log.info('notification already sent', ids);
    return 'already_done';
  }
  if (claim.state === 'busy') throw new RetryableNotificationError('notification is held by another delivery');

  // The stored plan wins over the one just made: a retry never re-plans.
  const recipients = claim.recipients ?? {};
  const updated: Record<string, RecipientRecord> = { ...recipients };
  const todo = inOrder(recipients).filter(([, r]) => r.status === 'pending' || r.status === 'failed' || r.status === 'sending');
  let served: [string, RecipientRecord] | null = null;
  for (const [i, [k, r]] of todo.entries()) {
    const sending: RecipientRecord = { ...r, status: 'sending', sendingAt: deps.now().toISOString() };
    // The claim that created the notification already marked its first recipient.
    if (!(i === 0 && claim.attempts === 1 && k === first)) await deps.notifications.advance(key, owner, served, [k, sending]);
    const result = await ctx.deliver(k, r, requestIdOf(key, k));
    updated[k] = result;
    served = [k, result];
  }

  const all = Object.values(updated);
  const count = (s: RecipientRecord['status']) => all.filter((r) => r.status === s).length;
  const retryable = count('failed');
  const done = retryable === 0;
  const type = all.length === 0 ? 'notification_skipped' : !done ? 'notification_failed' : count('sent') > 0 ? 'notification_sent' : 'notification_failed';
  const event: CaseEvent = {
    caseId: key.caseId,
    eventId: deps.eventId(),
    at: deps.now().toISOString(),
    type,
    actor: { ...ACTOR },
    referralId: key.referralId,
    details: {
      kind: intent.kind,
      discriminator: intent.discriminator,
      ...(intent.level ? { level: intent.level, escalationKind: intent.escalationKind } : {}),
      attempt: claim.attempts,
      final: done,
      channels: [...new Set(all.map((r) => (r.channel === 'sms' ? `sms:${deps.sms.name}` : `sns:${deps.publisher.name}`)))],
      recipientCount: all.length,
      sent: count('sent'),
      failed: retryable,
      rejected: count('rejected'),
      dropped: count('dropped'),
      ...(all.length === 0 ? { reason: ctx.skipReason ?? 'no_recipient' } : {}),
      // Recipient ids (roster ids, "topic", "client") with results: never a phone number.
      recipients: Object.entries(updated).map(([k, r]) => ({
        id: k,
        role: r.role,
        channel: r.channel,
        status: r.status,
        ...(r.messageId ? { messageId: r.messageId } : {}),
        ...(r.error ? { error: r.error } : {}),
      })),
    },
  };
  await deps.notifications.finish(key, owner, updated, done, event);
  const summary = { ...ids, type, sent: count('sent'), failed: retryable, rejected: count('rejected'), dropped: count('dropped'), recipients: all.length };
  if (!done) {
    deps.metric?.('SmsFailed', { kind: intent.kind, urgency: intent.referral.urgency }, retryable);
    deps.log.warn('notification partly failed; the record will be retried for the failed recipients', summary);
    throw new RetryableNotificationError(`${retryable} recipient(s) failed`);
  }
  const sms = all.filter((r) => r.channel === 'sms');
  const dims = { kind: intent.kind, urgency: intent.referral.urgency };
  for (const status of ['sent', 'rejected', 'dropped'] as const) deps.metric?.(`Sms${status[0]!.toUpperCase()}${status.slice(1)}`, dims, sms.filter((r) => r.status === status).length);
  // A refusal by the SMS service (the SNS sandbox, a spend limit, a blocked number) is final: the total, for its alarm.
  deps.metric?.('SmsRejected', {}, sms.filter((r) => r.status === 'rejected').length);
  if (intent.referral.urgency === 'emergency' && intent.kind !== 'client_ack' && !all.some((r) => r.channel === 'sms' && r.status === 'sent')) {
    deps.metric?.('EmergencyUnreached', {}, 1);
    deps.log.warn('emergency notification reached no one by SMS', summary);
  } else {
    deps.log.info('notification recorded', summary);
  }
  if (all.length === 0) return 'skipped';
  return count('rejected') + count('dropped') > 0 ? 'partial' : 'sent';
}

/** Stable per notification × recipient; short enough for any gateway. */
function requestIdOf(key: NotificationKey, recipient: string): string {
  return createHash('sha256').update(`${key.caseId}|${key.referralId}|${key.kind}|${key.discriminator}|${recipient}`).digest('hex').slice(0, 32);
}

/** Everything one notification needs to plan and deliver; rosters and contact are read once per attempt. */
class SendContext {
  private rosters = new Map<string, Roster>();
  private contact: ClientContact | null | undefined;
  skipReason: string | undefined;

  constructor(
    private readonly intent: NotificationIntent,
    private readonly deps: NotifierDependencies,
  ) {}

  private get r(): ReferralSnapshot {
    return this.intent.referral;
  }

  /** Which roster chain and audience a staff notification goes to. */
  private target(): { chain: RosterScope[]; audience: Audience } | null {
    const r = this.r;
    const chainOf = (department: string): RosterScope[] => divisionChain(r.divisionCode, this.deps.divisions).map((divisionCode) => ({ department: department as RosterDepartment, divisionCode }));
    const provincial: RosterScope[] = [{ department: COORDINATOR, divisionCode: PROVINCE_CODE }];
    switch (this.intent.kind) {
      case 'new_referral':
      case 'rerouted':
      case 'raised':
        return { chain: chainOf(rosterDepartmentOf(r)), audience: r.urgency };
      case 'cancelled':
        return { chain: chainOf(rosterDepartmentOf(r)), audience: 'routine' };
      case 'retention_warning':
        return { chain: chainOf(rosterDepartmentOf(r)), audience: 'supervisor' };
      case 'danger_review':
        return { chain: chainOf(COORDINATOR), audience: 'coordinator' };
      case 'escalation':
        if (this.intent.level === 1) return { chain: chainOf(rosterDepartmentOf(r)), audience: 'reminder' };
        if (this.intent.level === 2) return { chain: chainOf(rosterDepartmentOf(r)), audience: 'supervisor' };
        return { chain: provincial, audience: 'provincial' };
      case 'returned':
        return (r.returnCount ?? 0) >= 2 ? { chain: provincial, audience: 'provincial' } : { chain: chainOf(COORDINATOR), audience: 'coordinator' };
      case 'client_ack':
        return null;
    }
  }

  private async loadRosters(scopes: readonly RosterScope[]): Promise<void> {
    const missing = scopes.filter((s) => !this.rosters.has(rosterScopeKey(s)));
    if (missing.length === 0) return;
    for (const [k, roster] of await this.deps.rosters.getRosters(missing)) this.rosters.set(k, roster);
  }

  private async clientContact(): Promise<ClientContact | null> {
    if (this.contact === undefined) this.contact = await this.deps.contacts.contactOf(this.r.caseId);
    return this.contact;
  }

  /** Her phone when she allowed SMS and did not ask not to be contacted; otherwise why not. */
  private async clientPhone(): Promise<{ phone: string } | { reason: string }> {
    const c = await this.clientContact();
    if (!c) return { reason: 'case_not_found' };
    if (c.doNotContact === true) return { reason: 'do_not_contact' };
    if (c.safeToSms !== true) return { reason: 'sms_not_allowed' };
    const phone = c.phone ? normalizeMobile(c.phone) : null;
    if (!phone || !phone.startsWith('+86')) return { reason: 'no_mobile_number' };
    return { phone };
  }

  async plan(): Promise<Record<string, RecipientRecord>> {
    const out: Record<string, RecipientRecord> = {};
    if (this.intent.publishToTopic) out.topic = { channel: 'sns', role: 'topic', id: 'topic', status: 'pending', attempts: 0 };
    if (this.intent.kind === 'client_ack') {
      if (this.r.test) {
        this.skipReason = 'test_intake';
        return out;
      }
      const her = await this.clientPhone();
      if ('phone' in her) out.client = { channel: 'sms', role: 'client', id: 'client', status: 'pending', attempts: 0 };
      else this.skipReason = her.reason;
      return out;
    }
    const target = this.target();
    // A smoke test of a deployment checks the topic and the queues; it never wakes anyone up.
    if (this.r.test) {
      this.skipReason = 'test_intake';
      return out;
    }
    if (!target) return out;
    await this.loadRosters(target.chain);
    const levels: RosterLevel[] = target.chain.map((s) => ({ ...s, roster: this.rosters.get(rosterScopeKey(s)) }));
    const at = this.deps.now();
    const people: StaffRecipient[] = selectRecipients(target.audience, levels, (c) => isOnDuty(c, at, this.deps.calendar));
    for (const p of people) {
      out[recipientKey(p)] = { channel: 'sms', role: p.role, department: p.department, divisionCode: p.divisionCode, id: p.id, status: 'pending', attempts: 0 };
    }
    if (people.length === 0) this.skipReason = levels.some((l) => l.roster) ? 'nobody_on_duty' : 'no_roster';
    return out;
  }

  private text(digest = false): string {
    const r = this.r;
    if (digest) {
      return staffSms(this.deps.templates, this.deps.signatures, 'digest', {
        reference: r.reference,
        need: r.need,
        division: this.deps.divisions.get(r.divisionCode)?.shortName ?? r.divisionCode,
        urgency: r.urgency,
        deadline: r.signForBy,
      });
    }
    if (this.intent.kind === 'client_ack') return clientSms(this.deps.templates, this.deps.signatures);
    const which: StaffTemplate = this.intent.kind === 'escalation' ? (this.intent.level === 1 ? 'reminder' : this.intent.level === 2 ? 'supervision' : 'provincial_supervision') : this.intent.kind;
    const completion = this.intent.kind === 'escalation' && this.intent.escalationKind === 'completion';
    return staffSms(this.deps.templates, this.deps.signatures, which, {
      reference: r.reference,
      need: r.need,
      division: this.deps.divisions.get(r.divisionCode)?.shortName ?? r.divisionCode,
      urgency: r.urgency,
      deadline: this.intent.kind === 'retention_warning' ? (r.retentionPurgeAt ?? r.signForBy) : completion ? (r.completeBy ?? r.signForBy) : r.signForBy,
      action: completion ? 'completion' : this.intent.escalationKind === 'review' ? 'review' : 'sign_for',
    });
  }

  private async phoneOf(rec: RecipientRecord): Promise<{ phone: string } | { reason: string }> {
    if (rec.role === 'client') return this.clientPhone();
    const scope = { department: rec.department as RosterDepartment, divisionCode: rec.divisionCode ?? '' };
    await this.loadRosters([scope]);
    const roster = this.rosters.get(rosterScopeKey(scope));
    const person = rec.role === 'supervisor' ? (roster?.supervisor?.id === rec.id ? roster.supervisor : undefined) : roster?.caseworkers.find((c) => c.id === rec.id);
    if (!person) return { reason: 'not_on_roster' };
    const phone = normalizeMobile(person.phone);
    return phone ? { phone } : { reason: 'invalid_phone' };
  }

  /**
   * The bounds on what a public web post can make others receive (hotline intakes are never
   * bounded): one SMS per person per intake; staff SMS per division and department per window, then
   * one digest per person for the window; her own number once per period.
   */
  private async webBound(key: string, rec: RecipientRecord, phone: string, requestId: string): Promise<'send' | 'digest' | 'dropped' | 'once'> {
    const { guard, webLimits, numberKey } = this.deps;
    if (this.r.channel !== 'web' || !guard || !webLimits) return 'send';
    if (rec.role === 'client') {
      if (!numberKey) return 'send';
      return (await guard.oncePerNumber(numberKey(phone), requestId, this.deps.now(), webLimits.clientSmsPerNumberHours)) ? 'send' : 'dropped';
    }
    // One SMS per person per intake — except a danger review, which always goes (it is the one that
    // matters: the same coordinator's manual-triage text, if it comes second, is the one dropped).
    if (this.intent.kind === 'danger_review') await guard.oncePerCase(this.r.caseId, key, requestId);
    else if (this.intent.kind === 'new_referral' && !(await guard.oncePerCase(this.r.caseId, key, requestId))) return 'once';
    const scope = { department: rec.department ?? this.r.department, divisionCode: rec.divisionCode ?? this.r.divisionCode };
    const windowMs = webLimits.windowMinutes * 60_000;
    const windowStart = new Date(Math.floor(this.deps.now().getTime() / windowMs) * windowMs).toISOString();
    if ((await guard.staffSlot(scope, windowStart, webLimits.staffSmsPerWindow, requestId)) === 'allowed') return 'send';
    return (await guard.digestFor(scope, windowStart, key, requestId)) ? 'digest' : 'dropped';
  }

  /** Sends to one recipient; the record it returns is final (sent, rejected, dropped) or to retry (failed). */
  async deliver(key: string, rec: RecipientRecord, requestId: string): Promise<RecipientRecord> {
    const attempts = rec.attempts + 1;
    let result: DeliveryResult;
    try {
      if (rec.channel === 'sns') {
        const type = this.intent.kind === 'rerouted' ? 'referral_rerouted' : this.intent.kind === 'raised' ? 'referral_raised' : 'referral_created';
        result = await this.deps.publisher.publish(referralMessage(this.r, type));
      } else {
        const to = await this.phoneOf(rec);
        const drop = (reason: string): RecipientRecord => {
          const { sendingAt: _s, ...rest } = rec;
          return { ...rest, attempts, status: 'dropped', error: reason };
        };
        if ('reason' in to) return drop(to.reason);
        const bound = await this.webBound(key, rec, to.phone, requestId);
        if (bound === 'dropped') return drop(rec.role === 'client' ? 'number_texted_recently' : 'web_flood_capped');
        if (bound === 'once') return drop('already_texted_for_this_intake');
        result = await this.deps.sms.send({ to: to.phone, text: this.text(bound === 'digest'), requestId, recipientId: rec.role === 'client' ? 'client' : key });
        if (result.ok && bound === 'digest') return { ...withoutAttempt(rec), attempts, status: 'sent', messageId: result.messageId, error: 'digest_instead' };
      }
    } catch (err) {
      // Adapters return failures; anything thrown (a bug, a network fault) is worth a retry.
      result = { ok: false, retryable: true, code: err instanceof Error ? err.name : 'error' };
    }
    const base = withoutAttempt(rec);
    if (result.ok) return { ...base, attempts, status: 'sent', messageId: result.messageId };
    return { ...base, attempts, status: result.retryable ? 'failed' : 'rejected', error: result.code };
  }
}

/** A recipient record without what belongs to one attempt (its message id, error and sending mark). */
function withoutAttempt(rec: RecipientRecord): RecipientRecord {
  const { messageId: _m, error: _e, sendingAt: _s, ...base } = rec;
  return base;
}
