// "我的待办": the caller's queue from GET /referrals, most urgent first then by deadline, with the
// sign-for and completion countdowns. Coordinators and provincial staff choose which queue.
import { divisionWithin, isProvincial } from '../../../shared/domain/access/policy.js';
import type { QueueItem, QueueResult } from '../../../shared/usecases/referrals/queue.js';
import { ApiError } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { DEPARTMENT_LABELS, ESCALATION_LABELS, label, NEED_LABELS, STATUS_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { countdownEl, urgencyBadge } from './cells.js';
import { pendingReviewsPanel } from './reviews.js';

export { countdownEl, refreshCountdowns, urgencyBadge } from './cells.js';
import { api, currentSession, divisionName, fillDivisionSelect, loadDivisions, type Session } from './context.js';
import { RECEIVING_DEPARTMENTS } from './departments.js';

type QueueKind = 'all' | 'open' | 'followup' | 'coordinator';

interface QueueFilter {
  kind: QueueKind;
  department?: string;
  divisionCode?: string;
}

/** The filter survives navigation to a case and back (in memory only). */
let filter: QueueFilter | null = null;

// Caseworkers their department's queue; county and prefecture coordinators the referrals returned to
// them; the province's staff all open work of the province (by next deadline).
const defaultFilter = (s: Session): QueueFilter => (s.role === 'caseworker' || s.role === 'supervisor' ? { kind: 'open' } : isProvincial(s) ? { kind: 'all' } : { kind: 'coordinator' });

function queuePath(f: QueueFilter, cursor: string | null): string {
  const q = new URLSearchParams({ status: f.kind === 'followup' ? 'followup' : 'open', limit: '20' });
  if (f.kind === 'all') q.set('scope', 'all');
  else if (f.kind === 'coordinator') q.set('scope', 'returned');
  else if (f.department) q.set('department', f.department);
  if (f.divisionCode) q.set('divisionCode', f.divisionCode);
  if (cursor) q.set('cursor', cursor);
  return `/referrals?${q}`;
}

function signForCell(r: QueueItem): HTMLElement {
  if (r.status === 'referred' || r.status === 'returned') return countdownEl(r.signForBy);
  return h('span', { class: 'muted' }, r.status === 'resolved' ? '—' : '已签收');
}

function completionCell(r: QueueItem): HTMLElement {
  if (r.status === 'resolved') return h('span', { class: 'muted' }, `待回访，${formatTime(r.autoCloseAt)} 自动关闭`);
  if (r.status === 'accepted' || r.status === 'reopened') return countdownEl(r.completeBy);
  return h('span', { class: 'muted' }, '签收后开始计时');
}

function row(r: QueueItem): HTMLTableRowElement {
  const cell = (name: string, ...content: (Node | string | null)[]) => h('td', { 'data-label': name }, h('span', { class: 'cell' }, ...content));
  return h(
    'tr',
    { class: r.urgency === 'emergency' ? 'emergency-row' : undefined, 'data-referral-id': r.referralId },
    cell('编号', h('a', { href: `#/case/${r.caseId}` }, r.reference)),
    cell('需求', label(NEED_LABELS, r.need)),
    cell('部门 · 地区', `${label(DEPARTMENT_LABELS, r.department)} · ${divisionName(r.divisionCode)}`),
    cell('紧急程度', urgencyBadge(r.urgency)),
    cell('状态', label(STATUS_LABELS, r.status), r.pendingExtension ? h('span', { class: 'tag' }, '延期待批') : null, r.returnCount ? h('span', { class: 'tag' }, `退回${r.returnCount}次`) : null),
    cell('签收时限', signForCell(r)),
    cell('办结时限', completionCell(r)),
    cell('督办', r.escalationLevel ? h('span', { class: 'tag warn' }, label(ESCALATION_LABELS, String(r.escalationLevel))) : h('span', { class: 'muted' }, '—')),
  );
}

const QUEUE_TITLES: Record<QueueKind, string> = { all: '全部在办', open: '待处理', followup: '待回访', coordinator: '退回待改派' };

async function filterForm(s: Session, current: QueueFilter, apply: (f: QueueFilter) => void): Promise<HTMLElement> {
  if (s.role === 'caseworker' || s.role === 'supervisor') {
    const tab = (kind: QueueKind) =>
      h('button', { type: 'button', class: current.kind === kind ? 'tab current' : 'tab', 'aria-pressed': String(current.kind === kind), onclick: () => apply({ kind }) }, QUEUE_TITLES[kind]);
    return h('div', { class: 'tab-row', role: 'group', 'aria-label': '队列' }, tab('open'), tab('followup'));
  }
  const divisions = await loadDivisions();
  const home = isProvincial(s) ? divisions.province.code : (s.divisionCode ?? divisions.province.code);
  const kind = h('select', { id: 'queue-kind' }, ...(['all', 'coordinator', 'open', 'followup'] as QueueKind[]).map((k) => h('option', { value: k }, QUEUE_TITLES[k])));
  kind.value = current.kind;
  const department = h('select', { id: 'queue-department' }, h('option', { value: '' }, '（选择部门）'), ...RECEIVING_DEPARTMENTS.map((d) => h('option', { value: d }, label(DEPARTMENT_LABELS, d))));
  department.value = current.department ?? '';
  const division = h('select', { id: 'queue-division' });
  fillDivisionSelect(division, divisions, { within: (c) => divisionWithin(c, home) });
  division.value = current.divisionCode ?? home;
  const form = h(
    'form',
    { class: 'filters', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'queue-kind' }, '队列'), kind),
    h('div', { class: 'field' }, h('label', { for: 'queue-department' }, '部门'), department),
    h('div', { class: 'field' }, h('label', { for: 'queue-division' }, '行政区划'), division),
    h('button', { type: 'submit' }, '查看'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply({ kind: kind.value as QueueKind, department: department.value || undefined, divisionCode: division.value || undefined });
  });
  return form;
}

export async function renderQueue(view: HTMLElement): Promise<void> {
  const s = currentSession();
  if (!s) return;
  filter ??= defaultFilter(s);
  const f = filter;
  const heading = h('h1', { tabindex: '-1' }, '我的待办');
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'queue' },
    h('caption', { class: 'visually-hidden' }, QUEUE_TITLES[f.kind]),
    h('thead', {}, h('tr', {}, ...['编号', '需求', '部门 · 地区', '紧急程度', '状态', '签收时限', '办结时限', '督办'].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, '加载更多');
  const apply = (next: QueueFilter) => {
    filter = next;
    void renderQueue(view);
  };
  // Possible emergencies waiting for a person come before any queue.
  const reviews = await pendingReviewsPanel(s);
  view.replaceChildren(...[heading, reviews, await filterForm(s, f, apply), status, table, more].filter((x): x is HTMLElement => x !== null));
  heading.focus();
  let cursor: string | null = null;
  const load = async () => {
    if (f.kind !== 'coordinator' && f.kind !== 'all' && (s.role === 'coordinator' || s.role === 'admin') && !f.department) {
      status.textContent = '请选择部门后查看该部门的队列。';
      table.hidden = true;
      return;
    }
    try {
      const page = await api<QueueResult>('GET', queuePath(f, cursor));
      body.append(...page.items.map(row));
      cursor = page.cursor;
      more.hidden = !cursor;
      const count = body.children.length;
      status.textContent = count ? `${QUEUE_TITLES[f.kind]}：${count}${cursor ? '+' : ''} 件` : `${QUEUE_TITLES[f.kind]}：目前没有转介。`;
      table.hidden = count === 0;
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : '加载失败，请稍后重试。';
      status.className = 'error';
    }
  };
  more.addEventListener('click', () => void load());
  await load();
}
