// The emergency path's human parts end to end (real HTTP, DynamoDB Local, its real stream, the
// notifier handler; SNS is the only mock): an operator's flag and a caller's "not safe" make an
// emergency; a danger-screen hit asks the division's coordinators to review within 15 minutes;
// confirming raises the case to an emergency and texts as one, dismissing texts nobody, silence
// escalates; a coordinator's reclassification adds, cancels and re-routes referrals.
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { LOCAL_AWS_CONFIG } from '../../local/dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.js';
import { streamNotifier } from '../../local/services/stream-notifier.js';
import { DynamoReferralRepository } from '../../shared/adapters/dynamo/referral-repository.js';
import { ulidIds } from '../../shared/adapters/ids.js';
import { loadDivisions } from '../../shared/config/data-files.js';
import { loadDeadlinePolicy } from '../../shared/config/deadlines.js';
import { loadRoutingTable } from '../../shared/config/routing.js';
import { runEscalation } from '../../shared/usecases/referrals/index.js';
import { postIntake, readResponse, scanAll } from '../support/local-api.js';
import { cstShort, expectedNewReferralSms, expectedStaffPhones, phoneOf, putRoster, testRoster, ticket12348, uid, until } from '../support/notification-fixtures.js';

const TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:123456789012:referrals';
process.env.AWS_REGION = 'ap-southeast-1';
process.env.SMS_ADAPTER = 'sns';
process.env.REFERRAL_PUBLISHER = 'sns';
process.env.TOPIC_ARN = TOPIC_ARN;
delete process.env.SMS_SENDER_ID;

const sns = mockClient(SNSClient);
let n = 0;
sns.on(PublishCommand).callsFake(async () => ({ MessageId: `msg-${++n}` }));
const publishes = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
const smsTo = (text: string) =>
  publishes()
    .filter((p) => p.PhoneNumber && p.Message === text)
    .map((p) => p.PhoneNumber!)
    .sort();

let rt: LocalRuntime;
let db: DynamoDBDocumentClient;
const DEPTS = ['public_security', 'justice', 'civil_affairs', 'health', 'womens_federation', 'agriculture', 'coordinator'];

beforeAll(async () => {
  rt = await startLocalRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), tableName: `triage-${randomUUID().slice(0, 8)}`, services: [streamNotifier({ seedRoster: false, pollMs: 100 })] });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint: rt.dynamoEndpoint }));
  const admin = await mintDevToken({ role: 'admin' });
  for (const div of ['222403', '220182']) for (const d of DEPTS) expect((await putRoster(rt.api.url, admin, testRoster(d, div))).status).toBe(200);
});
afterAll(async () => {
  await rt?.stop();
});

const items = async () => scanAll(db, rt.tableName);
const eventsOf = async (caseId: string) => (await items()).filter((i) => i.entity === 'event' && i.caseId === caseId);
const reviewOf = async (caseId: string) => (await items()).find((i) => i.entity === 'review' && i.caseId === caseId);
const token = (role: 'caseworker' | 'supervisor' | 'coordinator' | 'admin', division: string, department?: string) =>
  mintDevToken({ role, division, department, sub: `${role}-${department ?? 'all'}-${division}` });

async function post(path: string, tokenValue: string, body: unknown) {
  return readResponse(await fetch(`${rt.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenValue}` }, body: JSON.stringify(body) }));
}

const hotline = (summary: string, over: Record<string, unknown> = {}) => ({
  callId: `call-${uid()}`,
  receivedAt: new Date().toISOString(),
  operatorId: 'op-7',
  summary,
  location: { divisionCode: '222403' },
  contact: { safeToSms: false },
  consent: { shareWithDepartments: true },
  ...over,
});

/** The emergency text of a referral and who must get it: the on-duty caseworkers and the supervisor. */
async function expectEmergencySms(referral: { need: string; divisionCode: string; signForBy: string; department: string }, reference: string) {
  const text = expectedNewReferralSms(referral, reference, 'emergency');
  await until(`emergency SMS ${reference}`, async () => smsTo(text).length >= 3);
  expect(smsTo(text)).toEqual(expectedStaffPhones(referral.department, referral.divisionCode, 'emergency'));
}

describe('human signals outrank the classifier, upwards only', () => {
  it("an operator's risk flag on a bland summary makes an emergency: safety need, both SMS, 110 guidance, the operator as the source", async () => {
    const res = await postIntake(rt.api.url, '12338', hotline('来电人想咨询一些情况，说话吞吞吐吐。', { operatorAssessment: { risks: ['violence_now'] } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ urgency: 'emergency', needs: ['safety_protection'], explanation: { urgencySource: 'operator', humanSignals: ['operator risk: violence_now'] } });
    expect(res.body.operatorActions.map((a: any) => a.code)).toContain('call_110');
    expect(res.body.dangerReview).toBeUndefined();
    const r = res.body.referrals[0];
    expect(r).toMatchObject({ department: 'public_security', divisionCode: '222403' });
    await expectEmergencySms(r, res.body.reference);
  });

  it('an operator urgency of "routine" never lowers what the classifier found', async () => {
    const res = await postIntake(rt.api.url, '12338', hotline('来电人称丈夫拿着菜刀说要砍死她，现在就在门外。', { operatorAssessment: { urgency: 'routine' } }));
    expect(res.body).toMatchObject({ urgency: 'emergency' });
    expect(res.body.explanation.urgencySource).toBe('classifier');
  });

  it('a web caller who answers "not safe now" is an emergency with its SMS', async () => {
    const res = await postIntake(rt.api.url, 'web', {
      clientRequestId: `web-${uid()}-x`,
      description: '我想找人帮帮我，不知道该怎么说。',
      divisionCode: '222403',
      safeNow: 'no',
      consent: { shareWithDepartments: true },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ urgency: 'emergency', needs: ['safety_protection'], explanation: { urgencySource: 'caller' } });
    await expectEmergencySms(res.body.referrals[0], res.body.reference);
  });

  it('an unknown risk is a 400 naming the field, and nothing is stored', async () => {
    const body = hotline('来电人咨询。', { operatorAssessment: { risks: ['bad_weather'] } });
    const res = await postIntake(rt.api.url, '12338', body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.path)).toEqual(['operatorAssessment.risks.0']);
    expect((await items()).some((i) => i.externalId === body.callId)).toBe(false);
  });
});

// Texts the screen flags and the classifier does not call an emergency (checked in the first test of each block).
const HEART = '来电人说她心口一阵阵发紧，说不清哪里不舒服，家里就她一个。敦化市。';
const FAREWELL = '来电人说她把存折交给了姐姐，说以后孩子就托付给姐姐了。敦化市。';
const reviewSms = (reference: string, dueAt: string) => `【留守妇女关爱】紧急危险研判${reference}：敦化一件求助可能有危险，请于${cstShort(dueAt)}前登录确认`;
const onDutyCoordinators = ['222403'].flatMap((d) => [`+86${phoneOf('coordinator', d, 1)}`, `+86${phoneOf('coordinator', d, 2)}`]).sort();

describe('a danger-screen hit the classifier did not call an emergency', () => {
  let intake: any;
  beforeAll(async () => {
    intake = (await postIntake(rt.api.url, '12338', hotline(HEART))).body;
  });

  it('is stored with a pending review due in 15 minutes, shown in the intake response', async () => {
    expect(intake.urgency).not.toBe('emergency');
    expect(intake.dangerReview.status).toBe('pending');
    expect(Date.parse(intake.dangerReview.dueAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(intake.dangerReview.dueAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(intake.operatorActions.map((a: any) => a.code)).toContain('danger_review');
    const review = await reviewOf(intake.caseId);
    expect(review).toMatchObject({ status: 'pending', divisionCode: '222403', impliedNeeds: ['health_screening'], reasons: ['screen'] });
    expect(review!.cues).toEqual(expect.arrayContaining(['body.chest: 心口']));
  });

  it("texts the division's on-duty coordinators at once", async () => {
    await until('review SMS', async () => smsTo(reviewSms(intake.reference, intake.dangerReview.dueAt)).length >= 2);
    expect(smsTo(reviewSms(intake.reference, intake.dangerReview.dueAt))).toEqual(onDutyCoordinators);
  });

  it('from the public web form too, where one intake texts a person once: the review always goes (at most the manual-triage text beside it)', async () => {
    const web = (
      await postIntake(rt.api.url, 'web', {
        clientRequestId: `web-${uid()}-review`,
        description: HEART.replace('来电人说她', '我').replace('。敦化市。', '。'),
        divisionCode: '222403',
        consent: { shareWithDepartments: true },
      })
    ).body;
    expect(web.dangerReview?.status).toBe('pending');
    await until('web review SMS', async () => smsTo(reviewSms(web.reference, web.dangerReview.dueAt)).length >= 2);
    expect(smsTo(reviewSms(web.reference, web.dangerReview.dueAt))).toEqual(onDutyCoordinators);
    await new Promise((r) => setTimeout(r, 1000));
    const toCoordinators = publishes().filter((p) => p.PhoneNumber && onDutyCoordinators.includes(p.PhoneNumber) && p.Message!.includes(web.reference));
    for (const phone of onDutyCoordinators) expect(toCoordinators.filter((p) => p.PhoneNumber === phone).length).toBeLessThanOrEqual(2);
  });

  it('a caseworker cannot decide it, nor a coordinator of another prefecture: neither sees the case, so both get the 404 of a missing case (recorded)', async () => {
    const cw = await post(`/cases/${intake.caseId}/danger-review`, await token('caseworker', '222403', 'health'), { confirm: true });
    expect(cw.status).toBe(404);
    const other = await post(`/cases/${intake.caseId}/danger-review`, await token('coordinator', '220100'), { confirm: true });
    expect(other.status).toBe(404);
    const missing = await post(`/cases/${'0'.repeat(26)}/danger-review`, await token('coordinator', '220100'), { confirm: true });
    expect(other.body.error).toEqual(missing.body.error);
    const denials = (await eventsOf(intake.caseId)).filter((e) => e.type === 'access_denied');
    expect(denials.map((e) => (e.details as any).reason).sort()).toEqual(['outside_division', 'role_not_permitted']);
    expect((await reviewOf(intake.caseId))!.status).toBe('pending');
  });

  it('confirmed by the coordinator: the case becomes an emergency with the health need and the emergency SMS goes out', async () => {
    const res = await post(`/cases/${intake.caseId}/danger-review`, await token('coordinator', '222403'), { confirm: true, note: '回拨确认胸痛' });
    expect(res.status).toBe(200);
    expect(res.body.review).toMatchObject({ status: 'confirmed', decidedBy: { role: 'coordinator' } });
    const stored = (await items()).filter((i) => i.caseId === intake.caseId);
    const caseItem = stored.find((i) => i.entity === 'case')!;
    expect(caseItem.classification).toMatchObject({ urgency: 'emergency', needs: ['health_screening'], explanation: { urgencySource: 'review' } });
    const referrals = stored.filter((i) => i.entity === 'referral');
    const health = referrals.find((r) => r.need === 'health_screening')!;
    expect(health).toMatchObject({ urgency: 'emergency', status: 'referred', department: 'health' });
    // The manual-triage referral of a text with no recognised need is no longer needed.
    expect(referrals.find((r) => r.need === 'manual_triage')).toMatchObject({ status: 'cancelled' });
    await expectEmergencySms(health as any, intake.reference);
    const types = (await eventsOf(intake.caseId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['danger_review_requested', 'danger_review_confirmed', 'referral_added', 'referral_cancelled']));
    expect((await reviewOf(intake.caseId))!.dueSk).toBeUndefined();
    // Decided once: a second decision is a conflict.
    expect((await post(`/cases/${intake.caseId}/danger-review`, await token('coordinator', '222403'), { confirm: false, note: 'x' })).status).toBe(409);
  });
});

describe('a dismissed review', () => {
  it('needs a note, texts no department as an emergency and keeps the case as it was', async () => {
    const before = publishes().length;
    const intake = (await postIntake(rt.api.url, '12338', hotline(FAREWELL))).body;
    expect(intake.dangerReview?.status).toBe('pending');
    await until('review SMS', async () => smsTo(reviewSms(intake.reference, intake.dangerReview.dueAt)).length >= 2);
    const coordinator = await token('coordinator', '222403');
    const noNote = await post(`/cases/${intake.caseId}/danger-review`, coordinator, { confirm: false });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.fields.map((f: any) => f.path)).toEqual(['note']);
    const res = await post(`/cases/${intake.caseId}/danger-review`, coordinator, { confirm: false, note: '已回访，她在姐姐家，安全' });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const texts = publishes()
      .slice(before)
      .filter((p) => p.PhoneNumber)
      .map((p) => p.Message!);
    expect(texts.some((t) => t.includes('紧急转介'))).toBe(false);
    const caseItem = (await items()).find((i) => i.entity === 'case' && i.caseId === intake.caseId)!;
    expect((caseItem.classification as any).urgency).toBe(intake.urgency);
    expect((await eventsOf(intake.caseId)).some((e) => e.type === 'danger_review_dismissed')).toBe(true);
  });
});

describe('an unanswered review', () => {
  it('escalates when its 15 minutes pass: the reminder to the coordinators, then their supervisor', async () => {
    const intake = (await postIntake(rt.api.url, '12338', hotline('来电人说孩子发高烧，刚才抽起来了，眼睛往上翻。敦化市。'))).body;
    expect(intake.dangerReview?.status).toBe('pending');
    const clock = { now: new Date() };
    const deps = { store: new DynamoReferralRepository(db, rt.tableName), clock: loadDeadlinePolicy(), divisions: loadDivisions(), ids: ulidIds, now: () => clock.now, routing: loadRoutingTable() };
    const dueAt = Date.parse(intake.dangerReview.dueAt);
    clock.now = new Date(dueAt - 60_000);
    // Other pending reviews of this table escalate too: look at this case's.
    const mine = async () => (await runEscalation(deps)).reviewsEscalated.filter((e) => e.caseId === intake.caseId);
    expect(await mine()).toEqual([]);
    clock.now = new Date(dueAt + 60_000);
    expect(await mine()).toEqual([{ caseId: intake.caseId, level: 1 }]);
    expect(await mine()).toEqual([]);
    const reminder = `【留守妇女关爱】催办：转介${intake.reference}（紧急，危险研判，敦化）研判已超期，期限${cstShort(intake.dangerReview.dueAt)}`;
    await until('review reminder', async () => smsTo(reminder).length >= 2);
    expect(smsTo(reminder)).toEqual(onDutyCoordinators);
    clock.now = new Date(dueAt + 31 * 60_000);
    expect(await mine()).toEqual([{ caseId: intake.caseId, level: 2 }]);
    const supervision = `【留守妇女关爱】督办：转介${intake.reference}（紧急，危险研判，敦化）研判超期，期限${cstShort(intake.dangerReview.dueAt)}，请督促`;
    await until('review supervision', async () => smsTo(supervision).length >= 1);
    expect(smsTo(supervision)).toEqual([`+86${phoneOf('coordinator', '222403', 9)}`]);
    expect((await eventsOf(intake.caseId)).filter((e) => e.type === 'danger_review_escalated')).toHaveLength(2);
  });
});

describe('staff reclassification', () => {
  it('a coordinator in scope corrects needs and urgency: the removed need is cancelled and told, the added one referred and texted, all recorded', async () => {
    const intake = (await postIntake(rt.api.url, '12348', ticket12348())).body;
    const legal = intake.referrals.find((r: any) => r.need === 'legal_aid');
    expect(legal).toBeTruthy();
    await until('first notification', async () => (await eventsOf(intake.caseId)).some((e) => e.type === 'notification_sent'));
    const res = await post(`/cases/${intake.caseId}/classification`, await token('coordinator', '220100'), {
      needs: ['social_assistance'],
      urgency: 'urgent',
      divisionCode: '220182',
      reason: '回访核实：主要是生活困难',
    });
    expect(res.status).toBe(200);
    expect(res.body.cancelled).toEqual([legal.referralId]);
    expect(res.body.added).toHaveLength(1);
    const stored = (await items()).filter((i) => i.caseId === intake.caseId);
    const added = stored.find((i) => i.entity === 'referral' && i.referralId === res.body.added[0])!;
    expect(added).toMatchObject({ need: 'social_assistance', department: 'civil_affairs', urgency: 'urgent', status: 'referred', queuePk: 'Q#civil_affairs#220182' });
    const cancelled = stored.find((i) => i.entity === 'referral' && i.referralId === legal.referralId)!;
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.queuePk).toBeUndefined();
    expect(cancelled.duePk).toBeUndefined();
    const events = await eventsOf(intake.caseId);
    const reclassified = events.find((e) => e.type === 'reclassified')!;
    expect(reclassified.actor).toMatchObject({ role: 'coordinator', id: 'coordinator-all-220100' });
    expect(reclassified.details).toMatchObject({ reason: '回访核实：主要是生活困难', before: { needs: ['legal_aid'] }, after: { needs: ['social_assistance'], urgency: 'urgent' } });
    // The justice caseworkers are told it is withdrawn; civil affairs gets the new urgent referral.
    const cancelText = `【留守妇女关爱】撤销一般转介${intake.reference}（法律援助，榆树）：已撤销，无需再办理`;
    await until('cancel SMS', async () => smsTo(cancelText).length >= 2);
    expect(smsTo(cancelText)).toEqual(expectedStaffPhones('justice', '220182', 'routine'));
    const addText = expectedNewReferralSms(added as any, intake.reference, 'urgent');
    await until('new referral SMS', async () => smsTo(addText).length >= 2);
    expect(smsTo(addText)).toEqual(expectedStaffPhones('civil_affairs', '220182', 'urgent'));
  });

  it('a caseworker cannot reclassify (403, recorded), nor a coordinator outside the case (404, as if missing) or the target division (403)', async () => {
    const intake = (await postIntake(rt.api.url, '12348', ticket12348())).body;
    const body = { needs: ['legal_aid', 'safety_protection'], urgency: 'urgent', divisionCode: '220182', reason: 'r' };
    expect((await post(`/cases/${intake.caseId}/classification`, await token('caseworker', '220182', 'justice'), body)).status).toBe(403);
    expect((await post(`/cases/${intake.caseId}/classification`, await token('supervisor', '220182', 'justice'), body)).status).toBe(403);
    expect((await post(`/cases/${intake.caseId}/classification`, await token('coordinator', '222400'), body)).status).toBe(404);
    expect((await post(`/cases/${intake.caseId}/classification`, await token('coordinator', '220182'), { ...body, divisionCode: '222403' })).status).toBe(403);
    const denials = (await eventsOf(intake.caseId)).filter((e) => e.type === 'access_denied').map((e) => (e.details as any).reason);
    expect(denials.sort()).toEqual(['outside_division', 'role_not_permitted', 'role_not_permitted', 'target_outside_division']);
    expect((await eventsOf(intake.caseId)).some((e) => e.type === 'reclassified')).toBe(false);
  });

  it('the provincial coordinator re-routes to another county; a bad body is a 400 with its paths', async () => {
    const intake = (await postIntake(rt.api.url, '12348', ticket12348())).body;
    const province = await token('coordinator', '220000');
    const bad = await post(`/cases/${intake.caseId}/classification`, province, { needs: ['legal_aid', 'legal_aid', 'nope'], urgency: 'soon', divisionCode: '12', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['divisionCode', 'needs.2', 'reason', 'urgency']);
    const twice = await post(`/cases/${intake.caseId}/classification`, province, { needs: ['legal_aid', 'legal_aid'], urgency: 'routine', divisionCode: '222403', reason: 'r' });
    expect(twice.body.error.fields.map((f: any) => f.path)).toEqual(['needs']);
    const res = await post(`/cases/${intake.caseId}/classification`, province, { needs: ['legal_aid'], urgency: 'routine', divisionCode: '222403', reason: '她已搬到敦化' });
    expect(res.status).toBe(200);
    expect(res.body.rerouted).toHaveLength(1);
    const moved = (await items()).find((i) => i.entity === 'referral' && i.referralId === res.body.rerouted[0])!;
    expect(moved).toMatchObject({ department: 'justice', divisionCode: '222403', queuePk: 'Q#justice#222403', status: 'referred' });
    const same = await post(`/cases/${intake.caseId}/classification`, province, { needs: ['legal_aid'], urgency: 'routine', divisionCode: '222403', reason: '再次' });
    expect(same.status).toBe(409);
  });
});

describe('corrections teach', () => {
  it('the export holds every decision above as labelled lines classify:eval reads, with no marker of personal data', async () => {
    // One more correction with planted personal data in every field and in the text.
    const marker = { name: '标记姓名丁', phone: '13600001111', township: '标记乡镇', village: '标记屯' };
    const intake = (
      await postIntake(
        rt.api.url,
        '12338',
        hotline(`来电人${marker.name}，电话${marker.phone}，住${marker.township}${marker.village}，身份证222403199001011234，说丈夫不给钱，孩子没人管。`, {
          caller: { name: marker.name, phone: marker.phone },
          location: { divisionCode: '222403', township: marker.township, village: marker.village },
        }),
      )
    ).body;
    const res = await post(`/cases/${intake.caseId}/classification`, await token('coordinator', '222400'), {
      needs: ['family_education', 'social_assistance'],
      urgency: 'routine',
      divisionCode: '222403',
      reason: '核实',
    });
    expect(res.status).toBe(200);

    const { execFileSync } = await import('node:child_process');
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const env = { ...process.env, DYNAMODB_ENDPOINT: rt.dynamoEndpoint, TABLE_NAME: rt.tableName };
    const out = execFileSync('npx', ['tsx', 'cli/corrections-export.ts', '--from', month, '--to', month], { env, encoding: 'utf8' });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const kinds = lines.map((l) => l.source).sort();
    expect(kinds.filter((k) => k === 'reclassification').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toEqual(expect.arrayContaining(['review_confirmed', 'review_dismissed']));
    const mine = lines.find((l) => l.needs.includes('family_education') && l.needs.includes('social_assistance'));
    expect(mine).toMatchObject({ channel: '12338', urgency: 'routine', divisionCode: '222403', inputDivisionCode: '222403', machine: { needs: intake.needs } });
    expect(mine.text).toContain('丈夫不给钱');
    for (const m of [...Object.values(marker), '222403199001011234', '1360000']) expect(out).not.toContain(m);

    // classify:eval reads the export as it is.
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'corr-')), 'corrections.jsonl');
    writeFileSync(file, out);
    const report = execFileSync('npx', ['tsx', 'cli/classify-eval.ts', file], { encoding: 'utf8' });
    expect(report).toContain(`Intakes: ${lines.length}`);
    expect(report).not.toContain('Skipped');
  });
});
