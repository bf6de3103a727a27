// 危险研判: the pending danger reviews of the caller's division, shown above every queue so that
// a possible emergency is looked at before routine work; and, on a case page, the decision form
// (confirm → the case becomes an emergency; dismiss with a note) and the coordinators' correction
// of the classification. The API decides who may; these views only hide what would be refused.
import type { DangerReview } from '../../../shared/domain/triage/danger-review.js';
import { authorizeCaseAction, type Actor } from '../../../shared/domain/access/policy.js';
import { NEEDS, PROVINCE_CODE, URGENCIES } from '../../../shared/domain/model.js';
import { ApiError } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { ESCALATION_LABELS, label, NEED_LABELS, REVIEW_REASON_LABELS, REVIEW_STATUS_LABELS, URGENCY_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { api, divisionName, fillDivisionSelect, flash, loadDivisions } from './context.js';
import { countdownEl } from './cells.js';

/** A danger review as the review panel reads it (the API's DangerReview; GET /reviews lists the same). */
export type ReviewView = Pick<DangerReview, 'caseId' | 'reference' | 'divisionCode' | 'status' | 'reasons' | 'cues' | 'dueAt' | 'decidedAt' | 'note' | 'escalationLevel'>;

/** A cue as staff read it: the rule's word, or what the n-gram model's score means. */
const cueLabel = (c: string) => (c.startsWith('model:') ? '与以往的紧急求助相似' : (c.split(':')[1]?.trim() ?? c));

const mayListReviews = (s: Actor) => s.role === 'coordinator' || s.role === 'supervisor' || s.role === 'admin';

/** The "待确认的危险研判" panel; nothing when the person reviews nothing or none is pending. */
export async function pendingReviewsPanel(s: Actor): Promise<HTMLElement | null> {
  if (!mayListReviews(s)) return null;
  let items: ReviewView[];
  try {
    items = (await api<{ items: ReviewView[] }>('GET', '/reviews')).items;
  } catch {
    return h('p', { class: 'error', role: 'alert' }, '危险研判列表加载失败，请刷新页面。');
  }
  if (items.length === 0) return null;
  return h(
    'section',
    { class: 'panel reviews', 'aria-labelledby': 'reviews-title' },
    h('h2', { id: 'reviews-title' }, `待确认的危险研判（${items.length}）`),
    h('p', { class: 'hint' }, '系统提示这些求助可能有紧急危险：请在时限内打开案件，确认为紧急或说明理由后排除。'),
    h(
      'ul',
      { class: 'review-list' },
      ...items.map((r) =>
        h(
          'li',
          { class: 'emergency-row', 'data-case-id': r.caseId },
          h('a', { href: `#/case/${r.caseId}` }, r.reference),
          ` ${divisionName(r.divisionCode)} · `,
          r.reasons.map((x) => label(REVIEW_REASON_LABELS, x)).join('、'),
          ' · ',
          countdownEl(r.dueAt),
          r.escalationLevel ? h('span', { class: 'tag warn' }, label(ESCALATION_LABELS, String(r.escalationLevel))) : null,
        ),
      ),
    ),
  );
}

function formError(form: HTMLFormElement): (err: Error) => void {
  const slot = h('p', { class: 'error', role: 'alert', hidden: true });
  form.append(slot);
  return (err) => {
    slot.textContent = err instanceof ApiError && err.fields.length ? err.fields.map((f) => f.message).join('；') : err.message;
    slot.hidden = false;
  };
}

/** The review box of a case page: its state, the cues, and for those who may, the decision. */
export function reviewSection(s: Actor, review: ReviewView, reload: () => Promise<void>): HTMLElement {
  const pending = review.status === 'pending';
  const may = pending && authorizeCaseAction(s, 'decide_review', { divisionCode: review.divisionCode }).allowed;
  const section = h(
    'section',
    { class: pending ? 'panel review pending' : 'panel review', 'aria-labelledby': 'review-title' },
    h('h2', { id: 'review-title' }, `危险研判：${label(REVIEW_STATUS_LABELS, review.status)}`),
    h(
      'dl',
      { class: 'pairs' },
      h('dt', {}, '原因'),
      h('dd', {}, review.reasons.map((x) => label(REVIEW_REASON_LABELS, x)).join('、')),
      review.cues.length ? [h('dt', {}, '提示词'), h('dd', {}, h('span', { class: 'terms' }, review.cues.map(cueLabel).join('、')))] : null,
      h('dt', {}, pending ? '确认时限' : '决定时间'),
      h('dd', {}, pending ? countdownEl(review.dueAt) : formatTime(review.decidedAt)),
      review.note ? [h('dt', {}, '说明'), h('dd', {}, review.note)] : null,
    ),
  );
  if (!may) return section;
  const note = h('textarea', { id: 'review-note', rows: 2, maxlength: 2000 });
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': '危险研判' }, h('div', { class: 'field' }, h('label', { for: 'review-note' }, '说明（排除时必填）'), note));
  const showError = formError(form);
  const decide = (confirm: boolean) => async () => {
    try {
      await api('POST', `/cases/${encodeURIComponent(review.caseId)}/danger-review`, { confirm, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
      flash(confirm ? '已确认为紧急：已按紧急情况通知相关部门。' : '已排除，并记录了理由。');
      await reload();
    } catch (err) {
      showError(err as Error);
    }
  };
  form.append(
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'danger', 'data-action': 'confirm-review', onclick: decide(true) }, '确认为紧急'),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'dismiss-review', onclick: decide(false) }, '排除'),
    ),
  );
  section.append(form);
  return section;
}

/** A coordinator's correction of needs, urgency and division (POST /cases/{id}/classification). */
export async function reclassifySection(
  s: Actor,
  c: { caseId: string; classification: { needs: string[]; urgency: string; divisionCode: string | null } },
  reload: () => Promise<void>,
): Promise<HTMLElement | null> {
  const scope = { divisionCode: c.classification.divisionCode ?? PROVINCE_CODE };
  if (!authorizeCaseAction(s, 'reclassify', scope).allowed) return null;
  const divisions = await loadDivisions();
  const boxes = NEEDS.map((n) => {
    const box = h('input', { type: 'checkbox', id: `reclass-${n}`, value: n });
    box.checked = c.classification.needs.includes(n);
    return h('label', { class: 'check', for: `reclass-${n}` }, box, ` ${label(NEED_LABELS, n)}`);
  });
  const urgency = h('select', { id: 'reclass-urgency' }, ...URGENCIES.map((u) => h('option', { value: u }, label(URGENCY_LABELS, u))));
  urgency.value = c.classification.urgency;
  const division = h('select', { id: 'reclass-division' });
  fillDivisionSelect(division, divisions, { within: (code) => authorizeCaseAction(s, 'reclassify', scope, { divisionCode: code }).allowed });
  division.value = c.classification.divisionCode ?? '';
  const reason = h('textarea', { id: 'reclass-reason', rows: 2, maxlength: 2000, required: true });
  const form = h(
    'form',
    { class: 'action-form', novalidate: true, hidden: true, 'aria-label': '更正分类' },
    h('fieldset', {}, h('legend', {}, '需求'), ...boxes),
    h('div', { class: 'field' }, h('label', { for: 'reclass-urgency' }, '紧急程度'), urgency),
    h('div', { class: 'field' }, h('label', { for: 'reclass-division' }, '行政区划'), division),
    h('div', { class: 'field' }, h('label', { for: 'reclass-reason' }, '更正理由（必填）'), reason),
  );
  const showError = formError(form);
  const submit = h('button', { type: 'submit' }, '确认更正');
  form.append(h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const needs = boxes
      .map((b) => b.querySelector('input')!)
      .filter((b) => b.checked)
      .map((b) => b.value);
    submit.disabled = true;
    api<{ added: string[]; cancelled: string[]; rerouted: string[]; withheld: string[] }>('POST', `/cases/${encodeURIComponent(c.caseId)}/classification`, {
      needs,
      urgency: urgency.value,
      divisionCode: division.value || null,
      reason: reason.value.trim(),
    })
      .then(async (r) => {
        flash(`已更正：新增转介 ${r.added.length} 条，撤销 ${r.cancelled.length} 条，改派 ${r.rerouted.length} 条${r.withheld.length ? `；${r.withheld.length} 项因未获同意未转介` : ''}。`);
        await reload();
      })
      .catch((err: Error) => showError(err))
      .finally(() => {
        submit.disabled = false;
      });
  });
  const open = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'data-action': 'reclassify',
      onclick: () => {
        form.hidden = !form.hidden;
        if (!form.hidden) boxes[0]?.querySelector('input')?.focus();
      },
    },
    '更正分类',
  );
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'reclass-title' },
    h('h2', { id: 'reclass-title' }, '更正分类'),
    h('p', { class: 'hint' }, '新增的需求会转给相应部门，去掉的需求中尚未办结的转介会撤销并通知部门，地区变化时未签收的转介会改派。'),
    open,
    form,
  );
}
