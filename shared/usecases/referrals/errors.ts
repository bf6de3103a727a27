// What can go wrong in a referral use case, independent of HTTP (the handler maps these to
// 400/403/404/409). Messages are for operators (Chinese, with English) and never quote free text.
import type { DenyReason } from '../../domain/access/policy.js';

export class ReferralNotFoundError extends Error {
  constructor(readonly what: 'referral' | 'case' = 'referral') {
    super(`${what} not found`);
    this.name = 'ReferralNotFoundError';
  }
}

/**
 * Denied by the access policy; the attempt has been recorded as an access_denied event.
 * `hidden`: the caller may not even see the case or referral, so she is answered exactly as if it
 * did not exist (404, the same body): a refusal must not tell her that it is there.
 */
export class AccessDeniedError extends Error {
  constructor(
    readonly reason: DenyReason,
    readonly hidden?: 'referral' | 'case',
  ) {
    super(`access denied: ${reason}`);
    this.name = 'AccessDeniedError';
  }
}

/** The action does not apply in the referral's current state. */
export class InvalidTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTransitionError';
  }
}

/** The request breaks a rule on one field. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/**
 * The conditional write failed. `stale`: the referral's version is no longer the one read (someone
 * else changed it: the caller answers 409). `retry`: a sibling or the case changed, or DynamoDB
 * reported a transaction conflict; reading again and retrying is safe.
 */
export class ConcurrentChangeError extends Error {
  constructor(readonly kind: 'stale' | 'retry') {
    super(`concurrent change (${kind})`);
    this.name = 'ConcurrentChangeError';
  }
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}
