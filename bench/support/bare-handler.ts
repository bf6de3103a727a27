// The yardstick of the cold-start benchmark: a function that does nothing but one PutCommand with
// the same SDK clients, bundled the same way as the platform's functions.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT }));

export const handler = async () => {
  await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: `BARE#${randomUUID()}`, sk: 'BARE' } }));
  return { statusCode: 200 };
};
