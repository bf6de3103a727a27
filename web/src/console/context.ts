// The console's state: the signed-in person (token in memory only, never in browser storage),
// the division names, and helpers every view uses.
import { ROLES, type Actor, type ActorRole } from '../../../shared/domain/access/policy.js';
import { ApiError, apiCall } from '../lib/api.js';
import { byId } from '../lib/dom.js';
import { messageForStaff } from './wording.js';

export interface Session extends Actor {
  token: string;
  subject: string;
  expiresAt: number | null;
}

let session: Session | null = null;
const listeners: Array<(s: Session | null) => void> = [];

export const currentSession = () => session;

export function setSession(next: Session | null): void {
  session = next;
  for (const l of listeners) l(next);
}

export const onSessionChange = (l: (s: Session | null) => void) => listeners.push(l);

/** Reads the claims for display; the API verifies the token on every call. */
export function sessionFromToken(token: string): Session | null {
  const part = token.trim().split('.')[1];
  if (!part) return null;
  try {
    const json = decodeURIComponent(Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    const claims = JSON.parse(json) as Record<string, unknown>;
    // For display only (the API decides from the claims its issuer controls): a role claim, or the
    // Cognito pool's role group and admin-only attributes.
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
    const role = [claims.role, ...groups].find((r): r is ActorRole => (ROLES as readonly unknown[]).includes(r));
    if (!role) return null;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      token: token.trim(),
      subject: str(claims.sub) ?? '',
      role,
      department: str(claims.department) ?? str(claims['custom:department']),
      divisionCode: str(claims.division) ?? str(claims['custom:division']),
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

/** An API call as the signed-in person; a 401 signs her out. */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  try {
    return await apiCall<T>(session?.token ?? null, method, path, body);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setSession(null);
      showSignInError('登录已过期或令牌无效，请重新登录。');
    }
    // Staff read Chinese: the message's Chinese half, codes as their labels.
    if (err instanceof ApiError)
      throw new ApiError(
        err.status,
        err.code,
        messageForStaff(err.message),
        err.fields.map((f) => ({ ...f, message: messageForStaff(f.message) })),
      );
    throw err;
  }
}

export function showSignInError(message: string): void {
  const el = byId('sign-in-error');
  el.textContent = message;
  el.hidden = !message;
}

let flashTimer: ReturnType<typeof setTimeout> | undefined;
export function flash(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = byId('flash');
  el.textContent = message;
  el.className = `flash ${kind}`;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    el.textContent = '';
    el.className = 'flash';
  }, 8000);
}

// ------------------------------------------------------------------------------- divisions

export interface DivisionsJson {
  province: { code: string; name: string };
  prefectures: { code: string; name: string; counties: { code: string; name: string }[] }[];
}

let divisions: DivisionsJson | null = null;
const names = new Map<string, string>();

export async function loadDivisions(): Promise<DivisionsJson> {
  if (divisions) return divisions;
  const res = await fetch('/divisions.json', { credentials: 'omit' });
  divisions = (await res.json()) as DivisionsJson;
  names.set(divisions.province.code, divisions.province.name);
  for (const p of divisions.prefectures) {
    names.set(p.code, p.name);
    for (const c of p.counties) names.set(c.code, c.name);
  }
  return divisions;
}

export const divisionName = (code: string | null | undefined): string => (code ? (names.get(code) ?? code) : '—');

/** Fills a select with the province, its prefectures and their counties (optionally only those inside `within`). */
export function fillDivisionSelect(select: HTMLSelectElement, d: DivisionsJson, opts: { empty?: string; within?: (code: string) => boolean } = {}): void {
  select.replaceChildren();
  const ok = opts.within ?? (() => true);
  if (opts.empty !== undefined) select.append(new Option(opts.empty, ''));
  if (ok(d.province.code)) select.append(new Option(`${d.province.name}（省级）`, d.province.code));
  for (const p of d.prefectures) {
    const group = document.createElement('optgroup');
    group.label = p.name;
    if (ok(p.code)) group.append(new Option(`${p.name}（市级）`, p.code));
    for (const c of p.counties) if (ok(c.code)) group.append(new Option(c.name, c.code));
    if (group.children.length) select.append(group);
  }
}
