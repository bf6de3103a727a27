// Times as caseworkers in China read them (Beijing time, whatever the device's zone) and the
// countdowns of the queue.

const FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const formatTime = (iso: string | null | undefined): string => (iso ? FORMAT.format(new Date(iso)) : '—');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function span(ms: number): string {
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  if (d > 0) return `${d}天${h}小时`;
  if (h > 0) return `${h}小时${m}分`;
  return `${Math.max(m, 0)}分钟`;
}

/** "剩 3小时5分" before the deadline, "超时 1天2小时" after it. */
export function countdown(deadline: string, now = Date.now()): { text: string; overdue: boolean } {
  const left = Date.parse(deadline) - now;
  return left >= 0 ? { text: `剩 ${span(left)}`, overdue: false } : { text: `超时 ${span(-left)}`, overdue: true };
}
