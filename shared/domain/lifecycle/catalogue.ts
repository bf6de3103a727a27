// The catalogue of lifecycle actions: every action a person or the system can take on a referral,
// defined once. From this table derive the API routes (shared/http/routes.ts), their request
// schemas and OpenAPI entries (shared/http/schemas/referral-actions.ts), the access policy's role
// matrix (shared/domain/access/policy.ts), the states each action starts from and the event it
// writes (transitions.ts), and the console's buttons, forms and history labels (web/src/console).
// What an action *does* to a referral stays in transitions.ts (applyAction), the one place its
// rules live. docs/lifecycle.md shows adding an action.
//
// Pure data with Chinese labels; no zod here, because the console's browser bundle imports it.
import { OUTCOME_LABELS, RETURN_REASON_LABELS } from '../labels.js';
import type { ActorRole, ReferralDepartment } from '../model.js';
import { MAX_EXTENSION_WORKING_DAYS, OUTCOMES, RETURN_REASONS, type Outcome, type ReferralStatus, type ReturnReason } from './referral.js';

/** What a member of staff asks for: an action's type and its body as the API receives it. */
export type StaffCommand =
  | { type: 'accept' }
  | { type: 'note'; text: string }
  | { type: 'return'; reason: ReturnReason; note: string }
  /** Where to: the department, the division or both (what is left out stays as it is). */
  | { type: 'reroute'; department?: ReferralDepartment; divisionCode?: string }
  | { type: 'request_extension'; workingDays: number; reason: string }
  | { type: 'decide_extension'; approve: boolean }
  | { type: 'resolve'; outcome: Outcome; reason?: string; summary: string }
  | { type: 'follow_up'; reached: boolean; satisfaction?: number }
  | { type: 'reopen'; note: string };

export type StaffActionType = StaffCommand['type'];

/** The body fields of an action, as the API receives them (everything but `type`). */
export type BodyOf<T extends StaffActionType> = Omit<Extract<StaffCommand, { type: T }>, 'type'>;

/**
 * One field of an action's JSON body: its shape (what the API's schema checks and the console's
 * form asks for). Rules between fields ("a reason unless the service was provided") are the
 * transition's, checked once in applyAction.
 */
export type BodyField =
  | { kind: 'text'; label: string; required: boolean; hint?: string }
  | { kind: 'choice'; label: string; values: readonly string[]; labels: Readonly<Record<string, string>> }
  | { kind: 'integer'; label: string; min: number; max: number; required: boolean; initial?: number; hint?: string }
  | { kind: 'yes_no'; label: string; yes: string; no: string }
  /** A receiving department; optional (left out: unchanged). */
  | { kind: 'department'; label: string }
  /** A six-digit division code; optional (left out: unchanged). */
  | { kind: 'division'; label: string };

/**
 * Whom the action is open to, by role: `own` = the referral's department in its division (her
 * department and division are the referral's); `in_division` = the referral's division lies
 * inside hers (for the provincial coordinator, anywhere). A role not listed may not.
 */
export type RoleScope = 'own' | 'in_division';
/** The roles that act on referrals (administrators only read them; ledger officers keep the ledger and see no referral). */
export type StaffRole = Exclude<ActorRole, 'admin' | 'ledger_officer'>;

/** A referral as far as an action's precondition needs to see it. */
export interface ActionState {
  pendingExtension?: unknown;
  finalDecision?: string;
}

/** A condition beyond the status; when it fails the console hides the button and the transition refuses (409) with the message. */
export interface Precondition {
  test: (r: ActionState) => boolean;
  message: string;
}

export interface StaffActionSpec<T extends StaffActionType> {
  /** The path segment after /referrals/{referralId}/. */
  path: string;
  /** What integrators read in the OpenAPI document. */
  summary: string;
  /** The console's button. */
  label: string;
  /** The console's confirmation once it is done. */
  done: string;
  /** The event type written, and how the case history names it. */
  event: string;
  eventLabel: string;
  /** The statuses it may start from. */
  from: readonly ReferralStatus[];
  roles: Partial<Record<StaffRole, RoleScope>>;
  /** Its body, field by field; `{}` for an action without a body. */
  body: { [F in keyof BodyOf<T>]-?: BodyField };
  /** Body rule: at least one of these fields is given. */
  oneOf?: readonly (keyof BodyOf<T> & string)[];
  applies?: Precondition;
}

const text = (label: string, required = true, hint?: string): BodyField => ({ kind: 'text', label, required, ...(hint ? { hint } : {}) });
const CASEWORKERS = { caseworker: 'own', supervisor: 'own' } as const;

export const STAFF_ACTIONS: { [T in StaffActionType]: StaffActionSpec<T> } = {
  accept: {
    path: 'accept',
    summary: 'sign for a referral (签收)',
    label: '签收',
    done: '已签收，办结时限开始计算。',
    event: 'accepted',
    eventLabel: '签收',
    from: ['referred'],
    roles: CASEWORKERS,
    body: {},
  },
  resolve: {
    path: 'resolve',
    summary: 'resolve (办结) with an outcome; a reason unless the outcome is service_provided',
    label: '办结',
    done: '已办结，等待回访。',
    event: 'resolved',
    eventLabel: '办结',
    from: ['accepted', 'reopened'],
    roles: CASEWORKERS,
    body: {
      outcome: { kind: 'choice', label: '办理结果', values: OUTCOMES, labels: OUTCOME_LABELS },
      summary: text('办理情况'),
      reason: text('原因', false, '结果不是“已提供服务”时必填'),
    },
  },
  note: {
    path: 'notes',
    summary: 'add a note',
    label: '添加记录',
    done: '记录已添加。',
    event: 'note_added',
    eventLabel: '添加记录',
    from: ['referred', 'accepted', 'returned', 'resolved', 'reopened'],
    roles: { ...CASEWORKERS, coordinator: 'in_division' },
    body: { text: text('记录内容') },
  },
  request_extension: {
    path: 'extension',
    summary: 'ask for an extension in working days',
    label: '申请延期',
    done: '延期申请已提交，等待主管审批。',
    event: 'extension_requested',
    eventLabel: '申请延期',
    from: ['accepted', 'reopened'],
    roles: CASEWORKERS,
    body: {
      workingDays: { kind: 'integer', label: '延期（工作日）', min: 1, max: MAX_EXTENSION_WORKING_DAYS, required: true, initial: 5 },
      reason: text('延期原因'),
    },
    applies: { test: (r) => !r.pendingExtension, message: '已有待审批的延期申请 (an extension request is already waiting for a decision)' },
  },
  decide_extension: {
    path: 'extension/decision',
    summary: 'decide an extension (supervisors)',
    label: '审批延期',
    done: '延期审批已记录。',
    event: 'extension_decided',
    eventLabel: '延期审批',
    from: ['accepted', 'reopened'],
    roles: { supervisor: 'own' },
    body: { approve: { kind: 'yes_no', label: '审批延期申请', yes: '批准', no: '不批准' } },
    applies: { test: (r) => Boolean(r.pendingExtension), message: '没有待审批的延期申请 (no extension request is waiting for a decision)' },
  },
  follow_up: {
    path: 'follow-up',
    summary: 'record the follow-up call (回访); satisfaction 1–5 when she was reached',
    label: '回访',
    done: '回访已记录，转介关闭。',
    event: 'followed_up',
    eventLabel: '回访',
    from: ['resolved'],
    roles: CASEWORKERS,
    body: {
      reached: { kind: 'yes_no', label: '是否联系上本人', yes: '已联系上', no: '未联系上' },
      satisfaction: { kind: 'integer', label: '满意度（1–5）', min: 1, max: 5, required: false, hint: '联系上时必填' },
    },
  },
  return: {
    path: 'return',
    summary: 'return to the coordinator (退回)',
    label: '退回',
    done: '已退回协调员。',
    event: 'returned',
    eventLabel: '退回',
    from: ['referred', 'accepted', 'reopened'],
    roles: CASEWORKERS,
    // After two returns the provincial coordinator decided (终审): the department must take it.
    applies: { test: (r) => !r.finalDecision, message: '省级协调员已终审，不能再退回 (the provincial coordinator made the final decision; it cannot be returned again)' },
    body: {
      reason: { kind: 'choice', label: '退回原因', values: RETURN_REASONS, labels: RETURN_REASON_LABELS },
      note: text('说明'),
    },
  },
  reroute: {
    path: 'reroute',
    summary: 're-route to a department or division (coordinators)',
    label: '改派',
    done: '已改派。',
    event: 'rerouted',
    eventLabel: '改派',
    from: ['referred', 'returned'],
    roles: { coordinator: 'in_division' },
    body: { department: { kind: 'department', label: '改派部门' }, divisionCode: { kind: 'division', label: '改派地区' } },
    oneOf: ['department', 'divisionCode'],
  },
  reopen: {
    path: 'reopen',
    summary: 'reopen a closed referral',
    label: '重新打开',
    done: '已重新打开。',
    event: 'reopened',
    eventLabel: '重新打开',
    from: ['closed'],
    roles: { ...CASEWORKERS, coordinator: 'in_division' },
    body: { note: text('重新打开的原因') },
  },
};

/** A catalogue entry read without its action's types (for code that handles every action alike). */
export type AnyStaffActionSpec = Omit<StaffActionSpec<StaffActionType>, 'body' | 'oneOf'> & { body: Readonly<Record<string, BodyField>>; oneOf?: readonly string[] };

export const staffAction = (t: StaffActionType): AnyStaffActionSpec => STAFF_ACTIONS[t] as unknown as AnyStaffActionSpec;

/** The staff actions in the order the console shows their buttons. */
export const STAFF_ACTION_TYPES = Object.keys(STAFF_ACTIONS) as StaffActionType[];

/** What the system does by itself (the escalation run): no route, no role. */
export const SYSTEM_ACTIONS = {
  /** Raise the escalation of the current deadline by one level, if a level is due. */
  escalate: { event: 'escalated', eventLabel: '督办', from: ['referred', 'returned', 'accepted', 'reopened'] },
  /** Close a resolved referral nobody followed up once its auto-close time has passed. */
  auto_close: { event: 'auto_closed', eventLabel: '自动关闭', from: ['resolved'] },
} as const satisfies Record<string, { event: string; eventLabel: string; from: readonly ReferralStatus[] }>;

export type SystemActionType = keyof typeof SYSTEM_ACTIONS;
export type LifecycleActionType = StaffActionType | SystemActionType;

const specOf = (t: LifecycleActionType): { event: string; eventLabel: string; from: readonly ReferralStatus[] } =>
  t in STAFF_ACTIONS ? STAFF_ACTIONS[t as StaffActionType] : SYSTEM_ACTIONS[t as SystemActionType];

const ALL_TYPES: LifecycleActionType[] = [...STAFF_ACTION_TYPES, ...(Object.keys(SYSTEM_ACTIONS) as SystemActionType[])];
const byType = <V>(f: (t: LifecycleActionType) => V) => Object.fromEntries(ALL_TYPES.map((t) => [t, f(t)])) as Record<LifecycleActionType, V>;

/** The statuses each action may start from. */
export const ALLOWED_FROM: Record<LifecycleActionType, readonly ReferralStatus[]> = byType((t) => specOf(t).from);

/** Event type written for each action. */
export const EVENT_TYPES: Record<LifecycleActionType, string> = byType((t) => specOf(t).event);

/** How the case history names each lifecycle event (by event type). */
export const LIFECYCLE_EVENT_LABELS: Record<string, string> = Object.fromEntries(ALL_TYPES.map((t) => [specOf(t).event, specOf(t).eventLabel]));

/** The API path of a staff action on a referral. */
export const referralActionPath = (t: StaffActionType) => `/referrals/{referralId}/${STAFF_ACTIONS[t].path}`;

/** The precondition an action has beyond its status, if any. */
export const preconditionOf = (t: LifecycleActionType): Precondition | undefined => (t in STAFF_ACTIONS ? staffAction(t as StaffActionType).applies : undefined);

/** The staff actions that apply to a referral in its current state (before asking who may). */
export function applicableActions(r: ActionState & { status: ReferralStatus }): StaffActionType[] {
  return STAFF_ACTION_TYPES.filter((t) => STAFF_ACTIONS[t].from.includes(r.status) && (preconditionOf(t)?.test(r) ?? true));
}
