// A change of a case's classification by a person (a coordinator's correction, a confirmed danger
// review) and what it does to the referrals. Pure: clock, routing and ids come in.
//
// - A need added becomes a new referral to its lead department in the case's division (notified
//   as any new referral), as far as her consent allows: all needs with consent; without it only an
//   emergency's override needs (the same rule as at intake).
// - A need removed cancels its referrals that are still open (referred, returned, accepted,
//   reopened): status `cancelled`, out of every queue; the department is told. Resolved and closed
//   referrals are history and stay as they are.
// - A changed division re-routes the open referrals that nobody signed for yet (referred,
//   returned) to the same need's lead department in the new division; signed-for work stays with
//   the department doing it.
// - A changed urgency applies to every open referral: raised, the deadlines become the earlier of
//   the current ones (when still ahead) and those of the new urgency from now; lowered, they are counted again from
//   when each clock started. Escalation of the current deadline starts over.
import type { Classification } from '../classification/types.js';
import type { DivisionIndex } from '../divisions/divisions.js';
import type { LifecycleClock, TrackedReferral } from '../lifecycle/referral.js';
import { MANUAL_TRIAGE, urgencyRank, type Need, type Urgency } from '../model.js';
import { resolveJurisdiction, route, type RoutingTable } from '../routing/routing.js';
import { referralIdOf, referralsToSend, type CaseRecord } from './case.js';

export interface ClassificationTarget {
  needs: Need[];
  urgency: Urgency;
  divisionCode: string | null;
}

export interface ReferralUpdate {
  before: TrackedReferral;
  after: TrackedReferral;
  /** What happened to it: for the event. */
  changes: ('cancelled' | 'rerouted' | 'urgency')[];
}

export interface ReclassificationPlan {
  classification: Classification;
  updates: ReferralUpdate[];
  added: TrackedReferral[];
  /** Added needs that were not referred because she did not consent (and it is not an emergency). */
  withheld: Need[];
  /** Nothing at all changes. */
  unchanged: boolean;
}

const OPEN: readonly TrackedReferral['status'][] = ['referred', 'returned', 'accepted', 'reopened'];
const UNSIGNED: readonly TrackedReferral['status'][] = ['referred', 'returned'];

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
/** The current deadline when it is still ahead and earlier than the fresh one; else the fresh one (a raise never makes work overdue at once). */
const earlier = (current: string, fresh: Date, now: Date) => {
  const t = Date.parse(current);
  return t > now.getTime() && t <= fresh.getTime() ? current : fresh.toISOString();
};

function withoutEscalation(r: TrackedReferral): TrackedReferral {
  const { escalatedAt: _a, escalationKind: _k, ...rest } = r;
  return { ...rest, escalationLevel: 0 };
}

export function planReclassification(args: {
  case: Pick<CaseRecord, 'caseId' | 'reference' | 'classification' | 'consent' | 'text'> & Partial<Pick<CaseRecord, 'channel'>>;
  referrals: readonly TrackedReferral[];
  target: ClassificationTarget;
  /** Who decided: a staff correction or a confirmed danger review (the explanation says so). */
  source: 'staff' | 'review';
  routing: RoutingTable;
  divisions: DivisionIndex;
  clock: Pick<LifecycleClock, 'signForBy' | 'completeBy'>;
  now: Date;
}): ReclassificationPlan {
  const { target, now, clock } = args;
  const current = args.case.classification;
  const at = now.toISOString();
  const place = resolveJurisdiction(target.divisionCode, args.divisions);
  const routedByNeed = new Map(route({ needs: target.needs, divisionCode: target.divisionCode, text: args.case.text }, args.routing, args.divisions).map((r) => [r.need, r]));
  const wanted = new Set<string>(target.needs.length > 0 ? target.needs : [MANUAL_TRIAGE]);

  const updates: ReferralUpdate[] = [];
  for (const before of args.referrals) {
    if (!OPEN.includes(before.status)) continue;
    const changes: ReferralUpdate['changes'] = [];
    let after: TrackedReferral = { ...before };
    if (!wanted.has(before.need)) {
      after = { ...withoutEscalation(after), status: 'cancelled', cancelledAt: at } as TrackedReferral;
      changes.push('cancelled');
    } else {
      if (UNSIGNED.includes(before.status) && before.divisionCode !== place.divisionCode) {
        const routed = routedByNeed.get(before.need as Need) ?? { department: MANUAL_TRIAGE, coDepartments: [] };
        after = {
          ...withoutEscalation(after),
          status: 'referred',
          department: routed.department,
          coDepartments: [...routed.coDepartments],
          divisionCode: place.divisionCode,
          jurisdiction: place.jurisdiction,
          reroutedAt: at,
          signForBy: clock.signForBy(now, target.urgency).toISOString(),
        };
        changes.push('rerouted');
      }
      if (before.urgency !== target.urgency) {
        const raised = urgencyRank(target.urgency) > urgencyRank(before.urgency);
        after = { ...withoutEscalation(after), urgency: target.urgency };
        if (UNSIGNED.includes(after.status) && !changes.includes('rerouted')) {
          after.signForBy = raised
            ? earlier(after.signForBy, clock.signForBy(now, target.urgency), now)
            : clock.signForBy(new Date(after.reroutedAt ?? after.referredAt), target.urgency).toISOString();
        } else if (after.completeBy) {
          const started = new Date(after.completionStartedAt ?? after.acceptedAt ?? at);
          const fresh = clock.completeBy(raised ? now : started, target.urgency, after.approvedExtensionDays ?? 0);
          after.completeBy = raised ? earlier(after.completeBy, fresh, now) : fresh.toISOString();
        }
        changes.push('urgency');
      }
    }
    if (changes.length === 0) continue;
    after.version = before.version + 1;
    after.updatedAt = at;
    updates.push({ before, after, changes });
  }

  // Needs (or manual triage) without a referral that is still going on or done: a new referral each.
  const covered = new Set(args.referrals.filter((r) => r.status !== 'cancelled').map((r) => r.need as string));
  for (const u of updates) if (u.after.status === 'cancelled') covered.delete(u.before.need);
  const missing = route({ needs: target.needs, divisionCode: target.divisionCode, text: args.case.text }, args.routing, args.divisions).filter((r) => !covered.has(r.need));
  const consent = args.case.consent.shareWithDepartments;
  const { send } = referralsToSend(missing, consent, target.urgency, args.routing);
  const withheld = missing.filter((m) => !send.includes(m) && m.need !== MANUAL_TRIAGE).map((m) => m.need as Need);
  let seq = Math.max(0, ...args.referrals.map((r) => r.seq));
  const added: TrackedReferral[] = send.map((r) => {
    seq++;
    return {
      ...r,
      referralId: referralIdOf(args.case.caseId, seq),
      caseId: args.case.caseId,
      reference: args.case.reference,
      channel: args.case.channel,
      seq,
      urgency: target.urgency,
      status: 'referred',
      referredAt: at,
      signForBy: clock.signForBy(now, target.urgency).toISOString(),
      completeBy: null,
      consentOverride: !consent,
      version: 1,
    };
  });

  // Shown to staff beside the machine's reasons: who decided, in their language.
  const decidedBy = args.source === 'review' ? '危险研判确认' : '人工更正';
  const unchanged =
    updates.length === 0 && added.length === 0 && sameSet(current.needs, target.needs) && current.urgency === target.urgency && (current.divisionCode ?? null) === (target.divisionCode ?? null);
  const classification: Classification = {
    needs: [...target.needs],
    urgency: target.urgency,
    divisionCode: target.divisionCode,
    explanation: {
      ...current.explanation,
      needs: Object.fromEntries(target.needs.map((n) => [n, current.explanation.needs[n] ?? [decidedBy]])),
      urgency: current.urgency === target.urgency ? current.explanation.urgency : [decidedBy],
      urgencySource: current.urgency === target.urgency ? current.explanation.urgencySource : args.source,
      division: (current.divisionCode ?? null) === (target.divisionCode ?? null) ? current.explanation.division : `${decidedBy}: ${target.divisionCode ?? '—'}`,
    },
  };
  return { classification, updates, added, withheld, unchanged };
}
