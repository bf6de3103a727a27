// Vitest globalSetup: one DynamoDB Local per test run, shared by every test file through `inject`.
// Every project (unit, integration, infra, e2e) runs this setup; they share the one engine: the
// first starts it, the last to finish stops it (two cores cannot afford one java per project).
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

const shared = globalThis as typeof globalThis & { __dynamoDbLocal?: { engine: Promise<RunningDynamoDbLocal>; users: number } };

export default async function setup(project: TestProject) {
  shared.__dynamoDbLocal ??= { engine: startDynamoDbLocal(), users: 0 };
  const state = shared.__dynamoDbLocal;
  state.users += 1;
  const db = await state.engine;
  project.provide('dynamoEndpoint', db.endpoint);
  return async () => {
    state.users -= 1;
    if (state.users === 0) {
      shared.__dynamoDbLocal = undefined;
      await db.stop();
    }
  };
}
