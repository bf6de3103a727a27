// Use case: recompute every counter from the events (after a new deployment or a fixed counting
// bug). The same pure countEvent the stream uses folds every tallied event in memory; the result
// replaces the stored rows of each month it covers and the open-work rows. Months with counters but
// no events left (their cases purged after retention) are kept as they are.
import { addCounts, countEvent, monthlyKeyString, openKeyString } from '../../domain/statistics/counters.js';
import type { MonthlyRow, OpenRow, StatisticsRebuildStore } from './ports.js';

export interface RebuildReport {
  events: number;
  months: string[];
  monthlyRows: number;
  openRows: number;
  /** Months that have stored counters but no events any more: left unchanged. */
  keptMonths: string[];
}

export async function rebuildStatistics(store: StatisticsRebuildStore): Promise<RebuildReport> {
  const monthly = new Map<string, MonthlyRow>();
  const open = new Map<string, OpenRow>();
  const counted: { eventId: string; at: string }[] = [];
  for await (const e of store.talliedEvents()) {
    const c = countEvent(e);
    if (c.monthly.length === 0 && c.open.length === 0) continue;
    counted.push({ eventId: e.eventId, at: e.at });
    for (const r of c.monthly) {
      const k = monthlyKeyString(r.key);
      const row = monthly.get(k) ?? monthly.set(k, { key: r.key, counts: {} }).get(k)!;
      addCounts(row.counts, r.counts);
    }
    for (const r of c.open) {
      const k = openKeyString(r.key);
      const row = open.get(k) ?? open.set(k, { key: r.key, counts: {} }).get(k)!;
      addCounts(row.counts, r.counts);
    }
  }
  const months = new Map<string, MonthlyRow[]>();
  for (const row of monthly.values()) (months.get(row.key.month) ?? months.set(row.key.month, []).get(row.key.month)!).push(row);
  const openRows = [...open.values()].map((r) => ({ key: r.key, counts: Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n !== 0)) }));
  const stored = await store.storedMonths();
  await store.replace(months, openRows, counted);
  return {
    events: counted.length,
    months: [...months.keys()].sort(),
    monthlyRows: monthly.size,
    openRows: openRows.length,
    keptMonths: stored.filter((m) => !months.has(m)).sort(),
  };
}
