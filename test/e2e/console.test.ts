// The caseworker console in a real headless Chromium against the local runtime (real handlers,
// the development sign-in, DynamoDB Local): sign in, queue, case page, lifecycle actions,
// the supervisors' overview, and what another department cannot see.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../local/dev-jwt.js';
import { readFileSync } from 'node:fs';
import { deadlineKeys, queueSkOf, referralKey } from '../../shared/adapters/dynamo/keys.js';
import { readReportXlsx } from '../support/report-xlsx-reader.js';
import { artifact, browserStorage, contrastProblems, eventually, getItem, launchChromium, startWebTestRuntime, watchForProblems, type WebTestRuntime } from '../support/web-runtime.js';

// A browser on a shared two-core machine: give each test room.
vi.setConfig({ testTimeout: 90_000 });

let rt: WebTestRuntime;
let browser: Browser;
let n = 0;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startWebTestRuntime('e2e-console'), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

interface Intake {
  caseId: string;
  reference: string;
  referrals: { referralId: string; need: string; department: string; divisionCode: string }[];
}

async function intake(description: string, divisionCode: string): Promise<Intake> {
  const res = await fetch(`${rt.api.url}/intake/web`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientRequestId: `e2e-console-${Date.now()}-${++n}`,
      description,
      divisionCode,
      name: '测试姓名戊',
      phone: '13600003333',
      contact: { safeToCall: true },
      consent: { shareWithDepartments: true },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Intake;
}

async function post(path: string, token: string, body?: unknown): Promise<number> {
  const res = await fetch(`${rt.api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status;
}

async function openConsole(width: number): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(`${rt.api.url}/console`);
  return { context, page, problems };
}

async function devSignIn(page: Page, role: string, department: string, division: string): Promise<void> {
  await page.getByRole('heading', { name: /开发环境登录/ }).waitFor();
  await page.getByLabel('角色').selectOption(role);
  await page.getByLabel('部门').selectOption(department);
  await page.getByLabel('行政区划').selectOption(division);
  await page.getByRole('button', { name: '生成令牌并登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

const queueRow = (page: Page, reference: string) => page.locator('table.queue tbody tr', { has: page.getByRole('link', { name: reference }) });

describe('the caseworker console', () => {
  it('a caseworker signs in, sees the referral in her queue, accepts and resolves it, and the history shows both', async () => {
    const created = await intake('俺家那口子出去打工好几年了，俺想学个手艺在家挣点钱，县里有啥培训不？', '220722');
    const referral = created.referrals[0]!;
    expect(referral).toMatchObject({ need: 'employment_training', department: 'hrss', divisionCode: '220722' });

    const { context, page, problems } = await openConsole(360);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('console-sign-in-360.png'), fullPage: true });
    await devSignIn(page, 'caseworker', 'hrss', '220722');
    expect(await page.locator('#who').textContent()).toBe('工作人员 · 人力资源和社会保障 · 长岭县');

    // My queue: the referral with its urgency and a running sign-for countdown.
    const row = queueRow(page, created.reference);
    await row.waitFor();
    expect(await row.locator('td[data-label="需求"]').textContent()).toBe('就业创业与技能培训');
    expect(await row.locator('td[data-label="紧急程度"]').textContent()).toBe('一般');
    expect(await row.locator('td[data-label="状态"]').textContent()).toBe('待签收');
    expect(await row.locator('td[data-label="签收时限"]').textContent()).toMatch(/^剩 \d+(天|小时|分)/);
    expect(await row.locator('td[data-label="办结时限"]').textContent()).toBe('签收后开始计时');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('console-queue-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: artifact('console-queue-1280.png'), fullPage: true });

    // The case page: the intake, the classification's explanation, the referral.
    await row.getByRole('link', { name: created.reference }).click();
    await page.getByRole('heading', { name: `案件 ${created.reference}` }).waitFor();
    expect(await page.locator('.intake-text').textContent()).toContain('俺想学个手艺');
    const why = (await page.locator('section[aria-labelledby="why-title"]').textContent()) ?? '';
    expect(why).toContain('就业创业与技能培训');
    // In Chinese for staff: the words that matched and where the county came from, no rule ids, no English.
    expect(why).not.toMatch(/[a-z]+\.[a-z_]+:|structured field|text:|[A-Za-z]{4,}/);
    const card = page.locator(`article[data-referral-id="${referral.referralId}"]`);
    expect(await card.locator('.status-pill').textContent()).toBe('待签收');

    // 签收 (accept): the completion clock starts.
    await card.getByRole('button', { name: '签收', exact: true }).click();
    await eventually(() => card.locator('.status-pill').textContent()).toBe('已签收');
    expect(await page.locator('#flash').textContent()).toContain('已签收');
    expect(await card.locator('dd [data-deadline]').first().textContent()).toMatch(/^剩 /);

    // 办结 (resolve) with an outcome.
    await card.getByRole('button', { name: '办结', exact: true }).click();
    await card.getByLabel('办理结果').selectOption('service_provided');
    await card.getByLabel('办理情况').fill('已帮她报名县里的电商培训班，下月开课。');
    await card.getByRole('button', { name: '确认办结' }).click();
    await eventually(() => card.locator('.status-pill').textContent()).toBe('已办结');

    // The history shows both, in order, by whom.
    const history = page.locator('ol.history');
    const accepted = history.locator('li[data-event-type="accepted"]');
    const resolved = history.locator('li[data-event-type="resolved"]');
    expect(await accepted.locator('.event-type').textContent()).toBe('签收');
    expect(await accepted.locator('.actor').textContent()).toBe('工作人员 · 人力资源和社会保障');
    expect(await resolved.locator('.event-type').textContent()).toBe('办结');
    expect(await resolved.locator('.detail').textContent()).toBe('已提供服务：已帮她报名县里的电商培训班，下月开课。');
    const types = await history.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type')));
    expect(types.indexOf('case_created')).toBeLessThan(types.indexOf('accepted'));
    expect(types.indexOf('accepted')).toBeLessThan(types.indexOf('resolved'));

    const stored = await getItem(rt, referralKey(created.caseId, 1));
    expect(stored).toMatchObject({ status: 'resolved', outcome: 'service_provided' });
    expect(stored!.acceptedBy).toBe('dev-caseworker-hrss-220722');

    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('console-case-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 900 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifact('console-case-360.png'), fullPage: true });

    // Back in the queue it has moved to the follow-up queue (待回访).
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    await page.getByRole('button', { name: '待回访' }).click();
    await queueRow(page, created.reference).waitFor();

    expect(await browserStorage(page)).toEqual({ localStorage: 0, sessionStorage: 0, cookie: '', contextCookies: 0, indexedDb: 0 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signs in with the identity provider by the authorization-code flow with PKCE: the token in memory only, the code good once', async () => {
    const created = await intake('我想报名学手艺，村里有没有培训班？', '220722');
    const { context, page, problems } = await openConsole(1280);
    // The console offers the configured issuer (here the local development issuer).
    await page.getByRole('button', { name: '使用单位统一身份认证登录' }).click();
    await page.getByRole('heading', { name: /开发环境身份提供方/ }).waitFor();
    const authorize = new URL(page.url());
    expect(authorize.pathname).toBe('/dev/oidc/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${rt.api.url}/console`);
    await page.locator('#oidc-role').selectOption('caseworker');
    await page.locator('#oidc-department').selectOption('hrss');
    await page.locator('#oidc-division').fill('220722');
    // The address the issuer sent her back to, as requested (the console strips the code from the bar at once).
    const returned = page.waitForRequest(/\/console\?code=/);
    await page.locator('#oidc-sign-in').click();
    const callback = (await returned).url();
    // Back at the console: signed in as that person, her queue shown, the code gone from the address bar.
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await queueRow(page, created.reference).waitFor();
    expect(page.url()).not.toContain('code=');
    expect(await browserStorage(page)).toEqual({ localStorage: 0, sessionStorage: 0, cookie: '', contextCookies: 0, indexedDb: 0 });
    // The same code again (a copied address, a replay): refused, nobody signed in.
    const replay = await context.newPage();
    await replay.goto(callback);
    await replay.getByRole('button', { name: '使用单位统一身份认证登录' }).waitFor();
    await eventually(() => replay.locator('#sign-in-error').textContent()).toContain('登录');
    expect(await replay.getByRole('button', { name: '退出登录' }).isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("another department's caseworker does not see it, in her queue or by its address", async () => {
    const created = await intake('想学做电商，在家卖点山货，县里有没有培训？', '220722');
    const { context, page, problems } = await openConsole(1280);
    // Signing in by pasting a token, as with a token from the identity provider.
    await page.getByLabel('访问令牌').fill(await mintDevToken({ role: 'caseworker', department: 'health', division: '220722' }));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '我的待办' }).waitFor();
    await eventually(() => page.locator('[role="status"]').first().textContent()).toContain('目前没有转介');
    expect(await page.getByRole('link', { name: created.reference }).count()).toBe(0);

    // Its address does not help either: the API answers as for a case that does not exist.
    await page.evaluate(`location.hash = '#/case/${created.caseId}'`);
    await eventually(() => page.locator('[role="alert"]').last().textContent()).toContain('找不到这个案件');
    expect(await page.content()).not.toContain('在家卖点山货');
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    // A reload forgets the token (memory only): she has to sign in again.
    await page.reload();
    await page.getByRole('heading', { name: '登录转介工作台' }).waitFor();
    expect(await page.locator('#view').isHidden()).toBe(true);
    await context.close();
  });

  it('a coordinator re-routes a referral that a department returned', async () => {
    const created = await intake('想学个手艺，县里有啥培训不？', '220722');
    const referral = created.referrals[0]!;
    const hrss = await mintDevToken({ role: 'caseworker', department: 'hrss', division: '220722' });
    expect(await post(`/referrals/${referral.referralId}/return`, hrss, { reason: 'not_our_function', note: '这类手工培训由妇联组织。' })).toBe(200);

    const { context, page, problems } = await openConsole(1280);
    await devSignIn(page, 'coordinator', '', '220722');
    const row = queueRow(page, created.reference);
    await row.waitFor();
    expect(await row.locator('td[data-label="状态"]').textContent()).toContain('已退回');
    await row.getByRole('link', { name: created.reference }).click();
    const card = page.locator(`article[data-referral-id="${referral.referralId}"]`);
    await card.getByRole('button', { name: '改派' }).click();
    await card.getByLabel('改派部门').selectOption('womens_federation');
    await card.getByRole('button', { name: '确认改派' }).click();
    await eventually(() => card.locator('.status-pill').textContent()).toBe('待签收');
    expect(await card.locator('dd').first().textContent()).toBe('妇联 · 长岭县');
    const history = page.locator('ol.history');
    expect(await history.locator('li[data-event-type="returned"] .detail').textContent()).toBe('不属于本部门职责：这类手工培训由妇联组织。');
    expect(await history.locator('li[data-event-type="rerouted"] .detail').textContent()).toBe('改派至 妇联 · 长岭县');
    expect(await getItem(rt, referralKey(created.caseId, 1))).toMatchObject({ department: 'womens_federation', status: 'referred' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the rest of the lifecycle from the console: a conflicting accept, a note by keyboard, an extension asked and approved, the follow-up and a reopening', async () => {
    const created = await intake('想学电商直播卖山货，县里有没有培训班？', '220722');
    const referral = created.referrals[0]!;
    const worker = await openConsole(1280);
    const other = await openConsole(1280);
    await devSignIn(worker.page, 'caseworker', 'hrss', '220722');
    await devSignIn(other.page, 'caseworker', 'hrss', '220722');
    for (const { page } of [worker, other]) {
      await queueRow(page, created.reference).getByRole('link', { name: created.reference }).click();
      await page.locator(`article[data-referral-id="${referral.referralId}"] button[data-action="accept"]`).waitFor();
    }
    // Both see 待签收; the first accept wins, the second gets the conflict and the fresh state.
    const card = (page: Page) => page.locator(`article[data-referral-id="${referral.referralId}"]`);
    await card(worker.page).getByRole('button', { name: '签收', exact: true }).click();
    await eventually(() => card(worker.page).locator('.status-pill').textContent()).toBe('已签收');
    await card(other.page).getByRole('button', { name: '签收', exact: true }).click();
    await eventually(() => other.page.locator('#flash').textContent()).toMatch(/请刷新后重试|不能签收/);
    expect(await other.page.locator('#flash').getAttribute('class')).toBe('flash error');
    await eventually(() => card(other.page).locator('.status-pill').textContent()).toBe('已签收');
    expect(await other.page.locator('ol.history li[data-event-type="accepted"]').count()).toBe(1);
    await other.context.close();

    const { page } = worker;
    // A note, with the keyboard only.
    await card(page).getByRole('button', { name: '添加记录' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('已电话联系，她想报名下月的培训班。');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('ol.history li[data-event-type="note_added"] .detail').textContent()).toBe('已电话联系，她想报名下月的培训班。');

    // An extension: the caseworker asks, a supervisor approves.
    await card(page).getByRole('button', { name: '申请延期' }).click();
    await card(page).getByLabel('延期（工作日）').fill('5');
    await card(page).getByLabel('延期原因').fill('培训班下月才开课。');
    await card(page).getByRole('button', { name: '确认申请延期' }).click();
    await eventually(() => card(page).textContent()).toContain('等待主管审批');
    const supervisor = await openConsole(1280);
    await devSignIn(supervisor.page, 'supervisor', 'hrss', '220722');
    await queueRow(supervisor.page, created.reference).getByRole('link', { name: created.reference }).click();
    // What she decides on is on the card above the form.
    await eventually(() => card(supervisor.page).locator('dl').textContent()).toContain('申请延期 5 个工作日，等待主管审批');
    await card(supervisor.page).getByRole('button', { name: '审批延期' }).click();
    await card(supervisor.page).getByLabel('审批延期申请').selectOption('yes');
    await card(supervisor.page).getByRole('button', { name: '确认审批延期' }).click();
    await eventually(() => supervisor.page.locator('ol.history li[data-event-type="extension_decided"] .detail').textContent()).toMatch(/^批准延期 5 个工作日/);
    await supervisor.context.close();

    // Resolve with an outcome that needs a reason: the API's field error shows at the field.
    // (A reload signs her out; signing in again opens the case she was on.)
    await page.reload();
    await devSignIn(page, 'caseworker', 'hrss', '220722');
    await page.getByRole('heading', { name: `案件 ${created.reference}` }).waitFor();
    await card(page).getByRole('button', { name: '办结', exact: true }).click();
    await card(page).getByLabel('办理结果').selectOption('client_declined');
    await card(page).getByLabel('办理情况').fill('她决定先不参加。');
    await card(page).getByRole('button', { name: '确认办结' }).click();
    await eventually(() => card(page).locator('#resolve-reason-1-error').textContent()).toContain('须填写原因');
    expect(await card(page).locator('#resolve-reason-1').getAttribute('aria-invalid')).toBe('true');
    await card(page).getByLabel('原因').fill('家里老人生病，走不开。');
    await card(page).getByRole('button', { name: '确认办结' }).click();
    await eventually(() => card(page).locator('.status-pill').textContent()).toBe('已办结');

    // The follow-up call closes it; a reopening brings it back.
    await card(page).getByRole('button', { name: '回访' }).click();
    await card(page).getByLabel('是否联系上本人').selectOption('yes');
    await card(page).getByLabel('满意度（1–5）').selectOption('4');
    await card(page).getByRole('button', { name: '确认回访' }).click();
    await eventually(() => card(page).locator('.status-pill').textContent()).toBe('已关闭');
    expect(await page.locator('ol.history li[data-event-type="followed_up"] .detail').textContent()).toBe('已联系上，满意度 4/5');
    await card(page).getByRole('button', { name: '重新打开' }).click();
    await card(page).getByLabel('重新打开的原因').fill('老人病好了，她又想参加培训。');
    await card(page).getByRole('button', { name: '确认重新打开' }).click();
    await eventually(() => card(page).locator('.status-pill').textContent()).toBe('已重新打开');
    expect(await getItem(rt, referralKey(created.caseId, 1))).toMatchObject({ status: 'reopened', reopenCount: 1 });
    const types = await page.locator('ol.history li').evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type')));
    for (const t of ['accepted', 'note_added', 'extension_requested', 'extension_decided', 'resolved', 'followed_up', 'case_closed', 'reopened', 'case_reopened']) expect(types).toContain(t);
    await worker.context.close();
  }, 60_000);

  it('a supervisor sees the overview of her scope: counts by status, a chart, and the overdue referrals', async () => {
    // Two health referrals in 长岭县; one signed for; the other is made overdue by moving its
    // sign-for deadline into the past (as if the clock had run on).
    const first = await intake('想问问两癌筛查在哪报名，村里姐妹都想去。', '220722');
    const second = await intake('想做个妇科检查，乡里卫生院能做吗？', '220722');
    const healthWorker = await mintDevToken({ role: 'caseworker', department: 'health', division: '220722' });
    expect(await post(`/referrals/${first.referrals[0]!.referralId}/accept`, healthWorker)).toBe(200);
    const late = second.referrals[0]!;
    const past = new Date(Date.now() - 3 * 3600_000).toISOString();
    await rt.db.send(
      new UpdateCommand({
        TableName: rt.tableName,
        Key: referralKey(second.caseId, 1),
        UpdateExpression: 'SET signForBy = :d, queueSk = :sk, deadlineSk = :dl',
        ExpressionAttributeValues: { ':d': past, ':sk': queueSkOf('routine', past, late.referralId), ':dl': deadlineKeys(past, late.referralId).deadlineSk },
      }),
    );
    // The counts come from the statistics consumer, a moment behind the writes.
    const supervisor = await mintDevToken({ role: 'supervisor', department: 'health', division: '220722' });
    await eventually(async () => ((await (await fetch(`${rt.api.url}/reports/overview`, { headers: { authorization: `Bearer ${supervisor}` } })).json()) as { total: number }).total).toBe(2);

    const { context, page, problems } = await openConsole(1280);
    await devSignIn(page, 'supervisor', 'health', '220722');
    await page.getByRole('link', { name: '概览' }).click();
    await page.locator('#stat-total').waitFor();
    expect(await page.locator('#stat-total').textContent()).toBe('2');
    expect(await page.locator('#stat-overdue').textContent()).toBe('1');
    const statusChart = page.locator('figure', { hasText: '按状态' }).locator('svg');
    expect(await statusChart.getAttribute('aria-label')).toBe('按状态：待签收 1，已签收 1，已重新打开 0，已退回 0，已办结 0');
    const overdueRow = page.locator('table.overdue-table tbody tr');
    expect(await overdueRow.count()).toBe(1);
    expect(await overdueRow.locator('td[data-label="编号"]').textContent()).toBe(second.reference);
    expect(await overdueRow.locator('td[data-label="超时"]').textContent()).toMatch(/^超时未签收 (2小时5\d分|3小时\d分)/);
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('console-overview-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 900 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifact('console-overview-360.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a view she has left, still waiting for the API, does not replace the one she moved to', async () => {
    const { context, page, problems } = await openConsole(1280);
    // The queue's first requests answer slowly (a poor connection); the overview's at once.
    let held = 0;
    await page.route(
      (url) => url.pathname === '/reviews' || url.pathname === '/referrals',
      async (r) => {
        held++;
        await new Promise((done) => setTimeout(done, 2500));
        await r.continue();
      },
    );
    await devSignIn(page, 'supervisor', 'health', '220722');
    // Signed in, the queue is loading; she goes to the overview before it has answered.
    await page.getByRole('link', { name: '概览' }).click();
    await page.locator('#stat-total').waitFor();
    await eventually(() => held).toBeGreaterThan(0);
    await page.waitForTimeout(3000);
    // The queue's answers came in the meantime: the overview is still what she sees.
    expect(await page.locator('#stat-total').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: '我的待办' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a coordinator sees a pending danger review above her queue, confirms it on the case page, and the case becomes an emergency', async () => {
    const created = await intake('她说心口一阵阵发紧，也说不清哪里不舒服，家里就她一个。', '220722');
    const { context, page, problems } = await openConsole(390);
    await devSignIn(page, 'coordinator', '', '220722');
    const panel = page.locator('section.reviews');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toMatch(/^待确认的危险研判（\d+）$/);
    // The reviews come before the queue's filters and table.
    expect(await page.evaluate("!!(document.querySelector('section.reviews').compareDocumentPosition(document.querySelector('form.filters')) & Node.DOCUMENT_POSITION_FOLLOWING)")).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifact('console-reviews-390.png'), fullPage: true });

    await panel.getByRole('link', { name: created.reference }).click();
    await page.getByRole('heading', { name: `案件 ${created.reference}` }).waitFor();
    const review = page.locator('section.review');
    expect(await review.locator('h2').textContent()).toBe('危险研判：待确认');
    expect(await review.textContent()).toContain('心口');
    // Dismissing without a note is refused with the reason in Chinese; confirming works.
    await review.getByRole('button', { name: '排除' }).click();
    await eventually(() => review.locator('.error').textContent()).toContain('排除时须说明理由');
    await review.getByRole('button', { name: '确认为紧急' }).click();
    await eventually(() => page.locator('section.review h2').textContent()).toBe('危险研判：已确认紧急');
    expect(await page.locator('dl.summary').textContent()).toContain('紧急');
    expect(await page.locator('section[aria-labelledby="why-title"]').textContent()).toContain('危险研判确认');
    const cards = page.locator('article.referral');
    expect(await cards.filter({ hasText: '健康筛查与健康服务' }).locator('.status-pill').textContent()).toBe('待签收');
    expect(await contrastProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: artifact('console-review-confirmed-1280.png'), fullPage: true });
    const stored = await getItem(rt, { pk: `CASE#${created.caseId}`, sk: 'CASE' });
    expect((stored?.classification as { urgency: string }).urgency).toBe('emergency');
    // The one refused dismissal (no note) is the only failed request.
    expect(problems).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('a coordinator corrects a classification from the case page: the added need becomes a referral, the removed one is withdrawn', async () => {
    const created = await intake('想问问县里有没有免费的技能培训，学个手艺。', '220722');
    const { context, page, problems } = await openConsole(1280);
    await devSignIn(page, 'coordinator', '', '220722');
    await page.goto(`${rt.api.url}/console#/case/${created.caseId}`);
    await page.getByRole('heading', { name: `案件 ${created.reference}` }).waitFor();
    await page.getByRole('button', { name: '更正分类' }).click();
    const form = page.getByRole('form', { name: '更正分类' });
    await form.getByLabel('就业创业与技能培训').uncheck();
    await form.getByLabel('社会救助与帮扶').check();
    await form.getByRole('button', { name: '确认更正' }).click();
    await eventually(() => form.locator('.error').textContent()).toContain('不能为空');
    await form.getByLabel('更正理由（必填）').fill('回访核实：主要是生活困难');
    await form.getByRole('button', { name: '确认更正' }).click();
    await eventually(() => page.locator('#flash').textContent()).toContain('新增转介 1 条，撤销 1 条');
    await eventually(() => page.locator('article.referral').filter({ hasText: '就业创业与技能培训' }).locator('.status-pill').textContent()).toBe('已撤销');
    expect(await page.locator('article.referral').filter({ hasText: '社会救助与帮扶' }).locator('.status-pill').textContent()).toBe('待签收');
    expect(await page.locator('ol.history').textContent()).toContain('更正分类');
    expect(problems).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('a county coordinator reads the monthly report (统计报表): KPI tiles, charts, the table, and the same figures in the CSV and Excel downloads', async () => {
    // Work of this month in 乾安县 (220723), where no other test of this file works.
    const worker = await mintDevToken({ role: 'caseworker', department: 'health', division: '220723' });
    const trainer = await mintDevToken({ role: 'caseworker', department: 'hrss', division: '220723' });
    const screening = await intake('想问问两癌筛查在哪报名，村里姐妹都想去。', '220723');
    const training = await intake('俺想学个手艺在家挣点钱，县里有啥培训不？', '220723');
    const s = screening.referrals[0]!.referralId;
    expect(await post(`/referrals/${s}/accept`, worker)).toBe(200);
    expect(await post(`/referrals/${s}/resolve`, worker, { outcome: 'service_provided', summary: '已安排筛查。' })).toBe(200);
    expect(await post(`/referrals/${s}/follow-up`, worker, { reached: true, satisfaction: 5 })).toBe(200);
    expect(await post(`/referrals/${training.referrals[0]!.referralId}/return`, trainer, { reason: 'not_our_jurisdiction', note: '她住在别的县。' })).toBe(200);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const coordinator = await mintDevToken({ role: 'coordinator', division: '220723' });
    const read = async () => (await (await fetch(`${rt.api.url}/reports/monthly?month=${month}`, { headers: { authorization: `Bearer ${coordinator}` } })).json()) as any;
    // The consumer counts each case's events as the stream delivers them: wait for all four changes.
    await eventually(async () => {
      const t = (await read()).totals;
      return [t.referred, t.signedFor, t.returned, t.followUps];
    }).toEqual([2, 1, 1, 1]);
    const json = await read();
    expect(json.totals).toMatchObject({
      referred: 2,
      signedFor: 1,
      signedOnTime: 1,
      completed: 1,
      completedOnTime: 1,
      returned: 1,
      followUps: 1,
      reached: 1,
      satisfactionAvg: 5,
      onTimeSignRate: 1,
      satisfactionRate: 1,
    });

    const { context, page, problems } = await openConsole(1280);
    await devSignIn(page, 'coordinator', '', '220723');
    await page.getByRole('link', { name: '统计报表' }).click();
    await page.getByRole('heading', { name: '统计报表' }).waitFor();
    // It opens on last month; she picks this one.
    await page.getByLabel('月份').fill(month);
    await page.getByRole('button', { name: '查看' }).click();
    await eventually(() => page.locator('#report-scope').textContent()).toContain(month);
    expect(await page.locator('#kpi-referred').textContent()).toBe('2');
    expect(await page.locator('#kpi-sign').textContent()).toBe('100.0%');
    expect(await page.locator('#kpi-satisfaction').textContent()).toBe('100.0%');
    const rows = page.locator('#report-table tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['卫生健康', '人力资源和社会保障', '合计']);
    expect(await rows.last().locator('td').first().textContent()).toBe('2');
    expect(await page.locator('figure', { hasText: '按部门转办数' }).locator('svg').getAttribute('aria-label')).toBe('按部门转办数：卫生健康 1，人力资源和社会保障 1');
    expect(await page.locator('svg.trend-chart').getAttribute('aria-label')).toMatch(new RegExp(`^近12个月按时率：.*${month} 签收 100\\.0% 办结 100\\.0%$`));
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('console-reports-1280.png'), fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe(`考核月报-220723-${month}.csv`);
    const csvText = readFileSync((await csv.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csvText[0]).toContain(`${month} 留守妇女关爱服务转介考核月报`);
    expect(csvText.at(-1)!.split(',').slice(0, 5)).toEqual(['合计', '2', '1', '1', '100.0%']);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`考核月报-220723-${month}.xlsx`);
    const sheet = await readReportXlsx(readFileSync((await xlsx.path())!));
    expect(sheet.rows.at(-1)!.slice(0, 5)).toEqual(['合计', 2, 1, 1, 1]);

    // On a phone: no sideways scrolling, the table stacks.
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifact('console-reports-390.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
