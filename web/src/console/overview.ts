// The supervisors' overview (GET /reports/overview): open referrals by status and urgency, and
// the overdue ones, for the caller's scope, with a bar chart drawn as inline SVG (no library).
import { divisionWithin, isProvincial } from '../../../shared/domain/access/policy.js';
import { OPEN_STATUSES } from '../../../shared/domain/case/case.js';
import type { Overview } from '../../../shared/usecases/reports-overview.js';
import { ApiError } from '../lib/api.js';
import { compact, h, svg } from '../lib/dom.js';
import { DEPARTMENT_LABELS, ESCALATION_LABELS, label, NEED_LABELS, ROLE_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../lib/labels.js';
import { formatTime, span } from '../lib/time.js';
import { api, currentSession, divisionName, fillDivisionSelect, loadDivisions } from './context.js';
import { RECEIVING_DEPARTMENTS } from './departments.js';
import { urgencyBadge } from './queue.js';

const KIND_LABELS: Record<string, string> = { sign_for: '超时未签收', completion: '超时未办结', reroute: '超时未改派' };

/** A horizontal bar chart: one labelled bar per entry, its value written at the end of the bar. */
export function barChart(title: string, entries: [string, number, string?][]): HTMLElement {
  const rowHeight = 30;
  // Room for the longest label (13 px characters), so that 人力资源和社会保障 is not cut.
  const labelWidth = Math.max(96, 14 * Math.max(0, ...entries.map(([name]) => name.length)) + 12);
  const width = labelWidth + 224;
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${entries.length * rowHeight}`, width: '100%', role: 'img', 'aria-label': `${title}：${entries.map(([k, v]) => `${k} ${v}`).join('，')}`, class: 'chart' },
    ...entries.map(([name, value, cls], i) => {
      const y = i * rowHeight;
      const w = Math.round(((width - labelWidth - 40) * value) / max);
      return svg(
        'g',
        { class: `bar ${cls ?? ''}` },
        svg('text', { x: labelWidth - 8, y: y + 20, 'text-anchor': 'end', class: 'bar-label' }, name),
        svg('rect', { x: labelWidth, y: y + 6, width: Math.max(w, value > 0 ? 2 : 0), height: rowHeight - 12, rx: 3 }),
        svg('text', { x: labelWidth + w + 6, y: y + 20, class: 'bar-value' }, String(value)),
      );
    }),
  );
  return h('figure', { class: 'panel chart-panel' }, h('figcaption', {}, title), chart);
}

export async function renderOverview(view: HTMLElement, params: { divisionCode?: string; department?: string } = {}): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const heading = h('h1', { tabindex: '-1' }, '概览');
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  view.replaceChildren(heading, status);
  heading.focus();
  const divisions = await loadDivisions();
  let filters: HTMLElement | null = null;
  if (s.role === 'coordinator' || s.role === 'admin') {
    const home = isProvincial(s) ? divisions.province.code : (s.divisionCode ?? divisions.province.code);
    const division = h('select', { id: 'overview-division' });
    fillDivisionSelect(division, divisions, { within: (c) => divisionWithin(c, home) });
    division.value = params.divisionCode ?? home;
    const department = h(
      'select',
      { id: 'overview-department' },
      h('option', { value: '' }, '（全部部门）'),
      ...RECEIVING_DEPARTMENTS.map((d) => h('option', { value: d }, label(DEPARTMENT_LABELS, d))),
    );
    department.value = params.department ?? '';
    filters = h(
      'form',
      { class: 'filters', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'overview-division' }, '行政区划'), division),
      h('div', { class: 'field' }, h('label', { for: 'overview-department' }, '部门'), department),
      h('button', { type: 'submit' }, '查看'),
    );
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      void renderOverview(view, { divisionCode: division.value === home ? undefined : division.value || undefined, department: department.value || undefined });
    });
  }
  const q = new URLSearchParams();
  if (params.divisionCode) q.set('divisionCode', params.divisionCode);
  if (params.department) q.set('department', params.department);
  let data: Overview;
  try {
    data = await api<Overview>('GET', `/reports/overview${q.toString() ? `?${q}` : ''}`);
  } catch (err) {
    status.textContent = err instanceof ApiError && err.status === 403 ? '您无权查看这个范围的概览。' : (err as Error).message;
    status.className = 'error';
    return;
  }
  const scope = data.scope.all
    ? '全省'
    : [
        params.department ? label(DEPARTMENT_LABELS, params.department) : data.scope.department ? label(DEPARTMENT_LABELS, data.scope.department) : '',
        divisionName(params.divisionCode ?? data.scope.divisionCode),
      ]
        .filter(Boolean)
        .join(' · ');
  const statusEntries: [string, number, string?][] = OPEN_STATUSES.map((k) => [label(STATUS_LABELS, k), data.byStatus[k] ?? 0, k]);
  const urgencyEntries: [string, number, string?][] = (['emergency', 'urgent', 'routine'] as const).map((k) => [label(URGENCY_LABELS, k), data.byUrgency[k] ?? 0, k]);
  const overdueRows = data.overdue.items.map((o) =>
    h(
      'tr',
      {},
      h('td', { 'data-label': '编号' }, h('a', { href: `#/case/${o.caseId}` }, o.reference)),
      h('td', { 'data-label': '需求' }, label(NEED_LABELS, o.need)),
      h('td', { 'data-label': '部门 · 地区' }, `${label(DEPARTMENT_LABELS, o.department)} · ${divisionName(o.divisionCode)}`),
      h('td', { 'data-label': '紧急程度' }, urgencyBadge(o.urgency)),
      h(
        'td',
        { 'data-label': '超时' },
        h(
          'span',
          { class: 'cell' },
          h('span', { class: 'countdown overdue' }, `${label(KIND_LABELS, o.kind)} ${span(o.overdueMinutes * 60_000)}`),
          h('span', { class: 'muted' }, `（时限 ${formatTime(o.deadline)}）`),
        ),
      ),
      h('td', { 'data-label': '督办' }, o.escalationLevel ? label(ESCALATION_LABELS, String(o.escalationLevel)) : '—'),
    ),
  );
  view.replaceChildren(
    ...compact([
      heading,
      h('p', { class: 'scope' }, `范围：${scope}（${label(ROLE_LABELS, data.scope.role)}） · 统计时间 ${formatTime(data.generatedAt)}`),
      filters,
      h(
        'div',
        { class: 'stats' },
        h('div', { class: 'stat' }, h('span', { class: 'stat-value', id: 'stat-total' }, String(data.total)), h('span', { class: 'stat-label' }, '在办转介')),
        h(
          'div',
          { class: data.overdue.count ? 'stat alert' : 'stat' },
          h('span', { class: 'stat-value', id: 'stat-overdue' }, String(data.overdue.count)),
          h('span', { class: 'stat-label' }, '已超时'),
        ),
      ),
      h('div', { class: 'charts' }, barChart('按状态', statusEntries), barChart('按紧急程度', urgencyEntries)),
      h('h2', {}, '超时转介'),
      overdueRows.length
        ? h(
            'table',
            { class: 'queue overdue-table' },
            h('thead', {}, h('tr', {}, ...['编号', '需求', '部门 · 地区', '紧急程度', '超时', '督办'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, ...overdueRows),
          )
        : h('p', { class: 'muted' }, '没有超时的转介。'),
      data.overdue.truncated ? h('p', { class: 'muted' }, `仅显示超时最久的 ${data.overdue.items.length} 件。`) : null,
      h('p', { class: 'hint' }, '只统计尚未关闭的转介；按月的签收、办结、回访和满意度见', h('a', { href: '#/reports' }, '统计报表'), '。'),
    ]),
  );
  heading.focus();
}
