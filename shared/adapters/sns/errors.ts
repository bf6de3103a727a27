// How an SNS error maps to a delivery result. Only the error's name is kept: SNS messages can quote
// the phone number ("Invalid parameter: PhoneNumber …"), so they are never logged or stored.
import type { DeliveryResult } from '../../usecases/notify-ports.js';

/** Client-side mistakes that another attempt cannot fix (bad number, opted out, bad request). */
const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException', 'ValidationException', 'NotFoundException']);

export function deliveryFailureOf(err: unknown): Extract<DeliveryResult, { ok: false }> {
  const e = err as { name?: string; $fault?: 'client' | 'server'; $retryable?: unknown };
  const code = typeof e?.name === 'string' && e.name !== '' ? e.name : 'error';
  if (PERMANENT.has(code)) return { ok: false, retryable: false, code };
  // Throttling, server faults, network errors, and also credential or permission problems, which an
  // operator fixes without the record being lost: retry, and the DLQ holds what never succeeds.
  return { ok: false, retryable: true, code };
}
