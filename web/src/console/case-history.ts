// The case's history on the case page: every event she may see, oldest first, in Chinese.
import type { StaffCaseView } from '../../../shared/usecases/referrals/view-case.js';
import { h } from '../lib/dom.js';
import { DEPARTMENT_LABELS, ESCALATION_LABELS, EVENT_LABELS, label, NEED_LABELS, OUTCOME_LABELS, RETURN_REASON_LABELS, ROLE_LABELS, URGENCY_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { divisionName } from './context.js';
import { isSummary } from './referral-card.js';

type CaseEvent = StaffCaseView['events'][number];

function eventDetail(e: CaseEvent): string {
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
      return '';
  }
}

export function historySection(view: Pick<StaffCaseView, 'events' | 'referrals'>): HTMLElement {
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
          h('span', { class: 'detail' }, eventDetail(e)),
        ),
      ),
    ),
  );
}
