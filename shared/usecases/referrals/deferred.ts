// A request body that is read only once the caller is authorised: a refused caller's malformed
// body is a recorded refusal, never a 400 that tells her how to form it (see docs/privacy.md).

/** The body itself, or a function that parses and validates it (throwing the caller's own error for a bad one). */
export type Deferred<T> = T | (() => T);

/** Reads a deferred body at most once, however many times a use case retries after a conflict. */
export function readOnce<T>(body: Deferred<T>): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: typeof body === 'function' ? (body as () => T)() : body }).v;
}
