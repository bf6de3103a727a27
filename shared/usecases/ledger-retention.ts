// Retention of the ledger: the personal data of a woman who left the ledger is deleted when her
// record's `purgeAt` comes (her exit plus the retention period), by the scheduled run.
export interface DueExit {
  personId: string;
  purgeAt: string;
}

export interface LedgerRetentionStore {
  /** Exited records whose purge instant is at or before `now` (from the due index). */
  findDueExits(now: string, limit: number): Promise<DueExit[]>;
  /** Deletes her personal data (see the adapter for the steps); false when another run did it first. Idempotent. */
  purgeExited(due: DueExit, now: Date): Promise<boolean>;
}

/** Purges every exited record that is due; returns the ids purged by this run. */
export async function purgeExitedRecords(store: LedgerRetentionStore, now: Date, limit = 100): Promise<string[]> {
  const purged: string[] = [];
  for (const due of await store.findDueExits(now.toISOString(), limit)) {
    // The index only returns instants at or before now; checked again so that the rule is here.
    if (Date.parse(due.purgeAt) > now.getTime()) continue;
    if (await store.purgeExited(due, now)) purged.push(due.personId);
  }
  return purged;
}
