// A referral on the case page: where it stands, its deadlines, and the buttons for the lifecycle
// actions this person may take now, each with its form. Buttons and forms come from the lifecycle
// catalogue (shared/domain/lifecycle/catalogue.ts): its states and preconditions, its role matrix
// through the access policy, its body fields. The API remains the judge.
import { authorize, divisionWithin, isProvincial } from '../../../shared/domain/access/policy.js';
import { applicableActions, staffAction, type AnyStaffActionSpec, type BodyField, type StaffActionType } from '../../../shared/domain/lifecycle/catalogue.js';
import type { TrackedReferral } from '../../../shared/domain/lifecycle/referral.js';
import type { ReferralSummary } from '../../../shared/usecases/referrals/view-case.js';
import { ApiError } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { DEPARTMENT_LABELS, ESCALATION_LABELS, label, NEED_LABELS, OUTCOME_LABELS, STATUS_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { countdownEl } from './cells.js';
import { api, divisionName, fillDivisionSelect, flash, loadDivisions, type Session } from './context.js';
import { RECEIVING_DEPARTMENTS } from './departments.js';

/** The referral as the API returns it (JSON). */
export type Referral = TrackedReferral;
export type { ReferralSummary };

export const isSummary = (r: Referral | ReferralSummary): r is ReferralSummary => 'restricted' in r && r.restricted === true;

/** The main step of each stage gets the primary button; the others are secondary. */
const PRIMARY: ReadonlySet<StaffActionType> = new Set(['accept', 'resolve']);

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The actions the catalogue allows in the referral's state and the policy allows her. */
function availableActions(s: Session, r: Referral): StaffActionType[] {
  return applicableActions(r).filter((t) => authorize(s, t, { department: r.department, divisionCode: r.divisionCode, returnCount: r.returnCount }).allowed);
}

// ------------------------------------------------------------------------------ action forms

const options = (table: Readonly<Record<string, string>>, codes: readonly string[]) => codes.map((c) => h('option', { value: c }, label(table, c)));

/** The form control of one body field. */
async function controlOf(s: Session, field: BodyField): Promise<() => Control> {
  switch (field.kind) {
    case 'text':
      return () => h('textarea', { rows: 3, maxlength: 2000, required: field.required });
    case 'choice':
      return () => h('select', {}, ...options(field.labels, field.values));
    case 'yes_no':
      return () => h('select', {}, h('option', { value: 'yes' }, field.yes), h('option', { value: 'no' }, field.no));
    case 'integer': {
      // A short scale (satisfaction 1–5) reads better as a list, best first.
      if (field.max - field.min <= 9) {
        const values = Array.from({ length: field.max - field.min + 1 }, (_, i) => field.max - i);
        return () => h('select', {}, field.required ? null : h('option', { value: '' }, '（未填）'), ...values.map((n) => h('option', { value: n }, `${n} 分`)));
      }
      return () => h('input', { type: 'number', min: field.min, max: field.max, step: 1, value: field.initial ?? field.min, inputmode: 'numeric' });
    }
    case 'department':
      return () => h('select', {}, h('option', { value: '' }, '（不变）'), ...options(DEPARTMENT_LABELS, RECEIVING_DEPARTMENTS));
    case 'division': {
      const divisions = await loadDivisions();
      const home = isProvincial(s) ? divisions.province.code : (s.divisionCode ?? divisions.province.code);
      return () => {
        const select = h('select');
        fillDivisionSelect(select, divisions, { empty: '（不变）', within: (c) => divisionWithin(c, home) });
        return select;
      };
    }
  }
}

/** One field's value for the JSON body; undefined leaves it out. */
function valueOf(field: BodyField, raw: string): unknown {
  const trimmed = raw.trim();
  switch (field.kind) {
    case 'text':
      return field.required ? trimmed : trimmed || undefined;
    case 'yes_no':
      return raw === 'yes';
    case 'integer':
      return trimmed === '' ? undefined : Number(trimmed);
    default:
      return trimmed || undefined;
  }
}

async function perform(r: Referral, spec: AnyStaffActionSpec, body: unknown, onDone: () => Promise<void>, showError: (err: ApiError | Error) => void): Promise<void> {
  try {
    await api('POST', `/referrals/${encodeURIComponent(r.referralId)}/${spec.path}`, body);
    flash(spec.done);
    await onDone();
  } catch (err) {
    showError(err as Error);
    // Someone else changed it meanwhile: show the referral as it is now.
    if (err instanceof ApiError && err.status === 409) await onDone();
  }
}

async function actionForm(s: Session, r: Referral, type: StaffActionType, onDone: () => Promise<void>): Promise<HTMLFormElement> {
  const spec = staffAction(type);
  const fields = Object.entries(spec.body);
  const controls = new Map<string, Control>();
  const errors = new Map<string, HTMLElement>();
  const formError = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': `${spec.label}：${label(NEED_LABELS, r.need)}` });
  for (const [name, field] of fields) {
    const id = `${type}-${name}-${r.seq}`;
    const control = (await controlOf(s, field))();
    const hint = 'hint' in field ? field.hint : undefined;
    control.id = id;
    control.name = name;
    const error = h('p', { class: 'error', id: `${id}-error`, hidden: true });
    control.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
    controls.set(name, control);
    errors.set(name, error);
    form.append(h('div', { class: 'field' }, h('label', { for: id }, field.label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, error));
  }
  const submit = h('button', { type: 'submit' }, `确认${spec.label}`);
  form.append(formError, h('div', { class: 'actions' }, submit));
  const showError = (err: ApiError | Error) => {
    let placed = false;
    if (err instanceof ApiError) {
      for (const f of err.fields) {
        const name = f.path.split('.')[0] ?? '';
        const slot = errors.get(name);
        const control = controls.get(name);
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
    const body = Object.fromEntries(fields.map(([name, field]) => [name, valueOf(field, controls.get(name)?.value ?? '')]));
    submit.disabled = true;
    void perform(r, spec, body, onDone, showError).finally(() => {
      submit.disabled = false;
    });
  });
  return form;
}

// ----------------------------------------------------------------------------------- cards

/** Another department's referral: who has it and where it stands, nothing more. */
export function summaryCard(r: ReferralSummary): HTMLElement {
  return h(
    'article',
    { class: `referral restricted status-${r.status}`, 'aria-labelledby': `referral-${r.seq}`, 'data-referral-id': r.referralId },
    h('h3', { id: `referral-${r.seq}` }, label(DEPARTMENT_LABELS, r.department), ' ', h('span', { class: `status-pill ${r.status}` }, label(STATUS_LABELS, r.status))),
    h('p', { class: 'hint' }, '其他部门承办：只显示承办部门和状态。'),
  );
}

export function referralCard(s: Session, r: Referral, reload: () => Promise<void>): HTMLElement {
  const formSlot = h('div', { class: 'form-slot' });
  const buttons = availableActions(s, r).map((type) => {
    const spec = staffAction(type);
    return h(
      'button',
      {
        type: 'button',
        class: PRIMARY.has(type) ? '' : 'secondary',
        'data-action': type,
        onclick: async () => {
          // An action without a body (签收) is done at once; the others open their form.
          if (Object.keys(spec.body).length === 0) {
            await perform(r, spec, undefined, reload, (err) => flash(err.message, 'error'));
            return;
          }
          formSlot.replaceChildren(await actionForm(s, r, type, reload));
          formSlot.querySelector<HTMLElement>('input, select, textarea')?.focus();
        },
      },
      spec.label,
    );
  });
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
