// The e2e harness: the local runtime as `npm start` runs it (real handlers, the web pages and the
// development sign-in from the same origin) on its own table in the test run's DynamoDB Local,
// and Debian's Chromium driven by playwright-core. No browser is ever downloaded.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { streamStatistics } from '../../local/services/stream-statistics.js';
import { createWebFallback } from '../../local/web-server.js';

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
    // The overview and the reports read the counters the statistics consumer keeps from the stream.
    services: [streamStatistics({ pollMs: 100, print: () => undefined })],
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

/**
 * WCAG 2 contrast of every visible piece of text against the background it sits on (the nearest
 * ancestor with an opaque background colour): at least 4.5:1, or 3:1 for large text. Returns
 * the failures as "text (ratio)".
 */
export async function contrastProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(',').map((x) => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
    const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.9) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('.visually-hidden, svg, option')) continue;
      const fg = parse(style.color); const bg = background(el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight, 10) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      if (ratio < (large ? 3 : 4.5)) out.push(text.slice(0, 30) + ' (' + ratio.toFixed(2) + ')');
    }
    return out;
  })()`)) as string[];
}

/** expect.poll with room for a loaded machine (the default gives up after one second). */
export const eventually = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) => expect.poll(fn, { interval: 100, ...options, timeout: Math.max(options.timeout ?? 0, 15_000) });
