// What the statistics function checks of an event it reads from the stream: the referral snapshots
// of its tally (tally.ts makes them). Apart from tally.ts so that the functions that only write a
// tally (the intake, the caseworker API, the escalation) do not build these schemas when they start.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { REFERRAL_STATUSES } from '../lifecycle/referral.js';
import { URGENCIES } from '../model.js';

/** The snapshot as stored on an event; the stream consumer checks a stored one against this (one definition, its type derived). */
export const referralSnapshotSchema = z.object({
  referralId: z.string(),
  need: z.string(),
  department: z.string(),
  divisionCode: z.string(),
  urgency: z.enum(URGENCIES),
  status: z.enum(REFERRAL_STATUSES),
  /** When it reached its current department: the referral, or the last re-route. */
  enteredAt: z.string(),
  acceptedAt: z.optional(z.string()),
  signedForOnTime: z.optional(z.boolean()),
  completionStartedAt: z.optional(z.string()),
  resolvedAt: z.optional(z.string()),
  resolvedOnTime: z.optional(z.boolean()),
  outcome: z.optional(z.string()),
  pendingExtension: z.boolean(),
  approvedExtensionDays: z.number(),
  escalationLevel: z.number(),
  followUp: z.optional(z.object({ reached: z.boolean(), satisfaction: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(5))) })),
  /** A smoke test of a deployment: never counted. */
  test: z.optional(z.literal(true)),
});
export type ReferralSnapshot = z.infer<typeof referralSnapshotSchema>;

/** An event item as the statistics read it from the stream. */
export const talliedEventSchema = z.object({
  eventId: z.string().check(z.minLength(1)),
  at: z.string().check(z.minLength(20)),
  tally: z.optional(z.array(z.object({ before: z.optional(referralSnapshotSchema), after: z.optional(referralSnapshotSchema) }))),
});
