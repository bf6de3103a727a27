// The one flow every intake channel shares: validated body → canonical intake → submit → response.
import type middy from '@middy/core';
import { createHash } from 'node:crypto';
import type { core } from 'zod/mini';
import { logger } from '../adapters/logger.js';
import { count } from '../adapters/metrics.js';
import { intakeDependencies } from '../config/intake.js';
import type { CanonicalIntake } from '../domain/intake/schemas.js';
import type { Channel } from '../domain/model.js';
import { submitIntake } from '../usecases/submit-intake.js';
import { conflict, HttpError } from './errors.js';

/** The whole answer to a repeated anonymous (web) post: no status, deadline or classification. */
export const ALREADY_RECEIVED_MESSAGE = '这次求助已经收到，无需重复提交 (already received)';
export const ANONYMOUS_CONFLICT_MESSAGE = '提交没有完成，请重新提交 (conflict)';
import { json, jsonEndpoint, type HttpRequestEvent, type HttpResult } from './middleware.js';

/** Stable JSON (sorted keys) so that the same intake re-sent in another key order is still the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const fingerprintOf = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** The intake goes on unlinked; what failed is said by its error's name only (a message may quote a value). */
export function onContactLookupFailed(err: unknown): void {
  logger.warn('earlier contacts could not be looked up: intake recorded without links', { error: err instanceof Error ? err.name : typeof err });
  count('ContactLookupFailed', {});
}

/**
 * Signed channels (the hotlines) pass their signature check (shared/http/hotline-intake.ts): they are
 * authenticated and get the full receipt again on a duplicate; the web form has none. The check is
 * handed in, so that the web function's bundle carries no key store and no Secrets Manager client.
 */
export function intakeEndpoint<S extends core.$ZodType>(options: {
  channel: Channel;
  schema: S;
  signature?: middy.MiddlewareObj<HttpRequestEvent, HttpResult>;
  toCanonical: (body: core.output<S>, receivedAt: Date) => CanonicalIntake;
}) {
  const signed = options.signature !== undefined;
  return jsonEndpoint(
    options.schema,
    async (event) => {
      const deps = { ...intakeDependencies(), onContactLookupFailed };
      const intake = options.toCanonical(event.validBody, deps.now());
      const result = await submitIntake(intake, fingerprintOf(event.validBody), deps);
      if (result.kind === 'conflict') {
        logger.warn('intake conflicts with an earlier delivery', { channel: options.channel, caseId: result.caseId });
        // An anonymous caller learns nothing from a 409 (not even that the id was used): the code only.
        throw signed ? conflict('the same external id was sent before with different content') : new HttpError(409, 'conflict', ANONYMOUS_CONFLICT_MESSAGE);
      }
      const r = result.receipt;
      count(result.kind === 'created' ? 'IntakeReceived' : 'IntakeRepeated', { channel: options.channel, urgency: r.urgency });
      logger.info(result.kind === 'created' ? 'case created' : 'duplicate intake', {
        channel: options.channel,
        caseId: r.caseId,
        needs: r.needs,
        urgency: r.urgency,
        divisionCode: r.divisionCode,
        referrals: r.referrals.length,
      });
      if (result.kind === 'duplicate' && !signed) {
        // Anyone holding a copy of her body could post it again: an anonymous repeat is told it was
        // received, with the reference she already has, and nothing of the case's progress.
        return json(200, { reference: r.reference, status: 'already_received', message: ALREADY_RECEIVED_MESSAGE });
      }
      return json(result.kind === 'created' ? 201 : 200, r, { location: `/cases/${r.caseId}` });
    },
    options.signature ? [options.signature] : [],
  );
}
