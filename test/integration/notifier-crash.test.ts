// Crash injection at every step of the notification protocol, against the real DynamoDB adapter:
// the first delivery dies at step k (before or after any write, before or after any send), the
// lease expires, the stream redelivers. Whatever k is, every recipient is served, nobody already
// served is served again, and at most the one recipient in flight at the crash gets a repeat
// (SNS SMS cannot de-duplicate; a gateway would drop it by its requestId).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { ensureTable } from '../../local/table.js';
import { DynamoCaseContactReader, DynamoNotificationStore } from '../../shared/adapters/dynamo/notification-repository.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadSmsTemplates, signaturesFromEnv } from '../../shared/config/notifier.js';
import type { Roster } from '../../shared/domain/roster/roster.js';
import type { ReferralSnapshot } from '../../shared/domain/notifications/referral-change.js';
import { rosterScopeKey, type NotificationStore, type SmsMessage } from '../../shared/usecases/notify-ports.js';
import { notifyReferralChange, type NotifierDependencies } from '../../shared/usecases/notify-referral.js';
import { ALWAYS, phoneOf } from '../support/notification-fixtures.js';

class Crash extends Error {}

let db: DynamoDBDocumentClient;
let raw: DynamoDBClient;
const tableName = `crash-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  raw = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: inject('dynamoEndpoint') });
  await ensureTable(raw, tableName);
  db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => raw?.destroy());

const DIV = '222403';
const roster: Roster = {
  department: 'public_security',
  divisionCode: DIV,
  caseworkers: [1, 2, 3].map((i) => ({ id: `cw${i}`, phone: phoneOf('public_security', DIV, i), onDuty: [...ALWAYS] })),
  supervisor: { id: 'sup', phone: phoneOf('public_security', DIV, 9) },
  version: 1,
} as unknown as Roster;

function referral(caseId: string): ReferralSnapshot {
  return {
    referralId: `${caseId}-1`,
    caseId,
    reference: '261204-CRASH1',
    seq: 1,
    need: 'safety_protection',
    department: 'public_security',
    coDepartments: [],
    divisionCode: DIV,
    urgency: 'emergency',
    status: 'referred',
    signForBy: '2026-12-04T07:00:00.000Z',
    completeBy: null,
    version: 1,
  };
}

/**
 * Counts every step (store write or provider send) and dies at step `crashAt`, before or after its
 * effect: from then on nothing has any effect (a dead process writes and sends nothing more).
 */
function world(crashAt: number, after: boolean) {
  let step = 0;
  let dead = false;
  const sends: string[] = [];
  const tick = async <T>(effect: () => Promise<T>): Promise<T> => {
    step++;
    if (dead || (step === crashAt && !after)) {
      dead = true;
      throw new Crash(`dead at step ${step}`);
    }
    const out = await effect();
    if (step === crashAt && after) {
      dead = true;
      throw new Crash(`after step ${step}`);
    }
    return out;
  };
  const real = new DynamoNotificationStore(db, tableName);
  const store: NotificationStore = {
    claim: (...a) => tick(() => real.claim(...a)),
    recordSkipped: (...a) => tick(() => real.recordSkipped(...a)),
    advance: (...a) => tick(() => real.advance(...a)),
    finish: (...a) => tick(() => real.finish(...a)),
  };
  const clock = { now: Date.parse('2026-12-04T06:00:00Z') };
  const deps: NotifierDependencies = {
    notifications: store,
    rosters: { getRosters: async (scopes) => new Map(scopes.filter((s) => rosterScopeKey(s) === rosterScopeKey(roster)).map((s) => [rosterScopeKey(s), roster])) },
    contacts: new DynamoCaseContactReader(db, tableName),
    sms: { name: 'sns', send: (m: SmsMessage) => tick(async () => (sends.push(m.to), { ok: true, messageId: `m${sends.length}` })) },
    publisher: { name: 'sns', publish: () => tick(async () => (sends.push('topic'), { ok: true, messageId: `t${sends.length}` })) },
    templates: loadSmsTemplates(),
    signatures: signaturesFromEnv(),
    divisions: loadDivisions(),
    calendar: { isWorkingDay: () => true },
    now: () => new Date(clock.now),
    eventId: () => randomUUID(),
    log: { info: () => undefined, warn: () => undefined },
  };
  return { deps, sends, clock, steps: () => step };
}

const RECIPIENTS = ['topic', ...[1, 2, 3, 9].map((i) => `+86${phoneOf('public_security', DIV, i)}`)];

describe('a crash at any step of a notification', () => {
  it('without a crash: the claim (marking the first recipient), 5 sends with one write between two, and the finishing transaction (11 steps), each recipient once', async () => {
    const w = world(0, false);
    await notifyReferralChange({ eventName: 'INSERT', newImage: { ...referral(randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()), seq: 2 } }, w.deps, { leaseMs: 60_000 });
    expect(w.sends.sort()).toEqual([...RECIPIENTS].sort());
    expect(w.steps()).toBe(1 + 5 + 4 + 1);
  });

  it('counts what was sent for the dashboard, by codes only; a refusal by the SMS service raises the alarms', async () => {
    const counted: [string, Record<string, string>, number][] = [];
    const w = world(0, false);
    const deps: NotifierDependencies = { ...w.deps, metric: (name, dims, value) => void counted.push([name, dims, value]) };
    await notifyReferralChange({ eventName: 'INSERT', newImage: { ...referral(randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()), seq: 2 } }, deps, { leaseMs: 60_000 });
    expect(counted).toContainEqual(['SmsSent', { kind: 'new_referral', urgency: 'emergency' }, 4]);
    expect(counted.filter(([n, , v]) => n === 'SmsRejected' && v > 0)).toEqual([]);
    expect(counted.some(([n]) => n === 'EmergencyUnreached')).toBe(false);
    for (const [, dims] of counted) for (const v of Object.values(dims)) expect(v).toMatch(/^[a-z0-9_]+$/);

    // The SNS sandbox refuses every number: final, counted, and an emergency that reached no one.
    const refused: typeof counted = [];
    const sandboxed: NotifierDependencies = {
      ...world(0, false).deps,
      sms: { name: 'sns', send: async () => ({ ok: false, retryable: false, code: 'AuthorizationErrorException' }) },
      metric: (name, dims, value) => void refused.push([name, dims, value]),
    };
    await notifyReferralChange({ eventName: 'INSERT', newImage: { ...referral(randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase()), seq: 2 } }, sandboxed, { leaseMs: 60_000 });
    expect(refused).toContainEqual(['SmsRejected', {}, 4]);
    expect(refused).toContainEqual(['EmergencyUnreached', {}, 1]);
  });

  it.each(
    Array.from({ length: 11 }, (_, i) => i + 1).flatMap(
      (k) =>
        [
          [k, false],
          [k, true],
        ] as const,
    ),
  )('crash at step %i (after its effect: %s): every recipient served, at most the one in flight twice', async (k, after) => {
    const caseId = randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase();
    // seq 2: no acknowledgement to her in this notification set.
    const change = { eventName: 'INSERT' as const, newImage: { ...referral(caseId), seq: 2 } };
    const w = world(k, after);
    await expect(notifyReferralChange(change, w.deps, { leaseMs: 60_000 })).rejects.toBeInstanceOf(Crash);
    const firstAttempt = [...w.sends];
    // The invocation died; its lease runs out; the stream delivers the record again.
    w.clock.now += 61_000;
    const retry = world(0, false);
    retry.clock.now = w.clock.now;
    await notifyReferralChange(change, { ...retry.deps }, { leaseMs: 60_000 });
    const all = [...firstAttempt, ...retry.sends];
    for (const r of RECIPIENTS) expect(all.filter((x) => x === r).length, r).toBeGreaterThanOrEqual(1);
    const repeated = RECIPIENTS.filter((r) => all.filter((x) => x === r).length > 1);
    expect(repeated.length).toBeLessThanOrEqual(1);
    // The repeat, if any, is the recipient handed to the provider when the first attempt died.
    if (repeated.length === 1) expect(firstAttempt.at(-1)).toBe(repeated[0]);
    // A third delivery changes nothing.
    const third = world(0, false);
    third.clock.now = w.clock.now + 1;
    await notifyReferralChange(change, third.deps, { leaseMs: 60_000 });
    expect(third.sends).toEqual([]);
  });
});
