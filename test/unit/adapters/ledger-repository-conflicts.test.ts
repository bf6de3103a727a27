// DynamoDB cancels a transaction with TransactionConflict when another transaction touches the same
// items at that moment; DynamoDB Local serialises transactions and never does, so this one condition
// is played by a stand-in client. The repository must try again (and then find her key items), not
// answer 500; and it must not retry anything else.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLedgerRepository } from '../../../shared/adapters/dynamo/ledger-repository.js';
import type { LedgerEntry } from '../../../shared/domain/ledger/entry.js';

const cancelled = (codes: string[]) => new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

function clientFailing(errors: Error[]): { db: DynamoDBDocumentClient; sent: string[] } {
  const sent: string[] = [];
  const db = {
    send: async (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      const next = errors.shift();
      if (next) throw next;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

const entry = { personId: 'P1', version: 1, status: 'active', phone: '+8613912345678', divisionCode: '220722', township: '镇', village: '村' } as LedgerEntry;
const event = { eventId: 'E1', type: 'ledger_registered' as const, at: '2026-12-04T00:00:00.000Z', actor: { id: 'o', role: 'ledger_officer' }, personId: 'P1' };

describe('the ledger repository under concurrent transactions', () => {
  it('tries again after a TransactionConflict, and succeeds', async () => {
    const { db, sent } = clientFailing([cancelled(['TransactionConflict', 'None', 'None', 'None']), cancelled(['None', 'TransactionConflict', 'None', 'None'])]);
    expect(await new DynamoLedgerRepository(db, 't').create(entry, { phoneKey: 'k' }, event)).toEqual({ kind: 'created' });
    expect(sent).toEqual(['TransactWriteCommand', 'TransactWriteCommand', 'TransactWriteCommand']);
  });

  it('gives up after four attempts, and never retries a failed condition', async () => {
    const conflicts = Array.from({ length: 4 }, () => cancelled(['TransactionConflict']));
    await expect(new DynamoLedgerRepository(clientFailing(conflicts).db, 't').create(entry, { phoneKey: 'k' }, event)).rejects.toBeInstanceOf(TransactionCanceledException);
    const { db, sent } = clientFailing([cancelled(['None', 'ConditionalCheckFailed', 'None', 'None'])]);
    // A failed condition on the record itself is neither retried nor a duplicate: it is thrown.
    await expect(new DynamoLedgerRepository(db, 't').create(entry, { phoneKey: 'k' }, event)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(sent).toEqual(['TransactWriteCommand']);
  });
});
