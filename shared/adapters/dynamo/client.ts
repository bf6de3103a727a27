// One DynamoDB DocumentClient per process, created on first use and reused by every invocation.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let shared: DynamoDBDocumentClient | undefined;

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const endpoint = config.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const local = endpoint !== undefined;
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      ...(local ? { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      ...config,
      endpoint,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

export function documentClient(): DynamoDBDocumentClient {
  shared ??= createDocumentClient();
  return shared;
}
