// The function catalogue against the code: every function folder and every API route has an
// entry, and every AWS call a function's bundled code makes is granted (or reviewed as never made),
// while every granted call is one the code makes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_CATALOGUE, type CatalogueEntry, type GrantTarget } from '../../infra/function-catalogue.js';
import { REPOSITORY_ROOT } from '../../infra/platform.js';
import { API_ROUTES, type ApiRoute } from '../../shared/http/routes.js';
import { callsInSource, callsOfFunction, type CodeCall } from '../support/code-calls.js';

const functionFolders = () =>
  readdirSync(join(REPOSITORY_ROOT, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REPOSITORY_ROOT, 'functions', d.name, 'handler.ts')))
    .map((d) => d.name)
    .sort();

/** What is missing between the function folders, the routes and the catalogue (empty = consistent). */
function catalogueGaps(folders: string[], routes: readonly ApiRoute[], catalogue: readonly CatalogueEntry[]): string[] {
  const names = new Set(catalogue.map((e) => e.name));
  const gaps: string[] = [];
  for (const f of folders) if (!names.has(f)) gaps.push(`functions/${f} has no catalogue entry`);
  for (const e of catalogue) if (!folders.includes(e.name)) gaps.push(`catalogue entry ${e.name} has no functions/${e.name}/handler.ts`);
  for (const r of routes) {
    const e = catalogue.find((c) => c.name === r.functionName);
    if (!e) gaps.push(`route ${r.method} ${r.path} → ${r.functionName} has no catalogue entry`);
    else if (e.trigger.kind !== 'http') gaps.push(`route ${r.method} ${r.path} → ${r.functionName}, whose trigger is ${e.trigger.kind}`);
  }
  for (const e of catalogue) {
    if (e.trigger.kind === 'http' && !routes.some((r) => r.functionName === e.name)) gaps.push(`http function ${e.name} has no route in API_ROUTES`);
  }
  return gaps;
}

describe('function catalogue ↔ functions/ and API_ROUTES', () => {
  it('has exactly one entry per function folder and per routed function', () => {
    expect(catalogueGaps(functionFolders(), API_ROUTES, FUNCTION_CATALOGUE)).toEqual([]);
    expect(new Set(FUNCTION_CATALOGUE.map((e) => e.name)).size).toBe(FUNCTION_CATALOGUE.length);
  });
  it('reports a new folder, a new route and a stale entry (the check can fail)', () => {
    const folders = [...functionFolders(), 'brand-new'];
    const routes: ApiRoute[] = [...API_ROUTES, { method: 'GET', path: '/x', functionName: 'unlisted', auth: 'staff' }];
    const stale: CatalogueEntry = { ...FUNCTION_CATALOGUE[0]!, name: 'gone' };
    expect(catalogueGaps(folders, routes, [...FUNCTION_CATALOGUE, stale])).toEqual([
      'functions/brand-new has no catalogue entry',
      'catalogue entry gone has no functions/gone/handler.ts',
      'route GET /x → unlisted has no catalogue entry',
      'http function gone has no route in API_ROUTES',
    ]);
  });
  it('every handler exports `handler`', () => {
    for (const e of FUNCTION_CATALOGUE) {
      const text = readFileSync(join(REPOSITORY_ROOT, 'functions', e.name, 'handler.ts'), 'utf8');
      expect(text, e.name).toMatch(/export (const|async function|function) handler\b/);
    }
  });
  it('grants no wildcard action, and `*` resources only where AWS offers no ARN, always with a reason', () => {
    for (const e of FUNCTION_CATALOGUE) {
      for (const g of e.grants) {
        for (const a of g.actions) expect(a, e.name).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        expect(g.why.length, `${e.name}: ${g.actions.join(',')}`).toBeGreaterThan(20);
        const wildcard = g.on.filter((t) => t === 'sms-phone-numbers' || t === 'any-stream-listing');
        if (wildcard.includes('sms-phone-numbers')) expect(g.actions).toEqual(['sns:Publish']);
        if (wildcard.includes('any-stream-listing')) expect(g.actions).toEqual(['dynamodb:ListStreams']);
      }
    }
  });
});

/** Grants the code itself exercises (the rest are used by AWS on the function's behalf: stream mapping, DLQ, KMS, logs). */
const CODE_TARGETS: readonly GrantTarget[] = ['table', 'index:queue', 'index:due', 'referrals-topic', 'sms-phone-numbers', 'hotline-secret', 'sms-gateway-secret', 'person-key-secret'];
const SECRETS: readonly GrantTarget[] = ['hotline-secret', 'sms-gateway-secret', 'person-key-secret'];
const matches = (call: { action: string; on: CodeCall['on'] }, action: string, on: GrantTarget) => call.action === action && (call.on === on || (call.on === 'secret' && SECRETS.includes(on)));

describe('the scanner that reads AWS calls out of the code', () => {
  it('maps commands, transaction items, index queries and publish targets', () => {
    const src = `
      await db.send(new GetCommand({ TableName: t, Key: k }));
      await db.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'pk = :pk' }));
      await db.send(new QueryCommand({ TableName: t, IndexName: INDEXES.due.name }));
      await db.send(new TransactWriteCommand({ TransactItems: [{ Update: u }, { ConditionCheck: c }] }));
      await sns.send(new PublishCommand({ TopicArn: arn, Message: m }));`;
    const found = callsInSource('x.ts', src).map((c) => `${c.action} ${c.on}`);
    expect(found.sort()).toEqual(
      ['dynamodb:GetItem table', 'dynamodb:Query table', 'dynamodb:Query index:due', 'dynamodb:UpdateItem table', 'dynamodb:ConditionCheckItem table', 'sns:Publish referrals-topic'].sort(),
    );
    expect(callsInSource('y.ts', 'new PublishCommand({ PhoneNumber: to })').map((c) => c.on)).toEqual(['sms-phone-numbers']);
    expect(callsInSource('z.ts', 'const x = 1;')).toEqual([]);
  });
});

describe.each(FUNCTION_CATALOGUE.map((e) => [e.name, e] as const))('calls of %s', (name, entry) => {
  let calls: CodeCall[] = [];
  beforeAll(async () => {
    calls = await callsOfFunction(REPOSITORY_ROOT, name);
  }, 60_000);
  it('are all granted, or reviewed as never made', () => {
    // A function with no grant (the OpenAPI document) makes no call; every other one makes some.
    if (entry.grants.length === 0) expect(calls).toEqual([]);
    else expect(calls.length, 'the scanner found no AWS call at all').toBeGreaterThan(0);
    const missing = calls.filter((c) => !entry.grants.some((g) => g.actions.some((a) => g.on.some((on) => matches(c, a, on)))) && !(entry.notUsed ?? []).some((n) => matches(c, n.action, n.on)));
    expect(missing.map((c) => `${c.action} on ${c.on} (${c.file})`)).toEqual([]);
  });
  it('are what the grants are for: no grant the code never exercises, no `notUsed` that is granted', () => {
    for (const g of entry.grants) {
      for (const on of g.on.filter((t) => CODE_TARGETS.includes(t))) {
        for (const action of g.actions) {
          expect(
            calls.some((c) => matches(c, action, on)),
            `${action} on ${on} is granted but no code in the bundle calls it`,
          ).toBe(true);
        }
      }
    }
    for (const n of entry.notUsed ?? []) {
      expect(
        calls.some((c) => matches(c, n.action, n.on)),
        `notUsed ${n.action} on ${n.on}: no such call in the bundle any more`,
      ).toBe(true);
      const granted = entry.grants.some((g) => g.actions.includes(n.action) && g.on.includes(n.on));
      expect(granted, `${n.action} on ${n.on} is both granted and listed as not used`).toBe(false);
    }
  });
});
