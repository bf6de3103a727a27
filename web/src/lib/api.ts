// Calls to the platform's API, with the bearer token held in memory only.
import { API_BASE } from './api-base.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: '登录已过期或令牌无效，请重新登录。',
  403: '无权执行此操作。',
  404: '未找到。',
  409: '该转介刚被他人修改，请刷新后重试。',
};

/** `base`: the API's origin (API_BASE); '' for the pages' own origin (the local development sign-in). */
export async function apiCall<T>(token: string | null, method: 'GET' | 'POST', path: string, body?: unknown, base = API_BASE): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请稍后重试。');
  }
  const json = (await res.json().catch(() => null)) as ({ error?: { code?: string; message?: string; fields?: Array<{ path: string; message: string }> } } & T) | null;
  if (res.ok) return json as T;
  const error = json?.error;
  throw new ApiError(res.status, error?.code ?? String(res.status), error?.message ?? FALLBACK_MESSAGES[res.status] ?? `请求失败（${res.status}）`, error?.fields ?? []);
}
