// The case page: the intake, how it was classified and why, her safe-contact choices, the
// referrals with the lifecycle actions this person may take now (referral-card.ts), and the event
// history (case-history.ts). The page reads the API's own types (type-only imports).
import type { StaffCaseView as CaseView } from '../../../shared/usecases/referrals/view-case.js';
import { ApiError } from '../lib/api.js';
import { compact, h } from '../lib/dom.js';
import { CASE_STATUS_LABELS, CHANNEL_LABELS, label, NEED_LABELS, URGENCY_SOURCE_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { historySection } from './case-history.js';
import { urgencyBadge } from './cells.js';
import { api, currentSession, divisionName, loadDivisions } from './context.js';
import { isSummary, referralCard, summaryCard } from './referral-card.js';
import { reclassifySection, reviewSection } from './reviews.js';
import { divisionSource, reasonsForStaff, suppressedForStaff } from './wording.js';

/** What shows where her words and details were, once the retention period purged them. */
const PURGED_NOTE = '（个人信息已按保存期限删除，仅保留分类和处理记录）';

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

/** Her other cases that the reader may open (by her number), and her ledger record for those who read the ledger. */
function linkedSection(data: CaseView): HTMLElement | null {
  const linked = data.linkedCases ?? [];
  const personId = data.case.links?.personId;
  if (linked.length === 0 && !personId) return null;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'linked-title' },
    h('h2', { id: 'linked-title' }, '她的其他求助'),
    personId ? h('p', {}, '她在留守妇女台账中：', h('a', { href: `#/ledger/woman/${personId}` }, '查看台账记录')) : null,
    linked.length
      ? h(
          'ul',
          { class: 'linked-cases' },
          ...linked.map((l) =>
            h('li', {}, h('a', { href: `#/case/${l.caseId}` }, l.reference), ` · ${label(CHANNEL_LABELS, l.channel)} · ${formatTime(l.createdAt)} · ${label(CASE_STATUS_LABELS, l.status)}`),
          ),
        )
      : null,
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
  const cards = [...data.referrals].sort((a, b) => a.seq - b.seq).map((r) => (isSummary(r) ? summaryCard(r) : referralCard(s, r, reload)));
  const reclassify = await reclassifySection(s, c, reload);
  view.replaceChildren(
    ...compact([
      h('p', {}, h('a', { href: '#/queue' }, '← 返回我的待办')),
      c.links?.repeat ? h('p', { class: 'alert' }, '她近期已因人身安全问题求助过：本次为再次求助，已按较急以上处理。') : null,
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
      linkedSection(data),
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
