// How referrals, events and their index keys are stored: the item shapes the referral and
// retention repositories share (what is stripped on read, the conditional update of a change, an
// event with its tally, the placement keys of the sparse indexes).
import { type TallyEntry } from '../../domain/statistics/tally.js';
import { escalationTrack, type TrackedReferral } from '../../domain/lifecycle/index.js';
import type { Placement, ReferralChange, ReferralEvent } from '../../usecases/referrals/ports.js';
import { auditPk, caseKey, deadlineKeys, eventSk, purgeDueKeys, queuePkOf, queueSkOf, referralKey } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';

export const INDEX_ATTRIBUTES = ['queuePk', 'queueSk', 'duePk', 'dueSk', 'deadlinePk', 'deadlineSk'] as const;
export const ITEM_ATTRIBUTES = new Set(['pk', 'sk', 'entity', TTL_ATTRIBUTE, 'tally', ...INDEX_ATTRIBUTES]);

/** Due-index sort key of a closed case's purge. */
export const PURGEABLE_STATUSES: unknown[] = ['closed', 'not_referred'];

export const purgeDueSk = (purgeAt: string, caseId: string) => purgeDueKeys(purgeAt, caseId).dueSk;
export const PURGE_DUE_SK = /^(.+)#PURGE#([0-9A-HJKMNP-TV-Z]{26})$/;
export const REVIEW_DUE_SK = /^(.+)#REVIEW#([0-9A-HJKMNP-TV-Z]{26})$/;
export const RETAIN_DUE_SK = /^(.+)#RETAIN#([0-9A-HJKMNP-TV-Z]{26})$/;

/** Items whose TTL attribute one purge sets in parallel. */
export const PURGE_CONCURRENCY = 8;

export function stripReferral(item: Record<string, unknown>): TrackedReferral {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!ITEM_ATTRIBUTES.has(k)) out[k] = v;
  return out as unknown as TrackedReferral;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An Update that turns the stored `before` into `after` (SET what changed, REMOVE what is gone), plus index keys. */
export function referralUpdate(change: ReferralChange, tableName: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const byName = new Map<string, string>();
  const name = (attr: string) => {
    let p = byName.get(attr);
    if (!p) {
      p = `#n${byName.size}`;
      byName.set(attr, p);
      names[p] = attr;
    }
    return p;
  };
  let v = 0;
  const value = (x: unknown) => {
    const p = `:v${v++}`;
    values[p] = x;
    return p;
  };
  const sets: string[] = [];
  const removes: string[] = [];
  const before = change.before as unknown as Record<string, unknown>;
  const after = change.after as unknown as Record<string, unknown>;
  for (const [k, x] of Object.entries(after)) {
    if (ITEM_ATTRIBUTES.has(k) || x === undefined) continue;
    if (k !== 'version' && same(before[k], x)) continue;
    sets.push(`${name(k)} = ${value(x)}`);
  }
  for (const k of Object.keys(before)) {
    if (!ITEM_ATTRIBUTES.has(k) && after[k] === undefined) removes.push(name(k));
  }
  const r = change.after;
  const { queue, due } = change.placement;
  if (queue) {
    sets.push(`${name('queuePk')} = ${value(queuePkOf(queue.queue))}`, `${name('queueSk')} = ${value(queueSkOf(r.urgency, queue.deadline, r.referralId))}`);
  } else {
    removes.push(name('queuePk'), name('queueSk'));
  }
  if (due) {
    sets.push(`${name('duePk')} = ${value('DUE')}`, `${name('dueSk')} = ${value(`${due.at}#${r.referralId}`)}`);
  } else {
    removes.push(name('duePk'), name('dueSk'));
  }
  const deadline = referralDeadlineKeys(r);
  if (deadline) {
    sets.push(`${name('deadlinePk')} = ${value(deadline.deadlinePk)}`, `${name('deadlineSk')} = ${value(deadline.deadlineSk)}`);
  } else {
    removes.push(name('deadlinePk'), name('deadlineSk'));
  }
  const expected = value(change.before.version);
  return {
    TableName: tableName,
    Key: referralKey(change.caseId, change.before.seq),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `${name('version')} = ${expected}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** An event as stored; the tally (codes of the referrals it changed) feeds the statistics. */
export const eventItem = (e: ReferralEvent, tally: TallyEntry[] = []) => ({
  pk: e.caseId ? caseKey(e.caseId).pk : auditPk(e.at),
  sk: eventSk(e.at, e.eventId),
  entity: 'event',
  ...e,
  ...(tally.length > 0 ? { tally } : {}),
});

/** The deadline index keys of a referral held to a deadline now; none once resolved or closed. */
export function referralDeadlineKeys(r: TrackedReferral): { deadlinePk: string; deadlineSk: string } | null {
  const track = escalationTrack(r);
  return track ? deadlineKeys(track.deadline, r.referralId) : null;
}

/** Queue and due index keys of a new referral item. */
export function placementKeys(r: TrackedReferral, p: Placement): Record<string, string> {
  return {
    ...(p.queue ? { queuePk: queuePkOf(p.queue.queue), queueSk: queueSkOf(r.urgency, p.queue.deadline, r.referralId) } : {}),
    ...(p.due ? { duePk: 'DUE', dueSk: `${p.due.at}#${r.referralId}` } : {}),
    ...(referralDeadlineKeys(r) ?? {}),
  };
}

export const prefixed = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v]));
