// Use case: a member of staff acts on a referral (accept, note, return, reroute, extension, resolve,
// follow-up, reopen). Read → authorize (a refusal is recorded) → lifecycle transition → one
// conditional write. Two people changing the same referral at once: one wins, the other gets a
// conflict.
import { authorize, canViewCase, type Actor } from '../../domain/access/policy.js';
import { parseReferralId } from '../../domain/case/case.js';
import { applyAction, type EventActor, type LifecycleAction, type RouteTarget, type StaffCommand, type TrackedReferral } from '../../domain/lifecycle/index.js';
import { buildChange, eventOf } from './change.js';
import { readOnce } from './deferred.js';
import { AccessDeniedError, ConcurrentChangeError, InvalidInputError, InvalidTransitionError, ReferralNotFoundError } from './errors.js';
import type { LoadedCase, ReferralDependencies } from './ports.js';

/** The verified caller: what the token says (see shared/http/auth/principal.ts). */
export interface StaffMember extends Actor {
  subject: string;
}

/** What the API accepts: a staff action of the lifecycle catalogue, with the reroute target still to resolve. */
export type ReferralCommand = StaffCommand;

/** A command whose body is read only once the caller is authorised (see deferred.ts); its type says which permission it needs. */
export interface DeferredCommand {
  type: ReferralCommand['type'];
  read: () => ReferralCommand;
}

export const eventActorOf = (s: StaffMember): EventActor => ({ id: s.subject, role: s.role, department: s.department, divisionCode: s.divisionCode });

const MAX_ATTEMPTS = 4;

async function recordDenial(deps: ReferralDependencies, staff: StaffMember, caseId: string | undefined, referralId: string | undefined, action: string, reason: string) {
  await deps.store.recordEvent(
    eventOf(deps, {
      caseId: caseId ?? '',
      at: deps.now().toISOString(),
      type: 'access_denied',
      actor: eventActorOf(staff),
      referralId,
      details: { action, reason },
    }),
  );
}

function routeTarget(deps: ReferralDependencies, r: TrackedReferral, command: Extract<ReferralCommand, { type: 'reroute' }>): RouteTarget {
  const divisionCode = command.divisionCode ?? r.divisionCode;
  const division = deps.divisions.get(divisionCode);
  if (!division) throw new InvalidInputError('divisionCode', '未知的行政区划代码 (unknown division code)');
  return { department: command.department ?? r.department, divisionCode, jurisdiction: division.level };
}

async function loadReferral(deps: ReferralDependencies, caseId: string, seq: number): Promise<{ loaded: LoadedCase; referral: TrackedReferral }> {
  const loaded = await deps.store.loadCase(caseId);
  const referral = loaded?.referrals.find((r) => r.seq === seq);
  if (!loaded || !referral) throw new ReferralNotFoundError('referral');
  return { loaded, referral };
}

/** Performs the command and returns the referral as stored afterwards. */
export async function performReferralAction(deps: ReferralDependencies, staff: StaffMember, referralId: string, request: ReferralCommand | DeferredCommand): Promise<TrackedReferral> {
  const id = parseReferralId(referralId);
  if (!id) throw new ReferralNotFoundError('referral');
  const policyAction = request.type;
  const actor = eventActorOf(staff);
  const read = readOnce('read' in request ? request.read : request);
  for (let attempt = 1; ; attempt++) {
    const { loaded, referral } = await loadReferral(deps, id.caseId, id.seq);
    const decision = authorize(staff, policyAction, referral);
    if (!decision.allowed) {
      await recordDenial(deps, staff, id.caseId, referralId, policyAction, decision.reason);
      // Someone who cannot see the case is told nothing more than if it did not exist.
      throw new AccessDeniedError(decision.reason, canViewCase(staff, loaded.referrals) ? undefined : 'referral');
    }
    const command = read();
    let action: LifecycleAction;
    if (command.type === 'reroute') {
      const to = routeTarget(deps, referral, command);
      const targetDecision = authorize(staff, 'reroute', referral, to);
      if (!targetDecision.allowed) {
        await recordDenial(deps, staff, id.caseId, referralId, policyAction, targetDecision.reason);
        throw new AccessDeniedError(targetDecision.reason);
      }
      action = { type: 'reroute', to };
    } else {
      action = command;
    }
    const now = deps.now();
    const result = applyAction(referral, action, { now, actor, clock: deps.clock });
    if (!result.ok) {
      if (result.code === 'invalid_input') throw new InvalidInputError(result.field ?? '', result.message);
      throw new InvalidTransitionError(result.message);
    }
    try {
      await deps.store.commit(buildChange(deps, loaded, referral, result.referral, result.event, actor, now));
      return result.referral;
    } catch (err) {
      if (!(err instanceof ConcurrentChangeError)) throw err;
      // The referral itself changed since it was read: the caller acted on an old state.
      if (err.kind === 'stale' || attempt >= MAX_ATTEMPTS) throw err;
      // A sibling or the case changed, or DynamoDB saw two transactions at once: read again.
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 30 * attempt));
    }
  }
}
