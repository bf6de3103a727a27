// The public intake form. No login, nothing kept in browser storage or cookies, a quick exit
// that clears the page and leaves for a neutral site, and submissions that retry safely: one
// clientRequestId per submission attempt, reused for every retry of the same content, so the
// server records the request once however often the network fails.
import { API_BASE } from './lib/api-base.js';
import { byId, randomId } from './lib/dom.js';

const form = byId<HTMLFormElement>('intake-form');
const submitButton = byId<HTMLButtonElement>('submit');
const statusLine = byId('status');
const formError = byId('form-error');
const done = byId('done');
const exitUrl = document.querySelector<HTMLMetaElement>('meta[name="exit-url"]')?.content || '/exit.html';

const ATTEMPT_TIMEOUT_MS = 20_000;
const RETRY_DELAYS_MS = [1_000, 3_000];
const PHONE = /^(\+?86[- ]?)?[0-9][0-9 -]{5,18}[0-9]$/;

// ---------------------------------------------------------------------------------- quick exit

function clearEverything(): void {
  form.reset();
  byId('reference').textContent = '';
  byId('done-next').textContent = '';
  pending = null;
  // Nothing of what she typed stays in the DOM while the next page loads.
  document.title = '家常菜谱';
  document.body.replaceChildren();
}

function quickExit(event?: Event): void {
  event?.preventDefault();
  clearEverything();
  // replace(): the form is not left behind in the tab's history.
  window.location.replace(exitUrl);
}

byId('quick-exit').addEventListener('click', quickExit);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' || e.key === 'Esc') quickExit(e);
});

// ------------------------------------------------------------------------------- form handling

const value = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(id).value.trim();
const checked = (id: string) => byId<HTMLInputElement>(id).checked;

const doNotContact = byId<HTMLInputElement>('doNotContact');
const contactInputs = ['safeToCall', 'safeToSms', 'preferredTime'].map((id) => byId<HTMLInputElement>(id));
function syncDoNotContact(): void {
  for (const input of contactInputs) {
    input.disabled = doNotContact.checked;
    if (doNotContact.checked) {
      if (input.type === 'checkbox') input.checked = false;
      else input.value = '';
    }
  }
}
doNotContact.addEventListener('change', syncDoNotContact);

interface WebIntakeBody {
  description: string;
  divisionCode?: string;
  township?: string;
  village?: string;
  name?: string;
  phone?: string;
  contact: { safeToCall?: boolean; safeToSms?: boolean; preferredTime?: string; doNotContact?: boolean };
  consent: { shareWithDepartments: boolean };
  /** 您现在安全吗？ "no" is treated as an emergency, "unsure" is checked by a person at once. */
  safeNow?: 'yes' | 'no' | 'unsure';
}

type FieldErrors = Array<{ field: string; message: string }>;

const safeNowValue = () => form.querySelector<HTMLInputElement>('input[name="safeNow"]:checked')?.value as WebIntakeBody['safeNow'];

// "Not safe now": the 110/120 guidance at once, before anything is submitted.
const syncSafeNow = () => {
  byId('safeNow-alert').hidden = safeNowValue() !== 'no';
};
for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="safeNow"]')) radio.addEventListener('change', syncSafeNow);

function collect(): { body: WebIntakeBody; errors: FieldErrors } {
  const errors: FieldErrors = [];
  const description = value('description');
  if (!description) errors.push({ field: 'description', message: '请写几句您遇到的情况或需要的帮助。' });
  const phone = value('phone');
  if (phone && !PHONE.test(phone)) errors.push({ field: 'phone', message: '电话号码只能包含数字，例如 13912345678。' });
  const consent = form.querySelector<HTMLInputElement>('input[name="consent"]:checked')?.value;
  if (!consent) errors.push({ field: 'consent', message: '请选择是否同意转给相关部门。' });
  const optional = (id: string) => value(id) || undefined;
  const body: WebIntakeBody = {
    description,
    divisionCode: optional('divisionCode'),
    township: optional('township'),
    village: optional('village'),
    name: optional('name'),
    phone: phone || undefined,
    contact: checked('doNotContact') ? { doNotContact: true } : { safeToCall: checked('safeToCall'), safeToSms: checked('safeToSms'), preferredTime: optional('preferredTime') },
    consent: { shareWithDepartments: consent === 'yes' },
    safeNow: safeNowValue(),
  };
  return { body, errors };
}

function clearErrors(): void {
  for (const el of form.querySelectorAll<HTMLElement>('.error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

const FIELD_IDS = ['description', 'divisionCode', 'township', 'village', 'name', 'phone', 'preferredTime', 'consent'];

function showErrors(errors: FieldErrors): void {
  let first: HTMLElement | undefined;
  for (const { field, message } of errors) {
    const known = FIELD_IDS.includes(field);
    const slot = byId(known ? `${field}-error` : 'form-error');
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    slot.hidden = false;
    if (!known) continue;
    const input = field === 'consent' ? form.querySelector<HTMLElement>('input[name="consent"]') : byId(field);
    input?.setAttribute('aria-invalid', 'true');
    first ??= input ?? undefined;
  }
  (first ?? formError).focus();
}

/** The server's field paths ("contact.preferredTime", "consent.shareWithDepartments") → form fields. */
function serverErrors(fields: Array<{ path: string }> | undefined): FieldErrors {
  const out: FieldErrors = [];
  for (const f of fields ?? []) {
    const field = f.path.split('.')[0] === 'consent' ? 'consent' : (f.path.split('.').pop() ?? '');
    out.push({ field, message: FIELD_IDS.includes(field) ? '这一项的内容不符合要求，请检查。' : '提交的内容有误，请检查后再提交。' });
  }
  return out.length ? out : [{ field: 'form', message: '提交的内容有误，请检查后再提交。' }];
}

// -------------------------------------------------------------------------------- submission

/** The attempt in flight or last failed: its id is reused as long as the content is unchanged. */
let pending: { id: string; content: string } | null = null;

/** A new case's receipt (201), or for a repeat of a post already received (200) only `reference` and `status: 'already_received'`. */
interface Receipt {
  reference: string;
  urgency?: string;
  status: string;
  referrals?: unknown[];
  /** Present while a coordinator is asked to check a possible emergency. */
  dangerReview?: { status: string; dueAt: string };
}

type Outcome = { kind: 'ok'; receipt: Receipt } | { kind: 'invalid'; fields?: Array<{ path: string }> } | { kind: 'too_large' } | { kind: 'conflict' } | { kind: 'failed' };

async function attempt(body: WebIntakeBody & { clientRequestId: string }): Promise<Outcome | 'retry'> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
  try {
    const res = await fetch(`${API_BASE}/intake/web`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    const json = (await res.json().catch(() => null)) as { error?: { fields?: Array<{ path: string }> } } | null;
    if (res.status === 200 || res.status === 201) return { kind: 'ok', receipt: json as unknown as Receipt };
    if (res.status === 400) return { kind: 'invalid', fields: json?.error?.fields };
    if (res.status === 413) return { kind: 'too_large' };
    if (res.status === 409) return { kind: 'conflict' };
    return res.status >= 500 || res.status === 429 ? 'retry' : { kind: 'failed' };
  } catch {
    return 'retry';
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function submit(event: Event): Promise<void> {
  event.preventDefault();
  if (submitButton.disabled) return;
  clearErrors();
  const { body, errors } = collect();
  if (errors.length) {
    showErrors(errors);
    return;
  }
  const content = JSON.stringify(body);
  if (!pending || pending.content !== content) pending = { id: `web-${randomId()}`, content };
  const request = { ...body, clientRequestId: pending.id };
  submitButton.disabled = true;
  statusLine.textContent = '正在提交…';
  let outcome: Outcome | 'retry' = 'retry';
  try {
    for (let i = 0; i <= RETRY_DELAYS_MS.length; i++) {
      outcome = await attempt(request);
      if (outcome !== 'retry' || i === RETRY_DELAYS_MS.length) break;
      statusLine.textContent = '网络不太稳定，正在重新提交…';
      await sleep(RETRY_DELAYS_MS[i]!);
    }
  } finally {
    submitButton.disabled = false;
    statusLine.textContent = '';
  }
  if (outcome === 'retry' || outcome.kind === 'failed') {
    submitButton.textContent = '重新提交';
    showErrors([{ field: 'form', message: '网络不稳定，这次没有提交成功。请稍后点“重新提交”，不会重复登记。紧急情况请直接拨打 110。' }]);
    return;
  }
  switch (outcome.kind) {
    case 'ok':
      pending = null;
      showReceipt(outcome.receipt, body);
      return;
    case 'invalid':
      showErrors(serverErrors(outcome.fields));
      return;
    case 'too_large':
      showErrors([{ field: 'description', message: '内容太长了，请删减一些再提交。' }]);
      return;
    case 'conflict':
      pending = null;
      showErrors([{ field: 'form', message: '提交没有完成，请再点一次“提交求助”。' }]);
      return;
  }
}

function showReceipt(receipt: Receipt, body: WebIntakeBody): void {
  byId('reference').textContent = receipt.reference;
  const next = byId('done-next');
  const repeat = receipt.status === 'already_received';
  if (repeat) {
    // An earlier attempt got through (its answer was lost on the way): the server says no more than that.
    next.textContent = '这次求助我们已经收到了，不需要再提交。登记编号见上方。';
  } else if (!body.consent.shareWithDepartments && (receipt.referrals ?? []).length === 0) {
    next.textContent = '按您的选择，这次只做了登记，没有转给任何部门。需要帮助时，可以随时拨打 12338。';
  } else if (body.contact.doNotContact) {
    next.textContent = '已转给负责的部门。您选择了不被主动联系：方便时请拨打 12338，告诉工作人员登记编号。';
  } else {
    next.textContent = '已转给负责的部门，工作人员会按您选择的方式和时间联系您。';
  }
  // On a repeat the urgency is not told: the 110 guidance shows unless she said she is safe now.
  byId('done-emergency').hidden = repeat ? body.safeNow === 'yes' : receipt.urgency !== 'emergency' && !receipt.dangerReview;
  // Nothing she typed stays on the screen.
  form.reset();
  syncDoNotContact();
  syncSafeNow();
  submitButton.textContent = '提交求助';
  form.hidden = true;
  done.hidden = false;
  done.focus();
}

byId('new-request').addEventListener('click', () => {
  byId('reference').textContent = '';
  done.hidden = true;
  form.hidden = false;
  byId('description').focus();
});

form.addEventListener('submit', (e) => void submit(e));
