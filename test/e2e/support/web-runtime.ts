// The e2e harness: the local runtime as `npm start` runs it (real handlers, the web pages and the
// development sign-in from the same origin) on its own table in the test run's DynamoDB Local,
// and Debian's Chromium driven by playwright-core. No browser is ever downloaded.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { LOCAL_AWS_CONFIG } from '../../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime.js';
import { createWebFallback } from '../../../local/web-server.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Offline-friendly flags: without the background-networking ones Chromium keeps trying to reach
 * Google services and floods the log with refused connections. playwright-core adds a fresh
 * temporary --user-data-dir per launch and removes it on close.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const ARTIFACTS = resolve(process.cwd(), 'test-artifacts');

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export type WebTestRuntime = LocalRuntime & { db: DynamoDBDocumentClient };

export async function startWebTestRuntime(prefix: string): Promise<WebTestRuntime> {
  const fallback = await createWebFallback({ devSignIn: true });
  const runtime = await startLocalRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `${prefix}-${randomUUID().slice(0, 8)}`,
    api: { fallback },
  });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: runtime.dynamoEndpoint }));
  return { ...runtime, db };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, chromiumSandbox: false, args: CHROMIUM_FLAGS, timeout: 30_000 });
}

/** Collects what should never happen on our pages: script errors, CSP violations, failed loads. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  return problems;
}

/** What the page keeps in the browser: must stay empty on the intake form and the console. */
export async function browserStorage(page: Page): Promise<{ localStorage: number; sessionStorage: number; cookie: string; contextCookies: number; indexedDb: number }> {
  const inPage = (await page.evaluate(
    `(async () => ({
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      cookie: document.cookie,
      indexedDb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
    }))()`,
  )) as { localStorage: number; sessionStorage: number; cookie: string; indexedDb: number };
  return { ...inPage, contextCookies: (await page.context().cookies()).length };
}

export async function getItem(rt: WebTestRuntime, key: { pk: string; sk: string }): Promise<Record<string, any> | undefined> {
  return (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: key, ConsistentRead: true }))).Item;
}
