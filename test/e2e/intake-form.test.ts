// The public intake form in a real headless Chromium against the local runtime (real handlers,
// DynamoDB Local): what a woman sees and what ends up stored.
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caseKey, idempotencyKey, referenceKey } from '../../shared/adapters/dynamo/keys.js';
import { artifact, browserStorage, contrastProblems, eventually, getItem, launchChromium, startWebTestRuntime, watchForProblems, type WebTestRuntime } from '../support/web-runtime.js';

// A browser on a shared two-core machine: give each test room.
vi.setConfig({ testTimeout: 90_000 });

let rt: WebTestRuntime;
let browser: Browser;

beforeAll(async () => {
  [rt, browser] = await Promise.all([startWebTestRuntime('e2e-intake'), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

async function openForm(width = 360): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(`${rt.api.url}/`);
  return { context, page, problems };
}

const REFERENCE = /^\d{6}-[0-9A-Z]{6}$/;

async function fillForm(page: Page, description: string): Promise<void> {
  await page.getByLabel('您遇到了什么情况，需要什么帮助？').fill(description);
  await page.getByLabel('所在县（市、区）').selectOption('220722');
  await page.getByLabel('乡镇').fill('测试镇');
  await page.getByLabel('村', { exact: true }).fill('测试村');
  await page.getByLabel('怎么称呼您').fill('测试姓名丁');
  await page.getByLabel('电话', { exact: true }).fill('13700001111');
  await page.getByLabel('可以给我发短信').check();
  await page.getByLabel('什么时候联系您方便？').fill('工作日上午');
  await page.getByLabel('同意：请转给能帮助我的部门').check();
}

describe('the intake form', () => {
  it('loads in under 100 KB, in Chinese, with the emergency numbers, the quick exit and safe headers', async () => {
    // A fresh context: nothing cached, exactly what a first visit on a phone downloads.
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    const loaded: { url: string; bytes: number }[] = [];
    page.on('requestfinished', (req: Request) => {
      void req.sizes().then((s) => loaded.push({ url: new URL(req.url()).pathname, bytes: s.responseBodySize + s.responseHeadersSize }));
    });
    const response = await page.goto(`${rt.api.url}/`, { waitUntil: 'load' });
    await page.waitForTimeout(200);
    const total = loaded.reduce((n, r) => n + r.bytes, 0);
    writeFileSync(artifact('intake-initial-load.json'), JSON.stringify({ totalBytes: total, resources: loaded }, null, 2));
    console.log(`[e2e] intake page initial load: ${(total / 1024).toFixed(1)} KB transferred in ${loaded.length} requests`);
    // The page, its stylesheet and its script; nothing else (no fonts, no third parties).
    expect(loaded.map((r) => r.url).sort()).toEqual(expect.arrayContaining(['/']));
    expect(loaded).toHaveLength(3);
    expect(total).toBeGreaterThan(1000);
    expect(total).toBeLessThan(100 * 1024);

    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');

    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    for (const n of ['110', '120', '12338']) await expect(page.locator(`.emergency a[href="tel:${n}"]`).isVisible()).resolves.toBe(true);
    const exit = page.getByRole('link', { name: '快速离开' });
    expect(await exit.isVisible()).toBe(true);
    // Every control has a label a screen reader announces.
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('input, select, textarea')].filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.id || el.name)`,
    );
    expect(unlabelled).toEqual([]);
    // The county select is grouped by prefecture, from data/divisions.csv.
    const groups = await page.locator('#divisionCode optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label')));
    expect(groups).toEqual(expect.arrayContaining(['长春市', '松原市', '延边朝鲜族自治州']));
    expect(await page.locator('#divisionCode optgroup[label="松原市"] option[value="220722"]').textContent()).toBe('长岭县');
    expect(await contrastProblems(page)).toEqual([]);
    // Nothing overflows a 360 px screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // The first Tab reaches the quick exit.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('quick-exit');

    await page.screenshot({ path: artifact('intake-form-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: artifact('intake-form-1280.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('"not safe now" shows 110 and 120 at once, and the case is recorded as an emergency', async () => {
    const { context, page, problems } = await openForm(360);
    const alert = page.locator('#safeNow-alert');
    expect(await alert.isVisible()).toBe(false);
    await page.getByLabel('现在不安全').check();
    expect(await alert.isVisible()).toBe(true);
    expect(await alert.locator('a[href="tel:110"]').isVisible()).toBe(true);
    await page.getByLabel('现在安全', { exact: true }).check();
    expect(await alert.isVisible()).toBe(false);
    await page.getByLabel('现在不安全').check();
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: artifact('intake-not-safe-360.png'), fullPage: true });
    await fillForm(page, '我想找人帮帮我，不知道该怎么说。');
    await page.getByRole('button', { name: '提交求助' }).click();
    const reference = page.locator('#reference');
    await eventually(() => reference.textContent(), { timeout: 10_000 }).toMatch(REFERENCE);
    expect(await page.locator('#done-emergency').isVisible()).toBe(true);
    // The form was reset: the alert is gone with her answer.
    expect(await alert.isVisible()).toBe(false);
    const refItem = await getItem(rt, referenceKey((await reference.textContent())!));
    const stored = await getItem(rt, caseKey(refItem!.caseId));
    expect(stored?.classification).toMatchObject({ urgency: 'emergency', explanation: { urgencySource: 'caller' } });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('submits: the reference appears, the case is in DynamoDB, the screen is cleared and nothing is kept in the browser', async () => {
    const { context, page, problems } = await openForm(360);
    const description = '俺家那口子出去打工好几年了，俺想学个手艺在家挣点钱，县里有啥培训不？';
    await fillForm(page, description);
    await page.getByRole('button', { name: '提交求助' }).click();
    const reference = page.locator('#reference');
    await eventually(() => reference.textContent(), { timeout: 10_000 }).toMatch(REFERENCE);
    const shown = (await reference.textContent())!;
    expect(await page.locator('#done').isVisible()).toBe(true);
    expect(await page.locator('#intake-form').isVisible()).toBe(false);
    expect(await page.locator('#description').inputValue()).toBe('');
    expect(await page.locator('#phone').inputValue()).toBe('');
    await page.screenshot({ path: artifact('intake-done-360.png'), fullPage: true });

    const refItem = await getItem(rt, referenceKey(shown));
    expect(refItem?.caseId).toMatch(/^[0-9A-Z]{26}$/);
    const stored = await getItem(rt, caseKey(refItem!.caseId));
    expect(stored).toMatchObject({
      channel: 'web',
      reference: shown,
      text: description,
      location: { divisionCode: '220722', township: '测试镇', village: '测试村' },
      person: { name: '测试姓名丁', phone: '13700001111' },
      contact: { safeToCall: false, safeToSms: true, preferredTime: '工作日上午' },
      consent: { shareWithDepartments: true },
      status: 'open',
    });
    expect(stored!.classification.needs).toContain('employment_training');

    expect(await browserStorage(page)).toEqual({ localStorage: 0, sessionStorage: 0, cookie: '', contextCookies: 0, indexedDb: 0 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('"do not contact me" overrides the other choices, and withheld consent is recorded without a referral', async () => {
    const { context, page } = await openForm(1280);
    await page.getByLabel('您遇到了什么情况，需要什么帮助？').fill('想问问两癌筛查在哪报名。');
    await page.getByLabel('可以给我打电话').check();
    await page.getByLabel('请不要主动联系我').check();
    expect(await page.getByLabel('可以给我打电话').isChecked()).toBe(false);
    expect(await page.getByLabel('可以给我打电话').isDisabled()).toBe(true);
    await page.getByLabel('不同意：只做登记，先不转给任何部门').check();
    const posted = page.waitForRequest((r) => r.url().endsWith('/intake/web') && r.method() === 'POST');
    await page.getByRole('button', { name: '提交求助' }).click();
    const body = JSON.parse((await posted).postData()!);
    expect(body.contact).toEqual({ doNotContact: true });
    expect(body.consent).toEqual({ shareWithDepartments: false });
    await eventually(() => page.locator('#reference').textContent()).toMatch(REFERENCE);
    expect(await page.locator('#done-next').textContent()).toContain('只做了登记');
    const stored = await getItem(rt, idempotencyKey('web', body.clientRequestId));
    const c = await getItem(rt, caseKey(stored!.caseId));
    expect(c).toMatchObject({ contact: { doNotContact: true }, consent: { shareWithDepartments: false }, status: 'not_referred', referralCount: 0 });
    await context.close();
  });

  it('checks the form before sending: the missing fields are marked and focused, nothing is sent', async () => {
    const { context, page } = await openForm(360);
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST') posts++;
    });
    await page.getByLabel('电话', { exact: true }).fill('call me');
    await page.getByRole('button', { name: '提交求助' }).click();
    expect(await page.locator('#description').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#phone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#description-error').textContent()).toContain('请写几句');
    expect(await page.locator('#consent-error').isVisible()).toBe(true);
    expect(await page.evaluate('document.activeElement.id')).toBe('description');
    await page.screenshot({ path: artifact('intake-errors-360.png'), fullPage: true });
    expect(await contrastProblems(page)).toEqual([]);
    expect(posts).toBe(0);
    await context.close();
  });

  it('retries safely: a lost answer and a dead network never make a second case', async () => {
    const { context, page, problems } = await openForm(360);
    const ids: string[] = [];
    let calls = 0;
    // 1st attempt reaches the server (the case is stored) but its answer is lost; the 2nd and 3rd
    // never get through. Then the network is back and she presses "重新提交".
    await page.route('**/intake/web', async (route) => {
      ids.push(JSON.parse(route.request().postData()!).clientRequestId);
      calls++;
      if (calls === 1) {
        await route.fetch();
        return route.abort('failed');
      }
      if (calls <= 3) return route.abort('failed');
      return route.continue();
    });
    await fillForm(page, '最近睡不着觉，心里憋得慌，想找人说说话。');
    await page.getByRole('button', { name: '提交求助' }).click();
    const error = page.locator('#form-error');
    await eventually(() => error.textContent(), { timeout: 15_000 }).toContain('没有提交成功');
    expect(calls).toBe(3);
    const retry = page.getByRole('button', { name: '重新提交' });
    expect(await retry.isVisible()).toBe(true);
    await page.screenshot({ path: artifact('intake-retry-360.png'), fullPage: true });

    const answered = page.waitForResponse((r) => r.url().endsWith('/intake/web'));
    await retry.click();
    const res = await answered;
    // The server already had it: 200, the same case, nothing written twice, and no progress told.
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'already_received' });
    await eventually(() => page.locator('#done-next').textContent()).toContain('已经收到');
    await eventually(() => page.locator('#reference').textContent()).toMatch(REFERENCE);
    expect(new Set(ids).size).toBe(1);
    expect(ids).toHaveLength(4);
    const idem = await getItem(rt, idempotencyKey('web', ids[0]!));
    const stored = await getItem(rt, caseKey(idem!.caseId));
    expect(stored!.reference).toBe(await page.locator('#reference').textContent());
    expect((await res.json()).caseId).toBeUndefined();
    // The aborted requests are the only errors the browser reported.
    expect(problems.filter((p) => !p.includes('net::ERR_FAILED'))).toEqual([]);

    // A new request after success gets a new id.
    await page.getByRole('button', { name: '再填一份' }).click();
    await page.getByLabel('您遇到了什么情况，需要什么帮助？').fill('想问问低保怎么申请。');
    await page.getByLabel('同意：请转给能帮助我的部门').check();
    await page.getByRole('button', { name: '提交求助' }).click();
    await eventually(() => ids.length).toBe(5);
    expect(ids[4]).not.toBe(ids[0]);
    await context.close();
  });

  for (const how of ['button', 'Escape key'] as const) {
    it(`quick exit (${how}) clears the page and leaves for the neutral page, with no way back to what she typed`, async () => {
      const { context, page } = await openForm(360);
      const secret = '他昨天又打我了，我不敢让他知道我在上网找人帮忙。';
      await page.getByLabel('您遇到了什么情况，需要什么帮助？').fill(secret);
      await page.getByLabel('电话', { exact: true }).fill('13900002222');
      // Right after the page's own handler has run (a window listener runs after the link's and the
      // document's), report what the page still holds; the neutral page waits until that is in.
      let reported!: (s: string) => void;
      const leftBehindPromise = new Promise<string>((r) => (reported = r));
      await page.exposeFunction('reportLeftBehind', (s: string) => reported(s));
      await page.evaluate(
        `for (const type of ['click', 'keydown']) addEventListener(type, () => {
          const values = [...document.querySelectorAll('input, textarea, select')].map((el) => el.value);
          window.reportLeftBehind(JSON.stringify({ html: document.documentElement.outerHTML, values }));
        })`,
      );
      await page.route('**/exit.html', async (route) => {
        await leftBehindPromise;
        await route.continue();
      });
      if (how === 'button') await page.getByRole('link', { name: '快速离开' }).click();
      else await page.keyboard.press('Escape');
      const leftBehind = await leftBehindPromise;
      await page.waitForURL('**/exit.html');
      expect(await page.title()).toBe('家常菜谱 · 西红柿炒鸡蛋');
      expect(leftBehind).toContain('<html');
      expect(leftBehind).not.toContain('他昨天又打我了');
      expect(leftBehind).not.toContain('13900002222');
      expect(await page.content()).not.toContain('他昨天又打我了');
      if (how === 'button') await page.screenshot({ path: artifact('exit-360.png') });
      // location.replace: the form is not in the tab's history.
      await page.goBack().catch(() => undefined);
      expect(page.url()).not.toBe(`${rt.api.url}/`);
      expect(await page.content()).not.toContain('他昨天又打我了');
      await context.close();
    });
  }
});
