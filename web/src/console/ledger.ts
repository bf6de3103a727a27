// The county ledger (信息台账) in the console: the county's list with filters, the overdue-visit queue,
// the registration form, and her page (her record, her visits with the visit form, the cases of her
// number). Ledger officers register and visit; civil affairs and the women's federation read. What
// the API refuses the page says in Chinese; nothing is kept in the browser.
import { authorizeLedger } from '../../../shared/domain/ledger/access.js';
import type { LedgerEntry } from '../../../shared/domain/ledger/entry.js';
import { FOCUS_LABELS, FOCUS_MARKERS, LEGAL_BASES, LEGAL_BASIS_LABELS } from '../../../shared/domain/ledger/vocabulary.js';
import type { VisitRecord } from '../../../shared/domain/ledger/visits.js';
import { NEEDS } from '../../../shared/domain/model.js';
import type { HerCase, VisitCase } from '../../../shared/usecases/ledger-visits.js';
import { ApiError } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { CHANNEL_LABELS, DEPARTMENT_LABELS, label, NEED_LABELS } from '../lib/labels.js';
import { formatTime } from '../lib/time.js';
import { divisionWithin } from '../../../shared/domain/access/policy.js';
import { api, currentSession, divisionName, flash, loadDivisions, type Session } from './context.js';

type ListItem = Omit<LedgerEntry, 'phone'>;

/** Whether the signed-in person reads the ledger at all (the API decides each request). */
export const readsLedger = (s: Session | null): boolean => !!s?.divisionCode && authorizeLedger(s, 'read', { divisionCode: s.divisionCode }).allowed;
export const keepsLedger = (s: Session | null): boolean => s?.role === 'ledger_officer';

const focusText = (focus: readonly string[]) => (focus.length ? focus.map((f) => label(FOCUS_LABELS, f)).join('、') : '—');
const errorText = (err: unknown) => (err instanceof ApiError ? err.message : '加载失败，请稍后重试。');
const dueCell = (due: string | undefined) =>
  due ? h('span', { class: Date.parse(due) < Date.now() ? 'tag warn' : 'muted' }, `${formatTime(due)}${Date.parse(due) < Date.now() ? '（已逾期）' : ''}`) : h('span', { class: 'muted' }, '—');

function ledgerTabs(current: 'list' | 'due' | 'new'): HTMLElement {
  const s = currentSession();
  const tab = (key: typeof current, href: string, text: string) => h('a', { href, class: key === current ? 'tab current' : 'tab', ...(key === current ? { 'aria-current': 'page' } : {}) }, text);
  return h(
    'div',
    { class: 'tab-row', role: 'group', 'aria-label': '台账' },
    tab('list', '#/ledger', '台账名单'),
    tab('due', '#/ledger/due', '待走访'),
    keepsLedger(s) ? tab('new', '#/ledger/new', '登记') : null,
  );
}

function womenTable(caption: string, items: ListItem[]): HTMLTableElement {
  const cell = (name: string, ...content: (Node | string | null)[]) => h('td', { 'data-label': name }, h('span', { class: 'cell' }, ...content));
  return h(
    'table',
    { class: 'queue ledger' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...['姓名', '乡镇 · 村', '出生年份', '重点关注', '下次走访'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...items.map((w) =>
        h(
          'tr',
          { 'data-person-id': w.personId },
          cell('姓名', h('a', { href: `#/ledger/woman/${w.personId}` }, w.name)),
          cell('乡镇 · 村', `${w.township} · ${w.village}`),
          cell('出生年份', String(w.birthYear)),
          cell('重点关注', focusText(w.focus)),
          cell('下次走访', dueCell(w.nextVisitDue)),
        ),
      ),
    ),
  );
}

/** The counties a list may be of: hers, or those inside her prefecture or province (the ledger is kept by county). */
async function countiesOf(s: Session): Promise<{ code: string; name: string }[]> {
  const d = await loadDivisions();
  return d.prefectures.flatMap((p) => p.counties).filter((c) => !!s.divisionCode && divisionWithin(c.code, s.divisionCode));
}

/** The county select of a list, when she covers more than one county; the chosen county is in the hash (`?divisionCode=`). */
async function countyField(s: Session, query: URLSearchParams): Promise<{ field: HTMLElement | null; county: string | null }> {
  const counties = await countiesOf(s);
  if (counties.length <= 1) return { field: null, county: null };
  const select = h('select', { id: 'ledger-county' }, h('option', { value: '' }, '（请选择县市区）'), ...counties.map((c) => h('option', { value: c.code }, c.name)));
  const county = query.get('divisionCode');
  select.value = county ?? '';
  return { field: h('div', { class: 'field' }, h('label', { for: 'ledger-county' }, '县（市、区）'), select), county };
}

/** 台账名单: the county's women (the caller's county), by township and focus marker. */
export async function renderLedgerList(view: HTMLElement, query: URLSearchParams): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const { field: countySelect, county } = await countyField(s, query);
  const heading = h('h1', { tabindex: '-1' }, `留守妇女信息台账 · ${divisionName(county ?? s.divisionCode)}`);
  const township = h('input', { id: 'ledger-township', type: 'text', value: query.get('township') ?? '', autocomplete: 'off' });
  const focus = h('select', { id: 'ledger-focus' }, h('option', { value: '' }, '（全部）'), ...FOCUS_MARKERS.map((f) => h('option', { value: f }, FOCUS_LABELS[f])));
  focus.value = query.get('focus') ?? '';
  const form = h(
    'form',
    { class: 'filters', novalidate: true },
    countySelect,
    h('div', { class: 'field' }, h('label', { for: 'ledger-township' }, '乡镇'), township),
    h('div', { class: 'field' }, h('label', { for: 'ledger-focus' }, '重点关注'), focus),
    h('button', { type: 'submit' }, '筛选'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    const chosen = countySelect?.querySelector('select')?.value;
    if (chosen) q.set('divisionCode', chosen);
    if (township.value.trim()) q.set('township', township.value.trim());
    if (focus.value) q.set('focus', focus.value);
    location.hash = `#/ledger${q.size ? `?${q}` : ''}`;
  });
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  // The table goes into this render's own container: a render the officer has already left behind
  // (a second filter before the first answer) then writes into a detached element, never twice into the view.
  const results = h('div', {});
  view.replaceChildren(heading, ledgerTabs('list'), form, status, results);
  heading.focus();
  if (countySelect && !county) {
    status.textContent = '请先选择一个县（市、区）：台账按县建立。';
    return;
  }
  try {
    const q = new URLSearchParams({ limit: '200' });
    for (const k of ['divisionCode', 'township', 'focus']) if (query.get(k)) q.set(k, query.get(k)!);
    const page = await api<{ items: ListItem[]; cursor?: string }>('GET', `/ledger/women?${q}`);
    status.textContent = page.items.length ? `共 ${page.items.length}${page.cursor ? '+' : ''} 人` : '没有符合条件的记录。';
    if (page.items.length) results.append(womenTable('台账名单', page.items));
  } catch (err) {
    status.textContent = errorText(err);
  }
}

/** 待走访: who is past her visit date, longest overdue first. */
export async function renderLedgerDue(view: HTMLElement, query: URLSearchParams): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const { field: countySelect, county } = await countyField(s, query);
  const heading = h('h1', { tabindex: '-1' }, '待走访（已到走访周期）');
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  const form = countySelect ? h('form', { class: 'filters', novalidate: true }, countySelect, h('button', { type: 'submit' }, '查看')) : null;
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = countySelect?.querySelector('select')?.value;
    location.hash = `#/ledger/due${chosen ? `?divisionCode=${chosen}` : ''}`;
  });
  const results = h('div', {});
  view.replaceChildren(...[heading, ledgerTabs('due'), form, status, results].filter((x): x is HTMLElement => x !== null));
  heading.focus();
  if (countySelect && !county) {
    status.textContent = '请先选择一个县（市、区）：台账按县建立。';
    return;
  }
  try {
    const page = await api<{ items: ListItem[]; cursor?: string }>('GET', `/ledger/visits/due?limit=200${county ? `&divisionCode=${county}` : ''}`);
    status.textContent = page.items.length ? `共 ${page.items.length}${page.cursor ? '+' : ''} 人已到走访周期` : '目前没有逾期未走访的妇女。';
    if (page.items.length) results.append(womenTable('待走访', page.items));
  } catch (err) {
    status.textContent = errorText(err);
  }
}

/** A labelled input; its id is the field path with dots as dashes, so that a 400 can point at it. */
function field(path: string, text: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const id = `f-${path.replace(/\./g, '-')}`;
  input.id = id;
  input.setAttribute('name', path);
  return h('div', { class: 'field' }, h('label', { for: id }, text), input, hint ? h('p', { class: 'hint' }, hint) : null);
}

/** Shows a 400's fields next to their inputs (and all of them in the summary). */
function showProblems(form: HTMLFormElement, summary: HTMLElement, err: ApiError): void {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  // Each field by the words of its label (the path only where the form has no such field).
  const labelOf = (path: string) => form.querySelector(`label[for="f-${path.replace(/\./g, '-')}"]`)?.textContent ?? form.querySelector(`#f-${path.replace(/\./g, '-')} > legend`)?.textContent ?? path;
  summary.replaceChildren(h('p', {}, err.message), ...(err.fields.length ? [h('ul', {}, ...err.fields.map((f) => h('li', {}, `${labelOf(f.path)}：${f.message}`)))] : []));
  summary.hidden = false;
  for (const f of err.fields) form.querySelector(`#f-${f.path.replace(/\./g, '-')}`)?.setAttribute('aria-invalid', 'true');
  summary.focus();
}

const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

/** 登记: the registration form (ledger officers). */
export async function renderRegistration(view: HTMLElement): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const input = (type: string, extra: Record<string, string> = {}) => h('input', { type, autocomplete: 'off', ...extra });
  const inputs = {
    name: input('text'),
    phone: input('tel'),
    idNumber: input('text'),
    township: input('text'),
    village: input('text'),
    birthYear: input('number', { min: '1920', max: '2015' }),
    since: input('month'),
    where: input('text'),
    children: input('number', { min: '0', value: '0' }),
    childrenUnder16: input('number', { min: '0', value: '0' }),
    elders: input('number', { min: '0', value: '0' }),
    disabledMembers: input('number', { min: '0', value: '0' }),
    basis: h('select', {}, ...LEGAL_BASES.map((b) => h('option', { value: b }, LEGAL_BASIS_LABELS[b]))),
    reference: input('text'),
  };
  inputs.basis.value = 'statutory_duty';
  // An officer of a prefecture or of the province registers her in one of its counties.
  const counties = await countiesOf(s);
  const county = counties.length > 1 ? h('select', {}, h('option', { value: '' }, '（请选择）'), ...counties.map((c) => h('option', { value: c.code }, c.name))) : null;
  const focusBoxes = FOCUS_MARKERS.map((f) => h('input', { type: 'checkbox', value: f, id: `f-focus-${f}` }));
  const separate = h('input', { type: 'checkbox', id: 'f-legalBasis-separateConsentToSensitive' });
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1', hidden: true });
  const heading = h('h1', { tabindex: '-1' }, '登记留守妇女');
  const form = h(
    'form',
    { class: 'ledger-form', novalidate: true },
    summary,
    h(
      'fieldset',
      {},
      h('legend', {}, '基本信息'),
      field('name', '姓名', inputs.name),
      field('phone', '手机号', inputs.phone),
      field('idNumber', '身份证号（选填）', inputs.idNumber, '只保存后四位和加密摘要，不保存完整号码。'),
      field('birthYear', '出生年份', inputs.birthYear),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, county ? '住址' : `住址（${divisionName(s.divisionCode)}）`),
      county ? field('divisionCode', '县（市、区）', county) : null,
      field('township', '乡镇', inputs.township),
      field('village', '村', inputs.village),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, '丈夫外出务工'),
      field('husbandAway.since', '外出时间（年月）', inputs.since, '外出满六个月才属于留守妇女。'),
      field('husbandAway.where', '务工地', inputs.where),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, '家庭情况'),
      field('household.children', '子女数', inputs.children),
      field('household.childrenUnder16', '其中16岁以下', inputs.childrenUnder16),
      field('household.elders', '照料老人数', inputs.elders),
      field('household.disabledMembers', '残疾家属数', inputs.disabledMembers),
    ),
    h('fieldset', { id: 'f-focus' }, h('legend', {}, '重点关注'), ...FOCUS_MARKERS.map((f, i) => h('label', { class: 'check', for: `f-focus-${f}` }, focusBoxes[i]!, FOCUS_LABELS[f]))),
    h(
      'fieldset',
      {},
      h('legend', {}, '处理依据（个人信息保护法第十三条）'),
      field('legalBasis.basis', '依据', inputs.basis),
      h('label', { class: 'check', for: 'f-legalBasis-separateConsentToSensitive' }, separate, '本人已单独同意记录残疾、重病信息（第二十九条）'),
      field('legalBasis.reference', '依据文书（选填）', inputs.reference),
    ),
    h('button', { type: 'submit' }, '登记'),
  );
  view.replaceChildren(heading, ledgerTabs('new'), form);
  heading.focus();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const idNumber = inputs.idNumber.value.trim();
    const body = {
      name: inputs.name.value,
      phone: inputs.phone.value,
      ...(idNumber ? { idNumber } : {}),
      divisionCode: county ? county.value : s.divisionCode,
      township: inputs.township.value,
      village: inputs.village.value,
      birthYear: num(inputs.birthYear.value),
      husbandAway: { since: inputs.since.value, where: inputs.where.value },
      household: { children: num(inputs.children.value), childrenUnder16: num(inputs.childrenUnder16.value), elders: num(inputs.elders.value), disabledMembers: num(inputs.disabledMembers.value) },
      focus: focusBoxes.filter((b) => b.checked).map((b) => b.value),
      legalBasis: {
        basis: inputs.basis.value,
        ...(separate.checked ? { separateConsentToSensitive: true } : {}),
        ...(inputs.reference.value.trim() ? { reference: inputs.reference.value.trim() } : {}),
      },
    };
    api<{ woman: LedgerEntry }>('POST', '/ledger/women', body)
      .then(({ woman }) => {
        flash(`已登记：${woman.name}`);
        location.hash = `#/ledger/woman/${woman.personId}`;
      })
      .catch((err: unknown) => (err instanceof ApiError ? showProblems(form, summary, err) : flash(errorText(err), 'error')));
  });
}

function visitForm(personId: string, onDone: (result: { visit: VisitRecord; case?: VisitCase }) => void): HTMLElement {
  const when = h('input', { type: 'datetime-local', required: true });
  // The officer's local time, as she sees it on the wall clock.
  const local = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  when.value = local.toISOString().slice(0, 16);
  const text = h('textarea', { rows: 4, required: true });
  const needBoxes = NEEDS.map((n) => h('input', { type: 'checkbox', value: n, id: `v-need-${n}` }));
  const share = h('input', { type: 'checkbox', id: 'v-share', checked: true });
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1', hidden: true });
  const form = h(
    'form',
    { class: 'action-form', novalidate: true },
    summary,
    field('visitedAt', '走访时间', when),
    field('text', '走访情况', text, '写下看到、听到的情况；发现的困难会自动转介到相关部门。'),
    h(
      'fieldset',
      { id: 'f-observedNeeds' },
      h('legend', {}, '走访中发现的需求（选填）'),
      ...NEEDS.map((n, i) => h('label', { class: 'check', for: `v-need-${n}` }, needBoxes[i]!, label(NEED_LABELS, n))),
    ),
    h('label', { class: 'check', for: 'v-share' }, share, '她同意把需求转介给相关部门'),
    h('button', { type: 'submit' }, '记录走访'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const observed = needBoxes.filter((b) => b.checked).map((b) => b.value);
    const body = {
      // datetime-local is the browser's own time: sent as an instant with its zone.
      visitedAt: Number.isNaN(new Date(when.value).getTime()) ? when.value : new Date(when.value).toISOString(),
      text: text.value,
      ...(observed.length ? { observedNeeds: observed } : {}),
      shareWithDepartments: share.checked,
    };
    api<{ visit: VisitRecord; case?: VisitCase }>('POST', `/ledger/women/${personId}/visits`, body)
      .then(onDone)
      .catch((err: unknown) => (err instanceof ApiError ? showProblems(form, summary, err) : flash(errorText(err), 'error')));
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'visit-form-title' }, h('h2', { id: 'visit-form-title' }, '记录走访'), form);
}

/** Her page: her record, her visits (and the form, for officers), the cases of her number. */
export async function renderWoman(view: HTMLElement, personId: string): Promise<void> {
  const s = currentSession();
  if (!s) return;
  const status = h('p', { class: 'muted', role: 'status' }, '正在加载…');
  view.replaceChildren(status);
  const stale = () => !status.isConnected;
  let woman: LedgerEntry;
  let visits: VisitRecord[];
  let cases: HerCase[];
  try {
    [{ woman }, { items: visits }, { items: cases }] = await Promise.all([
      api<{ woman: LedgerEntry }>('GET', `/ledger/women/${personId}`),
      api<{ items: VisitRecord[] }>('GET', `/ledger/women/${personId}/visits`),
      api<{ items: HerCase[] }>('GET', `/ledger/women/${personId}/cases`),
    ]);
  } catch (err) {
    status.textContent = err instanceof ApiError && err.status === 404 ? '没有这条台账记录，或您无权查看。' : errorText(err);
    return;
  }
  // Another page was opened meanwhile: it owns the view now.
  if (stale()) return;
  if ((woman as { purgedAt?: string }).purgedAt) {
    view.replaceChildren(h('p', {}, h('a', { href: '#/ledger' }, '← 返回台账名单')), h('h1', { tabindex: '-1' }, '已退出台账'), h('p', { class: 'muted' }, '她已退出台账，个人信息已按保存期限删除。'));
    return;
  }
  const heading = h('h1', { tabindex: '-1' }, woman.name, woman.status === 'exited' ? h('span', { class: 'tag' }, '已退出台账') : null);
  const pairs = (rows: [string, string | Node][]) => h('dl', { class: 'pairs' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const record = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'record-title' },
    h('h2', { id: 'record-title' }, '台账信息'),
    pairs([
      ['手机号', woman.phone],
      ['身份证号', woman.idLast4 ? `****${woman.idLast4}` : '—'],
      ['住址', `${divisionName(woman.divisionCode)} ${woman.township} ${woman.village}`],
      ['出生年份', String(woman.birthYear)],
      ['丈夫外出', `${woman.husbandAway.since} 起，在${woman.husbandAway.where}`],
      ['家庭', `子女${woman.household.children}人（16岁以下${woman.household.childrenUnder16}人），照料老人${woman.household.elders}人，残疾家属${woman.household.disabledMembers}人`],
      ['重点关注', focusText(woman.focus)],
      ['处理依据', label(LEGAL_BASIS_LABELS, woman.legalBasis.basis)],
      ['最近走访', woman.lastVisitedAt ? formatTime(woman.lastVisitedAt) : '尚未走访'],
      ['下次走访', dueCell(woman.nextVisitDue)],
    ]),
  );
  const visitList = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'visits-title' },
    h('h2', { id: 'visits-title' }, `走访记录（${visits.length}）`),
    visits.length
      ? h(
          'ol',
          { class: 'history visits' },
          ...visits.map((v) =>
            h(
              'li',
              {},
              h('p', {}, h('strong', {}, formatTime(v.visitedAt)), ' ', h('span', { class: 'muted' }, `记录人 ${v.by.id}`)),
              h('p', { class: 'intake-text' }, v.text),
              v.caseId
                ? h('p', {}, '已转介：', v.needs.map((n) => label(NEED_LABELS, n)).join('、'), '（编号 ', h('a', { href: `#/case/${v.caseId}` }, v.reference ?? v.caseId), '）')
                : h('p', { class: 'muted' }, '未发现需转介的需求'),
            ),
          ),
        )
      : h('p', { class: 'muted' }, '还没有走访记录。'),
  );
  const caseList = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'cases-title' },
    h('h2', { id: 'cases-title' }, `关联案件（${cases.length}）`),
    h('p', { class: 'hint' }, '按她的手机号关联的求助记录，只显示编号、来源和时间；能否打开案件由案件本身的权限决定。'),
    cases.length
      ? h('ul', { class: 'linked-cases' }, ...cases.map((c) => h('li', {}, h('a', { href: `#/case/${c.caseId}` }, c.reference), ` · ${label(CHANNEL_LABELS, c.channel)} · ${formatTime(c.createdAt)}`)))
      : h('p', { class: 'muted' }, '没有关联案件。'),
  );
  const canVisit = keepsLedger(s) && woman.status === 'active';
  const form = canVisit
    ? visitForm(personId, (result) => {
        if (result.case) {
          const depts = result.case.referrals.map((r) => label(DEPARTMENT_LABELS, r.department)).join('、');
          flash(`走访已记录，已转介${depts ? `：${depts}` : ''}（编号 ${result.case.reference}）`);
        } else flash('走访已记录，未发现需转介的需求。');
        void renderWoman(view, personId);
      })
    : null;
  view.replaceChildren(h('p', {}, h('a', { href: '#/ledger' }, '← 返回台账名单')), heading, record, form ?? '', visitList, caseList);
  heading.focus();
}
