// The lifecycle catalogue is the one definition of each action: every entry must come out as a
// route (table, handler, OpenAPI), a request schema built from its fields, an event with a label,
// and buttons only where the transition would accept the action.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../../functions/referrals-api/handler.js';
import {
  ALLOWED_FROM,
  applicableActions,
  applyAction,
  EVENT_TYPES,
  LIFECYCLE_EVENT_LABELS,
  REFERRAL_STATUSES,
  referralActionPath,
  STAFF_ACTION_TYPES,
  staffAction,
  SYSTEM_ACTIONS,
  type BodyField,
  type LifecycleAction,
  type StaffActionType,
} from '../../../shared/domain/lifecycle/index.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { API_ROUTES } from '../../../shared/http/routes.js';
import { ACTION_BODIES } from '../../../shared/http/schemas/referral-actions.js';
import { cst, policy, referral } from '../../support/lifecycle-fixtures.js';

const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };

/** A valid value of a body field, for the schema's positive case. */
function validValue(field: BodyField): unknown {
  switch (field.kind) {
    case 'text':
      return '已电话联系';
    case 'choice':
      return field.values[0];
    case 'integer':
      return field.max;
    case 'yes_no':
      return true;
    case 'department':
      return 'justice';
    case 'division':
      return '220722';
  }
}

const validBody = (t: StaffActionType) => Object.fromEntries(Object.entries(staffAction(t).body).map(([name, f]) => [name, validValue(f)]));

/** The action with a valid body (a re-route with its target resolved). */
const actionOf = (t: StaffActionType): LifecycleAction =>
  t === 'reroute' ? { type: 'reroute', to: { department: 'civil_affairs', divisionCode: '222403', jurisdiction: 'county' } } : ({ type: t, ...validBody(t) } as LifecycleAction);
const NOW = cst('2025-10-01 10:00');

describe('the lifecycle action catalogue', () => {
  it('gives every staff action one route: in the route table, the handler and the OpenAPI document, body documented when it takes one', () => {
    const paths = STAFF_ACTION_TYPES.map((t) => referralActionPath(t));
    expect(new Set(paths).size).toBe(paths.length);
    for (const t of STAFF_ACTION_TYPES) {
      const path = referralActionPath(t);
      expect(API_ROUTES).toContainEqual({ method: 'POST', path, functionName: 'referrals-api', auth: 'staff' });
      expect(ROUTE_KEYS).toContain(`POST ${path}`);
      const op = doc.paths[path]?.post;
      expect(op, path).toBeDefined();
      expect(op!.requestBody !== undefined, path).toBe(Object.keys(staffAction(t).body).length > 0);
    }
  });

  it('names every action an event once, and the history has a label for each', () => {
    const events = Object.values(EVENT_TYPES);
    expect(new Set(events).size).toBe(events.length);
    for (const e of events) expect(LIFECYCLE_EVENT_LABELS[e], e).toMatch(/\p{Script=Han}/u);
    expect(Object.keys(ALLOWED_FROM).sort()).toEqual([...STAFF_ACTION_TYPES, ...Object.keys(SYSTEM_ACTIONS)].sort());
  });

  it.each(STAFF_ACTION_TYPES.filter((t) => ACTION_BODIES[t]))(
    'builds the request schema of %s from its fields: a valid body passes, an unknown field and each missing required field fail by name',
    (t) => {
      const schema = ACTION_BODIES[t]!;
      const body = validBody(t);
      expect(schema.safeParse(body).success).toBe(true);
      const extra = schema.safeParse({ ...body, surprise: 1 });
      expect(extra.success).toBe(false);
      for (const [name, field] of Object.entries(staffAction(t).body)) {
        const { [name]: _left, ...without } = body;
        const required = field.kind === 'choice' || field.kind === 'yes_no' || ((field.kind === 'text' || field.kind === 'integer') && field.required);
        const result = schema.safeParse(without);
        if (required)
          expect(
            result.error?.issues.map((i) => i.path.join('.')),
            `${t}.${name}`,
          ).toContain(name);
      }
    },
  );

  it('takes no body where the catalogue lists no field', () => {
    for (const t of STAFF_ACTION_TYPES) expect(ACTION_BODIES[t] === undefined).toBe(Object.keys(staffAction(t).body).length === 0);
  });

  it('re-routing needs a department or a division: the empty body fails on department', () => {
    const result = ACTION_BODIES.reroute!.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['department']);
  });

  it('shows an action exactly where the transition does not refuse it for the referral’s state (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFERRAL_STATUSES), fc.boolean(), fc.boolean(), fc.constantFrom(...STAFF_ACTION_TYPES), (status, pending, finalDecision, t) => {
        const r = {
          ...referral({ status }),
          ...(pending ? { pendingExtension: { workingDays: 3, requestedAt: NOW.toISOString(), requestedBy: 'u' } } : {}),
          ...(finalDecision ? { finalDecision: 'rerouted' as const } : {}),
        };
        const result = applyAction(r, actionOf(t), { now: NOW, actor: { id: 'u', role: 'caseworker' }, clock: policy });
        const refusedForState = !result.ok && result.code === 'invalid_state';
        expect(applicableActions(r).includes(t)).toBe(!refusedForState);
      }),
      { numRuns: 400 },
    );
  });
});
