// The case page: the intake, how it was classified and why, her safe-contact choices, the
// referrals with the lifecycle actions this person may take now, and the event history.
// Which buttons show is decided by the same pure rules the API enforces (the lifecycle's
// ALLOWED_FROM and the access policy's authorize); the API remains the judge.
import { authorize, divisionWithin, isProvincial, type ReferralAction } from '../../../shared/domain/access/policy.js';
import { ALLOWED_FROM } from '../../../shared/domain/lifecycle/transitions.js';
import { ApiError } from '../lib/api.js';
import { compact, h } from '../lib/dom.js';
import {
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  DEPARTMENT_LABELS,
  ESCALATION_LABELS,
  EVENT_LABELS,
  label,
  NEED_LABELS,
  OUTCOME_LABELS,
  RETURN_REASON_LABELS,
  ROLE_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
  URGENCY_SOURCE_LABELS,
} from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { api, currentSession, divisionName, fillDivisionSelect, flash, loadDivisions, type Session } from './context.js';
import { RECEIVING_DEPARTMENTS } from './departments.js';
import { countdownEl, urgencyBadge } from './cells.js';
import { reclassifySection, reviewSection, type ReviewView } from './reviews.js';
import { divisionSource, reasonsForStaff, suppressedForStaff } from './wording.js';

interface Referral {
  referralId: string;
  caseId: string;
  seq: number;
  need: string;
  department: string;
  coDepartments: string[];
  divisionCode: string;
  urgency: string;
  status: 'referred' | 'accepted' | 'returned' | 'resolved' | 'closed' | 'reopened' | 'cancelled';
  signForBy: string;
  completeBy: string | null;
  acceptedAt?: string;
  resolvedAt?: string;
  outcome?: string;
  autoCloseAt?: string;
  closedAt?: string;
  returnCount?: number;
  pendingExtension?: { workingDays: number; requestedAt: string };
  escalationLevel?: number;
  followUp?: { reached: boolean; satisfaction?: number };
  version: number;
}

/** Another department's referral as a department sees it: status and department only (need to know). */
interface ReferralSummary {
  referralId: string;
  seq: number;
  department: string;
  status: Referral['status'];
  restricted: true;
}

/** What shows where her words and details were, once the retention period purged them. */
const PURGED_NOTE = '（个人信息已按保存期限删除，仅保留分类和处理记录）';

const isSummary = (r: Referral | ReferralSummary): r is ReferralSummary => 'restricted' in r && r.restricted === true;

interface CaseEvent {
  eventId: string;
  at: string;
  type: string;
  actor: { id: string; role: string; department?: string | null; divisionCode?: string | null };
  referralId?: string;
  details: Record<string, unknown>;
}

interface CaseView {
  case: {
    caseId: string;
    reference: string;
    channel: string;
    receivedAt: string;
    /** Absent once her personal data was purged (retention). */
    text?: string;
    person?: { name?: string; phone?: string; age?: number };
    location: { divisionCode?: string; township?: string; village?: string };
    contact: { safeToCall?: boolean; safeToSms?: boolean; preferredTime?: string; doNotContact?: boolean };
    consent: { shareWithDepartments: boolean };
    consentOverride: boolean;
    status: string;
    classification: {
      needs: string[];
      urgency: string;
      divisionCode: string | null;
      explanation?: { needs: Record<string, string[]>; urgency: string[]; division: string; suppressed?: string[]; urgencySource?: string; humanSignals?: string[] };
    };
    operatorActions: { code: string; text: string }[];
  };
  referrals: (Referral | ReferralSummary)[];
  events: CaseEvent[];
  review?: ReviewView;
}

type ActionType = Exclude<ReferralAction, 'view'>;

interface ActionSpec {
  type: ActionType;
  label: string;
  path: string;
  done: string;
}

const ACTIONS: ActionSpec[] = [
  { type: 'accept', label: '签收', path: 'accept', done: '已签收，办结时限开始计算。' },
  { type: 'resolve', label: '办结', path: 'resolve', done: '已办结，等待回访。' },
  { type: 'note', label: '添加记录', path: 'notes', done: '记录已添加。' },
  { type: 'request_extension', label: '申请延期', path: 'extension', done: '延期申请已提交，等待主管审批。' },
  { type: 'decide_extension', label: '审批延期', path: 'extension/decision', done: '延期审批已记录。' },
  { type: 'follow_up', label: '回访', path: 'follow-up', done: '回访已记录，转介关闭。' },
  { type: 'return', label: '退回', path: 'return', done: '已退回协调员。' },
  { type: 'reroute', label: '改派', path: 'reroute', done: '已改派。' },
  { type: 'reopen', label: '重新打开', path: 'reopen', done: '已重新打开。' },
];

function availableActions(s: Session, r: Referral): ActionSpec[] {
  return ACTIONS.filter((a) => {
    if (!ALLOWED_FROM[a.type].includes(r.status)) return false;
    if (a.type === 'request_extension' && r.pendingExtension) return false;
    if (a.type === 'decide_extension' && !r.pendingExtension) return false;
    return authorize(s, a.type, { department: r.department, divisionCode: r.divisionCode, returnCount: r.returnCount }).allowed;
  });
}

// ------------------------------------------------------------------------------ action forms

interface FieldSpec {
  name: string;
  label: string;
  control: () => HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  hint?: string;
}

const options = (table: Record<string, string>, codes: readonly string[] = Object.keys(table)) => codes.map((c) => h('option', { value: c }, label(table, c)));
const textarea =
  (required = true) =>
  () =>
    h('textarea', { rows: 3, maxlength: 2000, required });

async function fieldsOf(s: Session, a: ActionType, r: Referral): Promise<FieldSpec[]> {
  switch (a) {
    case 'note':
      return [{ name: 'text', label: '记录内容', control: textarea() }];
    case 'return':
      return [
        { name: 'reason', label: '退回原因', control: () => h('select', {}, ...options(RETURN_REASON_LABELS)) },
        { name: 'note', label: '说明', control: textarea() },
      ];
    case 'request_extension':
      return [
        { name: 'workingDays', label: '延期（工作日）', control: () => h('input', { type: 'number', min: 1, max: 30, step: 1, value: 5, inputmode: 'numeric' }) },
        { name: 'reason', label: '延期原因', control: textarea() },
      ];
    case 'decide_extension':
      return [
        {
          name: 'approve',
          label: `审批：申请延期 ${r.pendingExtension?.workingDays ?? ''} 个工作日`,
          control: () => h('select', {}, h('option', { value: 'yes' }, '批准'), h('option', { value: 'no' }, '不批准')),
        },
      ];
    case 'resolve':
      return [
        { name: 'outcome', label: '办理结果', control: () => h('select', {}, ...options(OUTCOME_LABELS)) },
        { name: 'summary', label: '办理情况', control: textarea() },
        { name: 'reason', label: '原因', hint: '结果不是“已提供服务”时必填', control: textarea(false) },
      ];
    case 'follow_up':
      return [
        { name: 'reached', label: '是否联系上本人', control: () => h('select', {}, h('option', { value: 'yes' }, '已联系上'), h('option', { value: 'no' }, '未联系上')) },
        {
          name: 'satisfaction',
          label: '满意度（1–5）',
          hint: '联系上时必填',
          control: () => h('select', {}, h('option', { value: '' }, '（未填）'), ...[5, 4, 3, 2, 1].map((n) => h('option', { value: n }, `${n} 分`))),
        },
      ];
    case 'reopen':
      return [{ name: 'note', label: '重新打开的原因', control: textarea() }];
    case 'reroute': {
      const divisions = await loadDivisions();
      const home = isProvincial(s) ? divisions.province.code : (s.divisionCode ?? divisions.province.code);
      return [
        { name: 'department', label: '改派部门', control: () => h('select', {}, h('option', { value: '' }, '（不变）'), ...options(DEPARTMENT_LABELS, RECEIVING_DEPARTMENTS)) },
        {
          name: 'divisionCode',
          label: '改派地区',
          control: () => {
            const select = h('select');
            fillDivisionSelect(select, divisions, { empty: '（不变）', within: (c) => divisionWithin(c, home) });
            return select;
          },
        },
      ];
    }
    default:
      return [];
  }
}

function bodyOf(a: ActionType, values: Record<string, string>): unknown {
  const opt = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  switch (a) {
    case 'note':
      return { text: values.text ?? '' };
    case 'return':
      return { reason: values.reason, note: values.note ?? '' };
    case 'request_extension':
      return { workingDays: Number(values.workingDays), reason: values.reason ?? '' };
    case 'decide_extension':
      return { approve: values.approve === 'yes' };
    case 'resolve':
      return { outcome: values.outcome, summary: values.summary ?? '', reason: opt(values.reason) };
    case 'follow_up':
      return values.reached === 'yes' ? { reached: true, satisfaction: values.satisfaction ? Number(values.satisfaction) : undefined } : { reached: false };
    case 'reopen':
      return { note: values.note ?? '' };
    case 'reroute':
      return { department: opt(values.department), divisionCode: opt(values.divisionCode) };
    default:
      return undefined;
  }
}

async function perform(r: Referral, a: ActionSpec, body: unknown, onDone: () => Promise<void>, showError: (err: ApiError | Error) => void): Promise<void> {
  try {
    await api('POST', `/referrals/${encodeURIComponent(r.referralId)}/${a.path}`, body);
    flash(a.done);
    await onDone();
  } catch (err) {
    showError(err as Error);
    // Someone else changed it meanwhile: show the referral as it is now.
    if (err instanceof ApiError && err.status === 409) await onDone();
  }
}

async function actionForm(s: Session, r: Referral, a: ActionSpec, onDone: () => Promise<void>): Promise<HTMLFormElement> {
  const specs = await fieldsOf(s, a.type, r);
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  const errors = new Map<string, HTMLElement>();
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': `${a.label}：${label(NEED_LABELS, r.need)}` });
  for (const spec of specs) {
    const id = `${a.type}-${spec.name}-${r.seq}`;
    const control = spec.control();
    control.id = id;
    control.name = spec.name;
    const error = h('p', { class: 'error', id: `${id}-error`, hidden: true });
    control.setAttribute('aria-describedby', `${id}-error${spec.hint ? ` ${id}-hint` : ''}`);
    controls.set(spec.name, control);
    errors.set(spec.name, error);
    form.append(h('div', { class: 'field' }, h('label', { for: id }, spec.label), control, spec.hint ? h('p', { class: 'hint', id: `${id}-hint` }, spec.hint) : null, error));
  }
  const submit = h('button', { type: 'submit' }, `确认${a.label}`);
  form.append(formError, h('div', { class: 'actions' }, submit));
  const showError = (err: ApiError | Error) => {
    let placed = false;
    if (err instanceof ApiError) {
      for (const f of err.fields) {
        const slot = errors.get(f.path.split('.')[0] ?? '');
        const control = controls.get(f.path.split('.')[0] ?? '');
        if (slot && control) {
          slot.textContent = f.message;
          slot.hidden = false;
          control.setAttribute('aria-invalid', 'true');
          if (!placed) control.focus();
          placed = true;
        }
      }
    }
    if (!placed) {
      formError.textContent = err.message;
      formError.hidden = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    for (const el of errors.values()) el.hidden = true;
    for (const c of controls.values()) c.removeAttribute('aria-invalid');
    formError.hidden = true;
    const values = Object.fromEntries([...controls].map(([k, c]) => [k, c.value]));
    submit.disabled = true;
    void perform(r, a, bodyOf(a.type, values), onDone, showError).finally(() => {
      submit.disabled = false;
    });
  });
  return form;
}

// ----------------------------------------------------------------------------------- render

const yesNo = (v: boolean | undefined) => (v === true ? '可以' : v === false ? '不可以' : '未说明');

function contactSection(c: CaseView['case']): HTMLElement {
  const contact = c.contact ?? {};
  const rows: [string, string][] = [
    ['称呼', c.person?.name ?? '（未留）'],
    ['电话', c.person?.phone ?? '（未留）'],
  ];
  if (!contact.doNotContact) {
    rows.push(['打电话', yesNo(contact.safeToCall)], ['发短信', yesNo(contact.safeToSms)], ['方便联系的时间', contact.preferredTime ?? '（未说明）']);
  }
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'contact-title' },
    h('h2', { id: 'contact-title' }, '联系方式与安全'),
    contact.doNotContact ? h('p', { class: 'alert' }, '她选择了“请不要主动联系我”：不要打电话、不要发短信，等她自己联系。') : null,
    h('dl', { class: 'pairs' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

function explanationSection(c: CaseView['case']): HTMLElement {
  const x = c.classification.explanation;
  const needs = c.classification.needs;
  // Purged with her personal data (its matched words quoted her): the codes are all that is left.
  if (!x) return h('section', { class: 'panel', 'aria-labelledby': 'why-title' }, h('h2', { id: 'why-title' }, '分类说明'), h('p', { class: 'hint' }, PURGED_NOTE));
  const urgencyReasons = reasonsForStaff(x.urgency);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'why-title' },
    h('h2', { id: 'why-title' }, '分类说明'),
    h(
      'dl',
      { class: 'pairs' },
      h('dt', {}, '需求'),
      h(
        'dd',
        {},
        needs.length
          ? h('ul', { class: 'plain' }, ...needs.map((n) => h('li', {}, `${label(NEED_LABELS, n)}：`, h('span', { class: 'terms' }, reasonsForStaff(x.needs[n] ?? []).join('、') || '—'))))
          : '未识别出具体需求（转人工分拣）',
      ),
      h('dt', {}, '紧急程度'),
      h(
        'dd',
        {},
        urgencyBadge(c.classification.urgency),
        ' ',
        h('span', { class: 'source' }, `（${label(URGENCY_SOURCE_LABELS, x.urgencySource ?? 'classifier')}）`),
        ' ',
        h('span', { class: 'terms' }, urgencyReasons.length ? `依据：${urgencyReasons.join('、')}` : '无紧急迹象，按一般处理'),
      ),
      h('dt', {}, '地区'),
      h('dd', {}, `${divisionName(c.classification.divisionCode)}（${divisionSource(x.division)}）`),
      x.suppressed?.length ? [h('dt', {}, '未计入'), h('dd', {}, h('span', { class: 'terms' }, x.suppressed.map(suppressedForStaff).filter(Boolean).join('、')))] : null,
    ),
  );
}

function eventDetail(e: CaseEvent, view: CaseView): string {
  const d = e.details ?? {};
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (e.type) {
    case 'case_created':
      return `需求：${((d.needs as string[]) ?? []).map((n) => label(NEED_LABELS, n)).join('、') || '待分拣'}；紧急程度：${label(URGENCY_LABELS, s(d.urgency))}`;
    case 'accepted':
      return d.completeBy ? `办结时限 ${formatTime(s(d.completeBy))}` : '';
    case 'note_added':
    case 'reopened':
      return s(d.text) || s(d.note);
    case 'returned':
      return `${label(RETURN_REASON_LABELS, s(d.reason))}：${s(d.note)}`;
    case 'rerouted': {
      const to = (d.to ?? {}) as { department?: string; divisionCode?: string };
      return `改派至 ${label(DEPARTMENT_LABELS, to.department)} · ${divisionName(to.divisionCode)}`;
    }
    case 'extension_requested':
      return `申请延期 ${String(d.workingDays)} 个工作日：${s(d.reason)}`;
    case 'extension_decided':
      return d.approve ? `批准延期 ${String(d.workingDays)} 个工作日，新的办结时限 ${formatTime(s(d.completeBy))}` : '不批准延期';
    case 'resolved':
      return `${label(OUTCOME_LABELS, s(d.outcome))}：${s(d.summary)}${d.reason ? `（原因：${s(d.reason)}）` : ''}`;
    case 'followed_up':
      return d.reached ? `已联系上，满意度 ${String(d.satisfaction)}/5` : '未联系上';
    case 'escalated':
      return label(ESCALATION_LABELS, String(d.level ?? ''));
    case 'access_denied':
      return `被拒绝的操作：${s(d.action)}`;
    case 'danger_review_dismissed':
    case 'danger_review_confirmed':
      return s(d.note);
    case 'reclassified': {
      const after = (d.after ?? {}) as { needs?: string[]; urgency?: string };
      return `需求：${(after.needs ?? []).map((n) => label(NEED_LABELS, n)).join('、') || '待分拣'}；紧急程度：${label(URGENCY_LABELS, after.urgency)}；理由：${s(d.reason)}`;
    }
    case 'urgency_changed':
      return `紧急程度调整为 ${label(URGENCY_LABELS, ((d.to ?? {}) as { urgency?: string }).urgency)}`;
    default:
      void view;
      return '';
  }
}

function historySection(view: CaseView): HTMLElement {
  const needOf = new Map(view.referrals.map((r) => [r.referralId, isSummary(r) ? label(DEPARTMENT_LABELS, r.department) : label(NEED_LABELS, r.need)]));
  const events = [...view.events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId.localeCompare(b.eventId)));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, '处理记录'),
    h(
      'ol',
      { class: 'history' },
      ...events.map((e) =>
        h(
          'li',
          { 'data-event-type': e.type },
          h('time', { datetime: e.at }, formatTime(e.at)),
          h('strong', { class: 'event-type' }, label(EVENT_LABELS, e.type)),
          e.referralId ? h('span', { class: 'tag' }, needOf.get(e.referralId) ?? e.referralId) : null,
          h('span', { class: 'actor' }, `${label(ROLE_LABELS, e.actor.role)}${e.actor.department ? ` · ${label(DEPARTMENT_LABELS, e.actor.department)}` : ''}`),
          h('span', { class: 'detail' }, eventDetail(e, view)),
        ),
      ),
    ),
  );
}

/** Another department's referral: who has it and where it stands, nothing more. */
function summaryCard(r: ReferralSummary): HTMLElement {
  return h(
    'article',
    { class: `referral restricted status-${r.status}`, 'aria-labelledby': `referral-${r.seq}`, 'data-referral-id': r.referralId },
    h('h3', { id: `referral-${r.seq}` }, label(DEPARTMENT_LABELS, r.department), ' ', h('span', { class: `status-pill ${r.status}` }, label(STATUS_LABELS, r.status))),
    h('p', { class: 'hint' }, '其他部门承办：只显示承办部门和状态。'),
  );
}

async function referralCard(s: Session, r: Referral, reload: () => Promise<void>): Promise<HTMLElement> {
  const actions = availableActions(s, r);
  const formSlot = h('div', { class: 'form-slot' });
  const buttons = actions.map((a) =>
    h(
      'button',
      {
        type: 'button',
        class: a.type === 'accept' || a.type === 'resolve' ? '' : 'secondary',
        'data-action': a.type,
        onclick: async () => {
          if (a.type === 'accept') {
            await perform(r, a, undefined, reload, (err) => flash(err.message, 'error'));
            return;
          }
          formSlot.replaceChildren(await actionForm(s, r, a, reload));
          formSlot.querySelector<HTMLElement>('input, select, textarea')?.focus();
        },
      },
      a.label,
    ),
  );
  const working = r.status === 'accepted' || r.status === 'reopened';
  return h(
    'article',
    { class: `referral status-${r.status}`, 'aria-labelledby': `referral-${r.seq}`, 'data-referral-id': r.referralId },
    h('h3', { id: `referral-${r.seq}` }, label(NEED_LABELS, r.need), ' ', h('span', { class: `status-pill ${r.status}` }, label(STATUS_LABELS, r.status))),
    h(
      'dl',
      { class: 'pairs' },
      h('dt', {}, '承办部门'),
      h('dd', {}, `${label(DEPARTMENT_LABELS, r.department)} · ${divisionName(r.divisionCode)}`),
      r.coDepartments.length ? [h('dt', {}, '协办部门'), h('dd', {}, r.coDepartments.map((d) => label(DEPARTMENT_LABELS, d)).join('、'))] : null,
      h('dt', {}, '签收时限'),
      h('dd', {}, r.status === 'referred' || r.status === 'returned' ? countdownEl(r.signForBy) : `${formatTime(r.signForBy)}${r.acceptedAt ? `（${formatTime(r.acceptedAt)} 已签收）` : ''}`),
      h('dt', {}, '办结时限'),
      h('dd', {}, working ? countdownEl(r.completeBy) : r.completeBy ? formatTime(r.completeBy) : '签收后开始计时'),
      r.pendingExtension ? [h('dt', {}, '延期申请'), h('dd', {}, `申请延期 ${r.pendingExtension.workingDays} 个工作日，等待主管审批`)] : null,
      r.outcome ? [h('dt', {}, '办理结果'), h('dd', {}, label(OUTCOME_LABELS, r.outcome))] : null,
      r.status === 'resolved' && r.autoCloseAt ? [h('dt', {}, '自动关闭'), h('dd', {}, `未回访将于 ${formatTime(r.autoCloseAt)} 自动关闭`)] : null,
      r.returnCount ? [h('dt', {}, '退回次数'), h('dd', {}, String(r.returnCount))] : null,
      r.escalationLevel ? [h('dt', {}, '督办'), h('dd', {}, label(ESCALATION_LABELS, String(r.escalationLevel)))] : null,
    ),
    buttons.length ? h('div', { class: 'actions', role: 'group', 'aria-label': '可执行的操作' }, ...buttons) : h('p', { class: 'muted' }, '您对这条转介没有可执行的操作。'),
    formSlot,
  );
}

export async function renderCase(view: HTMLElement, caseId: string): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const heading = h('h1', { tabindex: '-1' }, '案件');
  view.replaceChildren(h('p', {}, h('a', { href: '#/queue' }, '← 返回我的待办')), heading, h('p', { class: 'muted', role: 'status' }, '正在加载…'));
  heading.focus();
  await loadDivisions();
  let data: CaseView;
  try {
    data = await api<CaseView>('GET', `/cases/${encodeURIComponent(caseId)}`);
  } catch (err) {
    // The API answers the same 404 for a case that does not exist and for one she may not see.
    const message = err instanceof ApiError && (err.status === 404 || err.status === 403) ? '找不到这个案件：编号有误，或它没有转给您的部门和地区。' : (err as Error).message;
    view.replaceChildren(h('p', {}, h('a', { href: '#/queue' }, '← 返回我的待办')), heading, h('p', { class: 'error', role: 'alert' }, message));
    return;
  }
  const reload = () => renderCase(view, caseId);
  const c = data.case;
  heading.textContent = `案件 ${c.reference}`;
  const place = [divisionName(c.location?.divisionCode ?? c.classification.divisionCode), c.location?.township, c.location?.village].filter(Boolean).join(' ');
  const cards = await Promise.all([...data.referrals].sort((a, b) => a.seq - b.seq).map((r) => (isSummary(r) ? summaryCard(r) : referralCard(s, r, reload))));
  const reclassify = await reclassifySection(s, c, reload);
  view.replaceChildren(
    ...compact([
      h('p', {}, h('a', { href: '#/queue' }, '← 返回我的待办')),
      heading,
      h(
        'dl',
        { class: 'pairs summary' },
        h('dt', {}, '来源'),
        h('dd', {}, label(CHANNEL_LABELS, c.channel)),
        h('dt', {}, '接收时间'),
        h('dd', {}, formatTime(c.receivedAt)),
        h('dt', {}, '紧急程度'),
        h('dd', {}, urgencyBadge(c.classification.urgency)),
        h('dt', {}, '地点'),
        h('dd', {}, place || '（未说明）'),
        h('dt', {}, '案件状态'),
        h('dd', {}, label(CASE_STATUS_LABELS, c.status)),
        h('dt', {}, '同意转介'),
        h('dd', {}, c.consent.shareWithDepartments ? '同意' : c.consentOverride ? '未同意（情况紧急，已依法转介）' : '未同意'),
      ),
      // A pending danger review is the first thing on the page.
      data.review ? reviewSection(s, data.review, reload) : null,
      h('section', { class: 'panel', 'aria-labelledby': 'intake-title' }, h('h2', { id: 'intake-title' }, '求助内容'), h('p', { class: 'intake-text' }, c.text ?? PURGED_NOTE)),
      contactSection(c),
      explanationSection(c),
      reclassify,
      c.operatorActions.length
        ? h('section', { class: 'panel', 'aria-labelledby': 'ops-title' }, h('h2', { id: 'ops-title' }, '处置提示'), h('ul', {}, ...c.operatorActions.map((o) => h('li', {}, o.text))))
        : null,
      h('section', { 'aria-labelledby': 'referrals-title' }, h('h2', { id: 'referrals-title' }, '转介'), ...cards),
      historySection(data),
    ]),
  );
  heading.focus();
}
