// Cells several console views share: a live countdown to a deadline and the urgency badge.
import { h } from '../lib/dom.js';
import { label, URGENCY_LABELS } from '../lib/labels.js';
import { countdown, formatTime } from '../lib/time.js';

/** A countdown cell; refreshed every half minute by refreshCountdowns(). */
export function countdownEl(deadline: string | null | undefined): HTMLElement {
  if (!deadline) return h('span', { class: 'muted' }, '—');
  const c = countdown(deadline);
  return h('span', { class: c.overdue ? 'countdown overdue' : 'countdown', 'data-deadline': deadline, title: formatTime(deadline) }, c.text);
}

export function refreshCountdowns(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-deadline]')) {
    const c = countdown(el.dataset.deadline!);
    el.textContent = c.text;
    el.className = c.overdue ? 'countdown overdue' : 'countdown';
  }
}

export const urgencyBadge = (u: string) => h('span', { class: `badge ${u}` }, label(URGENCY_LABELS, u));
