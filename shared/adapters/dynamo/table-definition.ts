// The single table's shape, in one place: the CDK stateful stack and the local runtime both build
// the table from this definition, so what runs locally is what is deployed.

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Sparse GSIs: an item is in an index only while it carries that index's key attributes. */
export const INDEXES = {
  /** A department's queue in a division: open referrals, most urgent first then by deadline. */
  queue: { name: 'queue', partitionKey: 'queuePk', sortKey: 'queueSk' },
  /** Open referrals by their next deadline, for the escalation run (no scans). */
  due: { name: 'due', partitionKey: 'duePk', sortKey: 'dueSk' },
  /**
   * Open referrals by the deadline they are held to now (sign-for, completion or re-route), one
   * partition: the overdue ones are those before now, oldest first, however escalated they are.
   */
  deadline: {
    name: 'deadline',
    partitionKey: 'deadlinePk',
    sortKey: 'deadlineSk',
    /** Only what the overdue list shows (codes and deadlines): small index items, one page holds thousands. */
    include: ['referralId', 'caseId', 'reference', 'need', 'department', 'divisionCode', 'urgency', 'status', 'signForBy', 'completeBy', 'escalationLevel'],
  },
} as const;

/** Items with this attribute (epoch seconds) are deleted by DynamoDB's TTL after closed-case retention. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

export interface KeyAttribute {
  name: string;
  type: 'S';
}

export const TABLE_DEFINITION = {
  partitionKey: { name: TABLE_KEYS.partitionKey, type: 'S' } as KeyAttribute,
  sortKey: { name: TABLE_KEYS.sortKey, type: 'S' } as KeyAttribute,
  globalSecondaryIndexes: Object.values(INDEXES).map((ix) => ({
    indexName: ix.name,
    partitionKey: { name: ix.partitionKey, type: 'S' } as KeyAttribute,
    sortKey: { name: ix.sortKey, type: 'S' } as KeyAttribute,
    /** Non-key attributes projected into the index; every attribute when absent. */
    include: 'include' in ix ? [...ix.include] : undefined,
  })),
  stream: STREAM_VIEW,
  timeToLiveAttribute: TTL_ATTRIBUTE,
};
