// 统计报表: the monthly KPIs of the caller's scope (GET /reports/monthly), drilled down by division,
// department or need, with a bar chart per group, the 12-month trend (GET /reports/trend) as an
// inline SVG line, the table, and CSV / XLSX downloads of the same table.
import { previousCstMonth } from '../../../shared/domain/deadlines/cst.js';
import type { KpiFigures } from '../../../shared/domain/statistics/kpis.js';
import type { MonthlyReport, TrendReport } from '../../../shared/usecases/statistics/monthly-report.js';
import { divisionWithin, isProvincial } from '../../../shared/domain/access/policy.js';
import { API_BASE } from '../lib/api-base.js';
import { ApiError } from '../lib/api.js';
import { compact, h, svg } from '../lib/dom.js';
import { DEPARTMENT_LABELS, label, NEED_LABELS } from '../lib/labels.js';
import { api, currentSession, divisionName, fillDivisionSelect, flash, loadDivisions } from './context.js';
import { RECEIVING_DEPARTMENTS } from './departments.js';
import { barChart } from './overview.js';

export interface ReportParams {
  month?: string;
  divisionCode?: string;
  department?: string;
  need?: string;
  by?: 'division' | 'department' | 'need';
}

const GROUP_TITLES = { division: '按地区', department: '按部门', need: '按需求' } as const;
const percent = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/** The month before this one in China (reports are read after a month ends). */
export const previousMonth = (now = new Date()): string => previousCstMonth(now);

function groupLabel(by: MonthlyReport['by'], code: string): string {
  if (by === 'division') return divisionName(code);
  if (by === 'department') return label(DEPARTMENT_LABELS, code);
  return label(NEED_LABELS, code);
}

/** The KPI tiles a supervisor reads first. */
function tiles(t: KpiFigures): HTMLElement {
  const tile = (id: string, value: string, name: string, detail: string, alert = false) =>
    h('div', { class: alert ? 'stat alert' : 'stat' }, h('span', { class: 'stat-value', id }, value), h('span', { class: 'stat-label' }, name), h('span', { class: 'muted stat-detail' }, detail));
  return h(
    'div',
    { class: 'stats' },
    tile('kpi-referred', String(t.referred), '转办', `退回 ${t.returned} · 改派 ${t.rerouted}`),
    tile('kpi-sign', percent(t.onTimeSignRate), '按时签收率', `${t.signedOnTime} / ${t.signedFor}`),
    tile('kpi-complete', percent(t.onTimeCompletionRate), '按时办结率', `${t.completedOnTime} / ${t.completed} · 延期 ${t.extended}`),
    tile('kpi-followup', percent(t.followUpRate), '回访率', `${t.followUps} / ${t.completed} · 接通 ${t.reached}`),
    tile('kpi-satisfaction', percent(t.satisfactionRate), '满意率', t.satisfactionAvg === null ? '暂无评价' : `平均 ${t.satisfactionAvg} 分 · ${t.satisfactionCount} 次评价`),
    tile('kpi-escalated', String(t.overdue + t.escalated), '超时与督办', `超时 ${t.overdue} · 督办 ${t.escalated}`, t.overdue + t.escalated > 0),
  );
}

/** The 12-month trend of the two on-time rates, drawn as an inline SVG line chart. */
export function trendChart(trend: TrendReport): HTMLElement {
  const width = 360;
  const height = 180;
  const left = 36;
  const bottom = 24;
  const step = (width - left - 24) / Math.max(1, trend.months.length - 1);
  const y = (r: number) => 8 + (height - bottom - 8) * (1 - r);
  const line = (pick: (m: KpiFigures) => number | null, cls: string) => {
    const points = trend.months.map((m, i) => [left + i * step, pick(m)] as const).filter((p): p is readonly [number, number] => p[1] !== null);
    return svg(
      'g',
      { class: `trend ${cls}` },
      ...(points.length > 1 ? [svg('polyline', { points: points.map(([px, r]) => `${px.toFixed(1)},${y(r).toFixed(1)}`).join(' '), fill: 'none' })] : []),
      ...points.map(([px, r]) => svg('circle', { cx: px.toFixed(1), cy: y(r).toFixed(1), r: 3 })),
    );
  };
  const describe = trend.months.map((m) => `${m.month} 签收 ${percent(m.onTimeSignRate)} 办结 ${percent(m.onTimeCompletionRate)}`).join('；');
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `近12个月按时率：${describe}`, class: 'chart trend-chart' },
    ...[0, 0.5, 1].map((r) =>
      svg('g', { class: 'grid' }, svg('line', { x1: left, x2: width - 4, y1: y(r), y2: y(r) }), svg('text', { x: left - 4, y: y(r) + 4, 'text-anchor': 'end' }, `${r * 100}%`)),
    ),
    ...trend.months.map((m, i) => (i % 2 === 1 ? svg('text', { x: left + i * step, y: height - 6, 'text-anchor': 'middle' }, m.month.slice(2)) : svg('g', {}))),
    line((m) => m.onTimeSignRate, 'sign'),
    line((m) => m.onTimeCompletionRate, 'complete'),
  );
  return h(
    'figure',
    { class: 'panel chart-panel' },
    h('figcaption', {}, '近12个月趋势 ', h('span', { class: 'legend sign' }, '按时签收率'), ' ', h('span', { class: 'legend complete' }, '按时办结率')),
    chart,
  );
}

function reportQuery(p: ReportParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...p, ...extra })) if (v) q.set(k, v);
  return q.toString();
}

/** Downloads a CSV or XLSX with the session's token (a plain link could not send it). */
async function download(p: ReportParams, format: 'csv' | 'xlsx'): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const res = await fetch(`${API_BASE}/reports/monthly?${reportQuery(p, { format })}`, { headers: { authorization: `Bearer ${s.token}` }, credentials: 'omit', cache: 'no-store' });
  if (!res.ok) {
    flash('下载失败，请稍后重试。', 'error');
    return;
  }
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name ? decodeURIComponent(name) : `考核月报.${format}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function renderReports(view: HTMLElement, params: ReportParams = {}): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const month = params.month ?? previousMonth();
  const p: ReportParams = { ...params, month };
  const heading = h('h1', { tabindex: '-1' }, '统计报表');
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  view.replaceChildren(heading, status);
  heading.focus();
  const divisions = await loadDivisions();

  const monthInput = h('input', { id: 'report-month', type: 'month', value: month, max: previousMonth(new Date(Date.now() + 31 * 86_400_000)), required: true });
  const need = h('select', { id: 'report-need' }, h('option', { value: '' }, '（全部需求）'), ...Object.keys(NEED_LABELS).map((n) => h('option', { value: n }, label(NEED_LABELS, n))));
  need.value = p.need ?? '';
  const by = h('select', { id: 'report-by' }, h('option', { value: '' }, '（默认）'), ...(['division', 'department', 'need'] as const).map((b) => h('option', { value: b }, GROUP_TITLES[b])));
  by.value = p.by ?? '';
  const fields: HTMLElement[] = [h('div', { class: 'field' }, h('label', { for: 'report-month' }, '月份'), monthInput)];
  let division: HTMLSelectElement | null = null;
  let department: HTMLSelectElement | null = null;
  if (s.role === 'coordinator' || s.role === 'admin') {
    const home = isProvincial(s) ? divisions.province.code : (s.divisionCode ?? divisions.province.code);
    division = h('select', { id: 'report-division' });
    fillDivisionSelect(division, divisions, { within: (c) => divisionWithin(c, home) });
    division.value = p.divisionCode ?? home;
    department = h('select', { id: 'report-department' }, h('option', { value: '' }, '（全部部门）'), ...RECEIVING_DEPARTMENTS.map((d) => h('option', { value: d }, label(DEPARTMENT_LABELS, d))));
    department.value = p.department ?? '';
    fields.push(h('div', { class: 'field' }, h('label', { for: 'report-division' }, '行政区划'), division), h('div', { class: 'field' }, h('label', { for: 'report-department' }, '部门'), department));
  }
  fields.push(h('div', { class: 'field' }, h('label', { for: 'report-need' }, '需求'), need), h('div', { class: 'field' }, h('label', { for: 'report-by' }, '分组'), by));
  const filters = h('form', { class: 'filters', novalidate: true }, ...fields, h('button', { type: 'submit' }, '查看'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    void renderReports(view, {
      month: monthInput.value || month,
      divisionCode: division?.value || undefined,
      department: department?.value || undefined,
      need: need.value || undefined,
      by: (by.value || undefined) as ReportParams['by'],
    });
  });

  let report: MonthlyReport;
  let trend: TrendReport;
  try {
    [report, trend] = await Promise.all([
      api<MonthlyReport>('GET', `/reports/monthly?${reportQuery(p)}`),
      api<TrendReport>('GET', `/reports/trend?${reportQuery({ month, divisionCode: p.divisionCode, department: p.department, need: p.need })}`),
    ]);
  } catch (err) {
    view.replaceChildren(heading, filters, h('p', { class: 'error', role: 'alert' }, err instanceof ApiError && err.status === 403 ? '您无权查看这个范围的报表。' : (err as Error).message));
    return;
  }
  const scope = [
    divisionName(report.scope.divisionCode),
    report.scope.department ? label(DEPARTMENT_LABELS, report.scope.department) : '',
    report.scope.need ? label(NEED_LABELS, report.scope.need) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const t = report.totals;
  const headers = ['分组', '转办', '按时签收率', '按时办结率', '退回', '延期', '超时', '督办', '回访率', '满意率'];
  const cells = (r: KpiFigures) => [
    String(r.referred),
    percent(r.onTimeSignRate),
    percent(r.onTimeCompletionRate),
    String(r.returned),
    String(r.extended),
    String(r.overdue),
    String(r.escalated),
    percent(r.followUpRate),
    percent(r.satisfactionRate),
  ];
  const row = (name: string, r: KpiFigures, cls = '') =>
    h('tr', { class: cls }, h('th', { scope: 'row', 'data-label': '分组' }, name), ...cells(r).map((c, i) => h('td', { 'data-label': headers[i + 1]! }, c)));
  const drill = (code: string): HTMLElement | string => {
    if (report.by !== 'division' || code === report.scope.divisionCode) return groupLabel(report.by, code);
    const a = h('a', { href: '#/reports' }, groupLabel(report.by, code));
    a.addEventListener('click', (e) => {
      e.preventDefault();
      void renderReports(view, { ...p, divisionCode: code, by: undefined });
    });
    return a;
  };
  const csv = h('button', { type: 'button', id: 'download-csv', class: 'secondary' }, '下载 CSV');
  const xlsx = h('button', { type: 'button', id: 'download-xlsx', class: 'secondary' }, '下载 Excel');
  csv.addEventListener('click', () => void download(p, 'csv'));
  xlsx.addEventListener('click', () => void download(p, 'xlsx'));

  view.replaceChildren(
    ...compact([
      heading,
      h('p', { class: 'scope', id: 'report-scope' }, `范围：${scope} · ${report.month}（按中国时间统计当月发生的签收、办结、回访等）`),
      filters,
      tiles(t),
      h(
        'div',
        { class: 'charts' },
        barChart(
          `${GROUP_TITLES[report.by]}转办数`,
          report.rows.map((r) => [groupLabel(report.by, r.group), r.referred] as [string, number]),
        ),
        trendChart(trend),
      ),
      h('h2', {}, `${GROUP_TITLES[report.by]}明细`),
      report.rows.length
        ? h(
            'table',
            { class: 'queue report-table', id: 'report-table' },
            h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
            h(
              'tbody',
              {},
              ...report.rows.map((r) => {
                const tr = row('', r);
                tr.firstElementChild!.replaceChildren(drill(r.group));
                return tr;
              }),
              row('合计', t, 'total'),
            ),
          )
        : h('p', { class: 'muted' }, '这个月份和范围内还没有数据。'),
      h('p', { class: 'downloads' }, csv, ' ', xlsx),
      h('p', { class: 'hint' }, '按时签收率 = 按时签收数 ÷ 当月签收数；按时办结率 = 按时办结数 ÷ 当月办结数（批准的延期计入时限）；回访率 = 回访数 ÷ 办结数；满意率 = 4 分和 5 分的评价 ÷ 全部评价。'),
    ]),
  );
  heading.focus();
}
