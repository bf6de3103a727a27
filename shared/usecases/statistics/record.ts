// Use case: count one stored event into the statistics, exactly once. The stream handler calls it for
// each new event item; an event without a tally (a note, a read, an audit entry) counts nothing.
import { countEvent } from '../../domain/statistics/counters.js';
import type { TallyEntry } from '../../domain/statistics/tally.js';
import type { StatisticsStore } from './ports.js';

export interface TalliedEvent {
  eventId: string;
  at: string;
  tally?: readonly TallyEntry[];
}

export type RecordOutcome = 'counted' | 'already_counted' | 'nothing_to_count';

export async function recordStatistics(event: TalliedEvent, store: Pick<StatisticsStore, 'applyOnce'>): Promise<RecordOutcome> {
  const counts = countEvent(event);
  if (counts.monthly.length === 0 && counts.open.length === 0) return 'nothing_to_count';
  return (await store.applyOnce(event.eventId, event.at, counts)) ? 'counted' : 'already_counted';
}
