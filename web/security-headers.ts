// Response headers for the web pages, in one place: the local server sets them and the CDN's
// response-headers policy should set the same (see docs/web.md).

/** Same-origin only: no inline script or style, no framing, no plugins. */
export function contentSecurityPolicy(apiOrigin?: string): string {
  const connect = apiOrigin ? `'self' ${apiOrigin}` : "'self'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy(),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Pages are never cached (nothing of a visit should stay on a shared phone); hashed assets forever. */
export const CACHE_CONTROL = {
  page: 'no-store',
  immutableAsset: 'public, max-age=31536000, immutable',
  data: 'public, max-age=3600',
} as const;
