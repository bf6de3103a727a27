// A second yardstick of the cold-start benchmark: a function that makes the table requests the web
// intake makes (the Query for her earlier contacts, then one TransactWriteItems of the items its
// first intake wrote) and nothing else, bundled the same way. Against it, the intake's ratio is
// what its own code costs; against the bare PutCommand, it also carries DynamoDB Local's work for
// a six-item transaction.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export interface SameRequestsEvent {
  /** The partition the intake's contact lookup reads. */
  contactPk: string;
  limit: number;
  /** The items, as stored; each is written under a fresh key, with the intake's condition where it had one. */
  items: { item: Record<string, unknown>; conditional: boolean }[];
}

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));

export const handler = async (event: SameRequestsEvent) => {
  const TableName = process.env.TABLE_NAME;
  await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': event.contactPk }, ScanIndexForward: false, Limit: event.limit }));
  const run = randomUUID();
  await db.send(
    new TransactWriteCommand({
      TransactItems: event.items.map(({ item, conditional }) => ({
        Put: { TableName, Item: { ...item, pk: `${String(item.pk)}#${run}` }, ...(conditional ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) },
      })),
    }),
  );
  return { statusCode: 200 };
};
