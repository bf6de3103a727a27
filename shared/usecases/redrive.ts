// Use case: replay what reached the notifier's dead-letter queue. Two kinds of message land there:
// the stream mapping's on-failure records (a batch's shard and sequence range: the records are read
// again from the stream) and the notifier's own dead letters (malformed items: their keys and stream
// positions). Each message's records are handed to the notifier again — its notifications are
// idempotent, so whatever was already sent is not sent twice — and the message is deleted once
// every record went through. A stream keeps records 24 hours: older ones cannot be replayed; the
// command names their items, whose referrals still wait in their queues and escalate as usual.
import type { DynamoDBRecord } from 'aws-lambda';

export interface DlqMessage {
  id: string;
  body: string;
}

export interface DeadLetterQueue {
  receive(max: number): Promise<DlqMessage[]>;
  delete(id: string): Promise<void>;
}

export interface StreamRange {
  streamArn: string;
  /** When known (the mapping's on-failure record); otherwise found from the sequence numbers. */
  shardId?: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

export interface StreamReplay {
  /** The records of the range still in the stream (empty when they have expired). */
  read(range: StreamRange): Promise<DynamoDBRecord[]>;
}

export type NotifyBatch = (records: DynamoDBRecord[]) => Promise<{ failed: number }>;

export interface RedriveReport {
  messages: number;
  replayed: number;
  deleted: number;
  /** Messages whose records are no longer in the stream: their item keys, when the message names them. */
  expired: { messageId: string; items: string[] }[];
  /** Messages kept because a record failed again. */
  kept: number;
  unreadable: number;
}

/** The stream ranges a DLQ message points to, or null when it is not one of ours. */
export function rangesOf(body: string): { ranges: StreamRange[]; items: string[] } | null {
  // A queue message of unknown shape: every field is checked before use.
  let msg: Record<string, unknown> | null;
  try {
    msg = JSON.parse(body);
  } catch {
    return null;
  }
  const info = msg?.DDBStreamBatchInfo as Record<string, unknown> | undefined;
  if (info && typeof info.streamArn === 'string' && typeof info.startSequenceNumber === 'string' && typeof info.endSequenceNumber === 'string') {
    return {
      ranges: [{ streamArn: info.streamArn, shardId: info.shardId as string | undefined, startSequenceNumber: info.startSequenceNumber, endSequenceNumber: info.endSequenceNumber }],
      items: [],
    };
  }
  if (msg?.source === 'notifier' && Array.isArray(msg.records)) {
    const records = msg.records as (Record<string, unknown> | null)[];
    const recs = records.filter((r): r is Record<string, string> => typeof r?.sequenceNumber === 'string' && typeof r?.streamArn === 'string');
    return {
      ranges: recs.map((r) => ({ streamArn: r.streamArn!, startSequenceNumber: r.sequenceNumber!, endSequenceNumber: r.sequenceNumber! })),
      items: records.map((r) => `${r?.pk} ${r?.sk}`),
    };
  }
  return null;
}

export async function redrive(queue: DeadLetterQueue, stream: StreamReplay, notify: NotifyBatch, options: { maxMessages?: number } = {}): Promise<RedriveReport> {
  const report: RedriveReport = { messages: 0, replayed: 0, deleted: 0, expired: [], kept: 0, unreadable: 0 };
  const max = options.maxMessages ?? 1000;
  while (report.messages < max) {
    const batch = await queue.receive(Math.min(10, max - report.messages));
    if (batch.length === 0) break;
    for (const m of batch) {
      report.messages++;
      const parsed = rangesOf(m.body);
      if (!parsed) {
        report.unreadable++;
        continue;
      }
      const records = (await Promise.all(parsed.ranges.map((r) => stream.read(r)))).flat();
      if (records.length === 0) {
        report.expired.push({ messageId: m.id, items: parsed.items });
        continue;
      }
      const { failed } = await notify(records);
      report.replayed += records.length;
      if (failed > 0) {
        report.kept++;
        continue;
      }
      await queue.delete(m.id);
      report.deleted++;
    }
  }
  return report;
}
