// The caseworker console: sign-in (the organisation's identity provider by the authorization-code
// flow with PKCE, a pasted token, or locally the development sign-in), then a hash router over four
// views: my queue, a case, the overview, the monthly reports. The token lives in this page's memory only: nothing is
// written to localStorage or cookies; sessionStorage holds only the one-time PKCE verifier and
// state during the round trip to the issuer.
import { ApiError, apiCall } from './lib/api.js';
import { byId } from './lib/dom.js';
import { DEPARTMENT_LABELS, label, ROLE_LABELS } from './lib/labels.js';
import { renderCase } from './console/case-view.js';
import { currentSession, divisionName, fillDivisionSelect, loadDivisions, onSessionChange, sessionFromToken, setSession, showSignInError, type Session } from './console/context.js';
import { RECEIVING_DEPARTMENTS } from './console/departments.js';
import { keepsLedger, readsLedger, renderLedgerDue, renderLedgerList, renderRegistration, renderWoman } from './console/ledger.js';
import { renderOverview } from './console/overview.js';
import { renderReports } from './console/reports.js';
import { refreshCountdowns, renderQueue } from './console/queue.js';
import { beginSignIn, completeSignIn, loadOidcConfig } from './console/oidc.js';

const signIn = byId('sign-in');
const view = byId('view');
const nav = byId('nav');
const who = byId('who');
const signOut = byId<HTMLButtonElement>('sign-out');

function showSignedIn(s: Session | null): void {
  signIn.hidden = !!s;
  view.hidden = !s;
  nav.hidden = !s;
  signOut.hidden = !s;
  who.textContent = s ? [label(ROLE_LABELS, s.role), s.department ? label(DEPARTMENT_LABELS, s.department) : '', s.divisionCode ? divisionName(s.divisionCode) : ''].filter(Boolean).join(' · ') : '';
  // A ledger officer works in the ledger only; caseworkers have no overview or reports.
  byId('nav-queue').hidden = keepsLedger(s);
  byId('nav-overview').hidden = s?.role === 'caseworker' || keepsLedger(s);
  byId('nav-reports').hidden = s?.role === 'caseworker' || keepsLedger(s);
  byId('nav-ledger').hidden = !readsLedger(s);
  if (!s) {
    view.replaceChildren();
    byId<HTMLTextAreaElement>('token').value = '';
  }
}

onSessionChange(showSignedIn);

async function startSession(token: string): Promise<void> {
  const s = sessionFromToken(token);
  if (!s) {
    showSignInError('这不是有效的访问令牌，请检查后重新粘贴。');
    return;
  }
  if (s.expiresAt !== null && s.expiresAt <= Date.now()) {
    showSignInError('令牌已过期，请重新获取。');
    return;
  }
  await loadDivisions();
  showSignInError('');
  setSession(s);
  if (!location.hash || location.hash === '#') location.hash = keepsLedger(s) ? '#/ledger' : '#/queue';
  else await route();
}

byId<HTMLFormElement>('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void startSession(byId<HTMLTextAreaElement>('token').value);
});

signOut.addEventListener('click', () => {
  setSession(null);
  history.replaceState(null, '', location.pathname);
  byId('token').focus();
});

// Sign-in with the organisation's identity provider, where one is configured: back from it, the
// code becomes a token in memory; otherwise the button leaves for its sign-in page.
async function offerOidcSignIn(): Promise<void> {
  const config = await loadOidcConfig();
  if (!config) return;
  const button = byId<HTMLButtonElement>('oidc-sign-in');
  byId('oidc-row').hidden = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    beginSignIn(config).catch((err: Error) => {
      button.disabled = false;
      showSignInError(err.message);
    });
  });
  try {
    const token = await completeSignIn(config);
    if (token) await startSession(token);
  } catch (err) {
    showSignInError((err as Error).message);
  }
}

// Development sign-in: offered only where the local runtime serves /dev/token.
async function offerDevSignIn(): Promise<void> {
  try {
    const res = await fetch('/dev/token', { credentials: 'omit', cache: 'no-store' });
    if (!res.ok || !((await res.json()) as { devSignIn?: boolean }).devSignIn) return;
  } catch {
    return;
  }
  const divisions = await loadDivisions();
  const department = byId<HTMLSelectElement>('dev-department');
  department.replaceChildren(new Option('（无：协调员、管理员）', ''), ...RECEIVING_DEPARTMENTS.map((d) => new Option(label(DEPARTMENT_LABELS, d), d)));
  department.value = 'womens_federation';
  const division = byId<HTMLSelectElement>('dev-division');
  fillDivisionSelect(division, divisions);
  division.value = '220722';
  const form = byId<HTMLFormElement>('dev-form');
  form.hidden = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { role: byId<HTMLSelectElement>('dev-role').value, department: department.value || null, division: division.value || null };
    apiCall<{ token: string }>(null, 'POST', '/dev/token', body, '')
      .then((r) => startSession(r.token))
      .catch((err: ApiError) => showSignInError(err.fields.length ? `${err.message}：${err.fields.map((f) => f.message).join('；')}` : err.message));
  });
}

/**
 * Each route renders into its own element in #view. A view still waiting for the API when she moves
 * on (a slow queue, then a click on the ledger) then finishes into an element no longer on the page,
 * instead of replacing the view she moved to.
 */
function freshMount(): HTMLElement {
  const mount = document.createElement('div');
  view.replaceChildren(mount);
  return mount;
}

async function route(): Promise<void> {
  if (!currentSession()) return;
  const mount = freshMount();
  const hash = location.hash.replace(/^#/, '');
  const caseMatch = /^\/case\/([0-9A-Z]{26})$/.exec(hash);
  for (const a of nav.querySelectorAll('a')) a.removeAttribute('aria-current');
  if (caseMatch) return renderCase(mount, caseMatch[1]!);
  const [path, query] = hash.split('?') as [string, string | undefined];
  if (path.startsWith('/ledger')) {
    byId('nav-ledger').setAttribute('aria-current', 'page');
    const woman = /^\/ledger\/woman\/([0-9A-Z]{26})$/.exec(path);
    if (woman) return renderWoman(mount, woman[1]!);
    if (path === '/ledger/due') return renderLedgerDue(mount, new URLSearchParams(query ?? ''));
    if (path === '/ledger/new') return renderRegistration(mount);
    return renderLedgerList(mount, new URLSearchParams(query ?? ''));
  }
  if (keepsLedger(currentSession())) {
    location.hash = '#/ledger';
    return;
  }
  if (hash === '/overview') {
    byId('nav-overview').setAttribute('aria-current', 'page');
    return renderOverview(mount);
  }
  if (hash === '/reports') {
    byId('nav-reports').setAttribute('aria-current', 'page');
    return renderReports(mount);
  }
  byId('nav-queue').setAttribute('aria-current', 'page');
  return renderQueue(mount);
}

window.addEventListener('hashchange', () => void route());
setInterval(() => refreshCountdowns(view), 30_000);
showSignedIn(null);
void offerDevSignIn();
void offerOidcSignIn();
