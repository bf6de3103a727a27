// No echo, no 5xx: every route of the API, over real HTTP against DynamoDB
// Local, gets fuzzed bodies (and query strings and path parameters) with a unique marker planted in
// keys and values; no response, whatever its status, may contain a marker, and none may be a 5xx.
// Callers are authorised for the route, so bodies reach validation (the part that could echo).
// FUZZ_RUNS sets the bodies per route (default 40 in npm test; `FUZZ_RUNS=10000` for the full run, see
// docs/privacy.md for its figures).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_HOTLINE_KEYS, DEV_KEY_FOR_CHANNEL } from '../../local/dev-config.js';
import { mintDevToken } from '../../local/dev-jwt.js';
import { API_ROUTES, type ApiRoute } from '../../shared/http/routes.js';
import { signatureHeader } from '../../shared/http/signature.js';
import { postIntake, startTestRuntime } from '../support/local-api.js';
import { putRoster, testRoster } from '../support/notification-fixtures.js';
import { documentClientFor, seedCase } from '../support/referrals-fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

let rt: Awaited<ReturnType<typeof startTestRuntime>>;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const readPool: string[] = [];

beforeAll(async () => {
  rt = await startTestRuntime('noecho');
  const db = documentClientFor(rt.dynamoEndpoint);
  const seeded = await seedCase(db, rt.tableName, { needs: ['safety_protection'], urgency: 'urgent', divisionCode: '222401' });
  ids.caseId = seeded.case.caseId;
  ids.referralId = seeded.referrals[0]!.referralId;
  // Every read of a case is an event in its partition, and a read returns them all: the reads of a
  // long run are spread over a pool of cases (one case read 10,000 times is not what is tested here).
  for (let i = 0; i < Math.ceil(RUNS / 100); i++) {
    readPool.push((await seedCase(db, rt.tableName, { needs: ['safety_protection'], urgency: 'urgent', divisionCode: '222401' })).case.caseId);
  }
  // A case with a pending danger review, so that its route reads the body.
  const review = await postIntake(rt.api.url, 'web', {
    clientRequestId: 'web-noecho-review-1',
    description: '我现在不知道安不安全，想找人说说。',
    divisionCode: '222401',
    safeNow: 'unsure',
    consent: { shareWithDepartments: true },
  });
  expect(review.body.dangerReview?.status).toBe('pending');
  ids.reviewCaseId = review.body.caseId;
  tokens.caseworker = await mintDevToken({ role: 'caseworker', department: 'public_security', division: '222401' });
  tokens.supervisor = await mintDevToken({ role: 'supervisor', department: 'public_security', division: '222401' });
  tokens.coordinator = await mintDevToken({ role: 'coordinator', division: '220000' });
  tokens.admin = await mintDevToken({ role: 'admin' });
  expect((await putRoster(rt.api.url, tokens.admin, testRoster('health', '222401'))).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await rt?.stop();
});

/** Who calls each route: someone allowed to, so that the body is read. */
function callerOf(route: ApiRoute): string | undefined {
  if (route.auth !== 'staff') return undefined;
  if (route.path.startsWith('/admin/')) return tokens.admin;
  if (route.path.startsWith('/cases/{caseId}/')) return tokens.coordinator;
  if (route.path.endsWith('/extension/decision') || route.path === '/reviews' || route.path === '/reports/overview') return tokens.supervisor;
  if (route.path.endsWith('/reroute')) return tokens.coordinator;
  return tokens.caseworker;
}

function pathOf(route: ApiRoute, marker: string, plantInPath: boolean): string {
  const param: Record<string, string> = {
    caseId: route.path.endsWith('/danger-review') ? ids.reviewCaseId! : route.method === 'GET' ? readPool[counter % readPool.length]! : ids.caseId!,
    referralId: ids.referralId!,
    department: 'health',
    divisionCode: '222401',
  };
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(plantInPath ? `${param[name]}${marker}` : param[name]!));
}

/** Field names the schemas know (so that some bodies get deep into validation), and others. */
const FIELDS = [
  'text',
  'reason',
  'note',
  'outcome',
  'summary',
  'department',
  'divisionCode',
  'workingDays',
  'approve',
  'reached',
  'satisfaction',
  'confirm',
  'needs',
  'urgency',
  'callId',
  'ticketNo',
  'receivedAt',
  'operatorId',
  'category',
  'caller',
  'name',
  'phone',
  'age',
  'location',
  'township',
  'village',
  'contact',
  'safeToCall',
  'safeToSms',
  'preferredTime',
  'doNotContact',
  'consent',
  'shareWithDepartments',
  'clientRequestId',
  'description',
  'safeNow',
  'expectedVersion',
  'caseworkers',
  'supervisor',
  'id',
  'onDuty',
  'days',
  'from',
  'to',
  'operatorAssessment',
  'risks',
  'status',
  'cursor',
  'limit',
  'applicant',
  'matter',
];
const M = '⟪M⟫'; // replaced by the request's marker when the body is written (JSON.stringify leaves it as it is)

const leaf = fc.oneof(
  fc.constant(M),
  fc.constant(`${M}${M}`),
  fc.string({ maxLength: 6 }).map((s) => `${s}${M}`),
  fc.constantFrom('legal_aid', 'emergency', 'routine', 'yes', 'no', 'unsure', 'service_provided', 'not_our_function', '222401', '2026-12-04T08:00:00.000Z', 'web-x', ''),
  fc.integer({ min: -5, max: 400 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(
  fc.constantFrom(...FIELDS),
  fc.constant(M),
  fc.string({ maxLength: 4 }).map((s) => `${s}${M}`),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
  object: fc.dictionary(key, tie('tree'), { maxKeys: 8 }),
  array: fc.array(tie('tree'), { maxLength: 4 }),
}));
const body = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, tree, { maxKeys: 10 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: tree.map((t) => JSON.stringify(t)) },
  // Not JSON at all, or cut short.
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `{"text":"${s}${M}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => `${M}${s}`) },
);
/**
 * Bodies the route accepts, with markers in every free-text value, so that answers to valid
 * requests (201, 200, a 409 on state) are scanned too, not only the 400s.
 */
const words = fc.string({ maxLength: 8 }).map((s) => `来电人说${s}${M}，想咨询离婚`);
const VALID: Record<string, fc.Arbitrary<unknown>> = {
  'POST /intake/12338': fc.record({
    callId: fc.uuid().map((u) => `12338-fz-${u}`),
    receivedAt: fc.constant('2026-12-04T10:05:00+08:00'),
    operatorId: fc.constant('op-fz'),
    summary: words,
    caller: fc.record({ name: fc.constant(`李${M}`), phone: fc.constant('13900139000') }),
    contact: fc.record({ safeToCall: fc.boolean(), safeToSms: fc.boolean(), preferredTime: fc.constant(`晚上${M}`) }),
    consent: fc.record({ shareWithDepartments: fc.boolean() }),
  }),
  'POST /intake/12348': fc.record({
    ticketNo: fc.uuid().map((u) => `12348-FZ-${u}`),
    createdTime: fc.constant('2026-12-04 09:30:00'),
    content: words,
    consultType: fc.constant(`土地纠纷${M}`),
    areaCode: fc.constant('220182'),
    applicant: fc.record({ name: fc.constant(`赵${M}`), mobile: fc.constant('13700137000') }),
    agreeTransfer: fc.boolean(),
  }),
  'POST /intake/web': fc.record({
    clientRequestId: fc.uuid().map((u) => `web-${u}`),
    description: words,
    divisionCode: fc.constant('220722'),
    safeNow: fc.constantFrom('yes', 'no', 'unsure'),
    contact: fc.record({ safeToCall: fc.boolean(), safeToSms: fc.boolean() }),
    consent: fc.record({ shareWithDepartments: fc.boolean() }),
  }),
  'POST /referrals/{referralId}/notes': fc.record({ text: words }),
  'POST /referrals/{referralId}/reopen': fc.record({ note: words }),
  'POST /referrals/{referralId}/return': fc.record({ reason: fc.constant('not_our_function'), note: words }),
  'POST /referrals/{referralId}/extension': fc.record({ workingDays: fc.integer({ min: 1, max: 5 }), reason: words }),
  'POST /referrals/{referralId}/resolve': fc.record({ outcome: fc.constantFrom('service_provided', 'unreachable'), reason: words, summary: words }),
  'POST /cases/{caseId}/danger-review': fc.record({ confirm: fc.boolean(), note: words }),
  'POST /cases/{caseId}/classification': fc.record({ needs: fc.constant(['legal_aid']), urgency: fc.constantFrom('routine', 'urgent'), divisionCode: fc.constant('222401'), reason: words }),
};

const query = fc.dictionary(key, fc.oneof(fc.constant(M), fc.constantFrom('open', 'followup', 'health', '222401', '5', 'x')), { maxKeys: 4 });

let counter = 0;
const markerFor = () => `Qz${(counter++).toString(36)}Mk标记${counter}`;

async function send(route: ApiRoute, raw: string, q: Record<string, string>, plantInPath: boolean, marker: string) {
  const url = new URL(`${rt.api.url}${pathOf(route, marker, plantInPath)}`);
  for (const [k, v] of Object.entries(q)) url.searchParams.set(k.replaceAll(M, marker), v.replaceAll(M, marker));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const caller = callerOf(route);
  if (caller) headers.authorization = `Bearer ${caller}`;
  if (route.auth === 'signature') {
    const channel = route.path.endsWith('12338') ? '12338' : '12348';
    const keyId = DEV_KEY_FOR_CHANNEL[channel];
    headers['x-key-id'] = keyId;
    headers['x-signature'] = signatureHeader(DEV_HOTLINE_KEYS[keyId]!.secret, Math.floor(Date.now() / 1000), raw);
  }
  const res = await fetch(url, { method: route.method, headers, body: route.method === 'GET' ? undefined : raw });
  const text = await res.text();
  return { status: res.status, text, headers: [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n') };
}

describe('no response echoes what was sent, none is a 5xx', () => {
  const statuses = new Map<string, Map<number, number>>();
  afterAll(() => {
    // What the run covered, per route: the statuses seen and how often.
    const lines = [...statuses].map(
      ([r, s]) =>
        `${r}: ${[...s]
          .sort(([a], [b]) => a - b)
          .map(([k, v]) => `${k}×${v}`)
          .join(' ')}`,
    );
    console.info(`no-echo fuzz, ${RUNS} bodies per route:\n${lines.join('\n')}`);
  });

  it.each(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s',
    async (name, route) => {
      const seen = new Map<number, number>();
      statuses.set(name, seen);
      const valid = VALID[name];
      const bodies = valid ? fc.oneof({ weight: 3, arbitrary: body }, { weight: 1, arbitrary: valid.map((v) => JSON.stringify(v)) }) : body;
      await fc.assert(
        fc.asyncProperty(bodies, query, fc.boolean(), fc.nat(9), async (raw, q, pathPlant, pick) => {
          const marker = markerFor();
          const res = await send(route, raw.replaceAll(M, marker), route.method === 'GET' ? q : pick === 0 ? q : {}, pathPlant && pick < 2, marker);
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          expect(res.status, `${name} ${res.text}`).toBeLessThan(500);
          // The whole marker, or either half of it (a key cut or transliterated would still show one).
          for (const part of [marker, marker.split('标记')[0]!, `标记${marker.split('标记')[1]}`]) {
            expect(res.text, `${name} answered ${res.status} with what was sent`).not.toContain(part);
            expect(res.headers).not.toContain(part);
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261204) },
      );
      expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
    },
    600_000,
  );
});
