// In-memory adapters of the statistics ports, for use-case tests: the same contract as
// shared/adapters/dynamo/statistics-repository.ts (each event counted once), no engine.
import { addCounts, monthlyKeyString, openKeyString, type EventCounts } from '../../shared/domain/statistics/counters.js';
import type { DeadlineEntry, MonthlyRow, OpenRow, OverdueReader, StatisticsStore } from '../../shared/usecases/statistics/ports.js';

export class InMemoryStatistics implements StatisticsStore, OverdueReader {
  readonly seen = new Set<string>();
  readonly monthly = new Map<string, MonthlyRow>();
  readonly open = new Map<string, OpenRow>();
  deadlines: DeadlineEntry[] = [];
  /** Fail the next n writes (a throttled table). */
  failNext = 0;

  async applyOnce(eventId: string, _at: string, counts: EventCounts): Promise<boolean> {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    }
    if (this.seen.has(eventId)) return false;
    this.seen.add(eventId);
    for (const r of counts.monthly) {
      const k = monthlyKeyString(r.key);
      addCounts((this.monthly.get(k) ?? this.monthly.set(k, { key: r.key, counts: {} }).get(k)!).counts, r.counts);
    }
    for (const r of counts.open) {
      const k = openKeyString(r.key);
      addCounts((this.open.get(k) ?? this.open.set(k, { key: r.key, counts: {} }).get(k)!).counts, r.counts);
    }
    return true;
  }

  async monthRows(month: string): Promise<MonthlyRow[]> {
    return [...this.monthly.values()].filter((r) => r.key.month === month);
  }

  async openRows(): Promise<OpenRow[]> {
    return [...this.open.values()];
  }

  async overdueBefore(now: string, max: number): Promise<{ items: DeadlineEntry[]; more: boolean }> {
    const due = this.deadlines.filter((d) => ((d.status === 'accepted' || d.status === 'reopened') && d.completeBy ? d.completeBy < now : d.signForBy < now));
    due.sort((a, b) => (a.completeBy ?? a.signForBy).localeCompare(b.completeBy ?? b.signForBy));
    return { items: due.slice(0, max), more: due.length > max };
  }
}
