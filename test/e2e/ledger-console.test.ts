// The county ledger's console pages in a real headless Chromium against the local runtime: a ledger
// officer signs in to the ledger, registers a woman (a refused field is shown beside its input),
// records a visit that refers her hardship to civil affairs, finds her by township; a civil-affairs
// caseworker reads her page without the visit form; nothing is kept in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { artifact, browserStorage, contrastProblems, eventually, launchChromium, startWebTestRuntime, watchForProblems, type WebTestRuntime } from '../support/web-runtime.js';

vi.setConfig({ testTimeout: 90_000 });

let rt: WebTestRuntime;
let browser: Browser;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startWebTestRuntime('e2e-ledger'), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function signedIn(role: string, department: string, width = 1280, division = '220722'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(`${rt.api.url}/console`);
  await page.getByRole('heading', { name: /开发环境登录/ }).waitFor();
  await page.getByLabel('角色').selectOption(role);
  await page.getByLabel('部门').selectOption(department);
  await page.getByLabel('行政区划').selectOption(division);
  await page.getByRole('button', { name: '生成令牌并登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { page, problems };
}

let herPage: string;

describe('the ledger in the console', () => {
  it('a ledger officer lands on the ledger, registers a woman (a wrong field shown where it is), and visits her: the hardship is referred', async () => {
    const { page, problems } = await signedIn('ledger_officer', 'civil_affairs', 360);
    await page.getByRole('heading', { name: /留守妇女信息台账/ }).waitFor();
    expect(await page.locator('#nav-queue').isHidden()).toBe(true);
    expect(await page.locator('#nav-ledger').isVisible()).toBe(true);
    expect(await contrastProblems(page)).toEqual([]);

    await page.getByRole('link', { name: '登记', exact: true }).click();
    await page.getByRole('heading', { name: '登记留守妇女' }).waitFor();
    await page.getByLabel('姓名').fill('测试姓名癸');
    await page.getByLabel('手机号').fill('13599990000');
    await page.getByLabel('出生年份').fill('1987');
    await page.getByLabel('乡镇').fill('太平山镇');
    await page.getByLabel('村', { exact: true }).fill('东升村');
    // Away for one month only: not (yet) a left-behind woman.
    const lastMonth = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 7);
    await page.getByLabel('外出时间（年月）').fill(lastMonth);
    await page.getByLabel('务工地').fill('大连');
    await page.getByLabel('子女数').fill('2');
    await page.getByLabel('其中16岁以下').fill('1');
    await page.getByLabel('经济困难').check();
    await page.getByRole('button', { name: '登记', exact: true }).click();
    const alert = page.locator('.ledger-form .alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('外出时间（年月）：');
    expect(await alert.textContent()).not.toContain('husbandAway');
    expect(await page.locator('#f-husbandAway-since').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: artifact('ledger-register-error-360.png'), fullPage: true });

    await page.getByLabel('外出时间（年月）').fill('2025-03');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('heading', { name: '测试姓名癸' }).waitFor();
    herPage = page.url();
    expect(await page.locator('section[aria-labelledby="record-title"]').textContent()).toContain('经济困难');
    expect(await page.locator('section[aria-labelledby="visits-title"]').textContent()).toContain('还没有走访记录');

    // A visit whose note tells of hardship: referred to civil affairs, listed with its reference.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel('走访情况').fill('入户了解到，她丈夫大半年没寄钱回家，家里断了收入，孩子学费交不上，想申请低保。');
    await page.getByRole('button', { name: '记录走访' }).click();
    await eventually(() => page.locator('#flash').textContent()).toContain('已转介');
    expect(await page.locator('#flash').textContent()).toContain('民政');
    const visits = page.locator('section[aria-labelledby="visits-title"]');
    await eventually(() => visits.textContent()).toContain('已转介：社会救助');
    const reference = (await visits.locator('a').first().textContent())!;
    expect(reference).toMatch(/^\d{6}-[0-9A-Z]{6}$/);
    // Her cases: the visit's, by reference and source only.
    await eventually(() => page.locator('section[aria-labelledby="cases-title"]').textContent()).toContain(`${reference} · 入户走访`);
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('ledger-woman-1280.png'), fullPage: true });

    // The list, by township: she is there, due her next visit in a quarter.
    await page.getByRole('link', { name: '← 返回台账名单' }).click();
    await page.getByLabel('乡镇').fill('太平山镇');
    await page.getByRole('button', { name: '筛选' }).click();
    const row = page.locator('table.ledger tbody tr', { has: page.getByRole('link', { name: '测试姓名癸' }) });
    await row.waitFor();
    expect(await row.locator('td[data-label="重点关注"]').textContent()).toBe('经济困难');
    expect(await row.locator('td[data-label="下次走访"]').textContent()).not.toContain('已逾期');
    // Two lists asked for at once (the second before the first answers): one table, the second's.
    await page.evaluate("location.hash = '#/ledger?focus=disability'; location.hash = '#/ledger?township=太平山镇';");
    await page.locator('table.ledger').getByRole('link', { name: '测试姓名癸' }).waitFor();
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.locator('table.ledger').count()).toBe(1);
    await page.getByRole('link', { name: '待走访' }).click();
    await page.getByRole('heading', { name: /待走访/ }).waitFor();
    await eventually(() => page.locator('#view p[role="status"]').textContent()).toContain('目前没有逾期未走访的妇女');

    expect(await browserStorage(page)).toMatchObject({ localStorage: 0, cookie: '', indexedDb: 0 });
    // The refused registration's 400 is the only failed request.
    expect(problems).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('a civil-affairs caseworker reads her page and her cases, without the visit form; a health caseworker has no ledger', async () => {
    const { page, problems } = await signedIn('caseworker', 'civil_affairs');
    expect(await page.locator('#nav-ledger').isVisible()).toBe(true);
    await page.goto(herPage);
    await page.getByRole('heading', { name: '测试姓名癸' }).waitFor();
    expect(await page.locator('section[aria-labelledby="visits-title"]').textContent()).toContain('已转介：社会救助');
    expect(await page.getByRole('button', { name: '记录走访' }).count()).toBe(0);
    // Her visit's case is in civil affairs' queue: the link opens it.
    await page.locator('section[aria-labelledby="cases-title"] a').first().click();
    await page.getByRole('heading', { name: /^案件 / }).waitFor();
    expect(await page.locator('.intake-text').textContent()).toContain('想申请低保');
    // The case says whose it is, for who reads the ledger: back to her page.
    await page.locator('section[aria-labelledby="linked-title"]').getByRole('link', { name: '查看台账记录' }).click();
    await page.getByRole('heading', { name: '测试姓名癸' }).waitFor();
    expect(problems).toEqual([]);

    // A supervisor of the prefecture chooses the county first (the ledger is kept by county).
    const prefecture = await signedIn('supervisor', 'womens_federation', 1280, '220700');
    await prefecture.page.getByRole('link', { name: '留守妇女台账' }).click();
    await eventually(() => prefecture.page.locator('#view p[role="status"]').textContent()).toContain('请先选择一个县');
    await prefecture.page.getByLabel('县（市、区）').selectOption('220722');
    await prefecture.page.getByRole('button', { name: '筛选' }).click();
    await prefecture.page.locator('table.ledger').getByRole('link', { name: '测试姓名癸' }).waitFor();
    expect(prefecture.problems).toEqual([]);

    const health = await signedIn('caseworker', 'health');
    expect(await health.page.locator('#nav-ledger').isHidden()).toBe(true);
    await health.page.goto(herPage);
    await eventually(() => health.page.locator('#view p[role="status"]').textContent()).toContain('没有这条台账记录，或您无权查看');
  });
});
