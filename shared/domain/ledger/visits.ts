// Visits that refer (走访). A ledger officer records a visit to a woman on the ledger;
// its note is classified like any intake, and the needs found in it or observed by the officer become
// a case on channel `visit`, routed and notified like the others and linked to her. A visit cycle per
// focus marker (data/visit-cycles.json) says when she is due to be visited again; an overdue visit is
// in the township officer's queue. Pure.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { NEEDS, type Need } from '../model.js';
import { parseTimestamp, type CanonicalIntake } from '../intake/schemas.js';
import type { LedgerActor, LedgerEntry } from './entry.js';
import { FOCUS_MARKERS, type FocusMarker } from './registration.js';

const DAY_MS = 86_400_000;
/** How far back a visit may be recorded (a note written up after the visit, not a history typed in later). */
export const MAX_VISIT_AGE_DAYS = 90;
/** A visit time a little ahead of the server's clock is a phone's clock, not a visit in the future. */
const CLOCK_SKEW_MS = 10 * 60_000;

export const visitBodySchema = z.strictObject({
  /** When she was visited: ISO-8601 with a zone, or "YYYY-MM-DD HH:mm[:ss]" in Beijing time. */
  visitedAt: z.string().check(
    z.trim(),
    z.refine((s) => parseTimestamp(s) !== null, '应为时间，如 2026-12-03 15:00 (ISO-8601 with a time zone, or "YYYY-MM-DD HH:mm" Beijing time)'),
  ),
  /** What the officer saw and heard (走访记录). */
  text: z.string().check(z.trim(), z.minLength(1, '请填写走访情况 (required)'), z.maxLength(8000)),
  /** Needs the officer observed herself: referred whatever the note's words say. */
  observedNeeds: z.optional(z.array(z.enum(NEEDS)).check(z.maxLength(NEEDS.length))),
  /** She agreed that the departments be told (default). `false`: the visit is recorded and nothing referred, except an emergency. */
  shareWithDepartments: z.optional(z.boolean()),
});
export type VisitBody = z.infer<typeof visitBodySchema>;

export const visitCyclesSchema = z.object({
  /** Days between visits of a woman with no focus marker. */
  defaultDays: z.number().check(z.int(), z.minimum(7), z.maximum(730)),
  /** Days between visits for each focus marker; with several, the shortest applies. */
  byFocus: z.partialRecord(z.enum(FOCUS_MARKERS), z.number().check(z.int(), z.minimum(7), z.maximum(730))),
});
export type VisitCycles = z.infer<typeof visitCyclesSchema>;

export function parseVisitCycles(json: unknown): VisitCycles {
  const parsed = visitCyclesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`data/visit-cycles.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Days between her visits: the shortest cycle of her focus markers, or the default. */
export function visitCycleDays(focus: readonly FocusMarker[], cycles: VisitCycles): number {
  const days = focus.map((f) => cycles.byFocus[f]).filter((d): d is number => d !== undefined);
  return days.length > 0 ? Math.min(...days) : cycles.defaultDays;
}

/** When she is next due a visit: one cycle after her last visit, or after her registration if she has not been visited. */
export function nextVisitDue(entry: Pick<LedgerEntry, 'focus' | 'registeredAt' | 'lastVisitedAt'>, cycles: VisitCycles): string {
  const from = Date.parse(entry.lastVisitedAt ?? entry.registeredAt);
  return new Date(from + visitCycleDays(entry.focus, cycles) * DAY_MS).toISOString();
}

export interface VisitProblem {
  path: string;
  message: string;
}

/** A visit's time must be now or in the last MAX_VISIT_AGE_DAYS days. */
export function visitProblems(body: VisitBody, now: Date): VisitProblem[] {
  const at = parseTimestamp(body.visitedAt)!.getTime();
  if (at > now.getTime() + CLOCK_SKEW_MS) return [{ path: 'visitedAt', message: '走访时间不能晚于现在 (in the future)' }];
  if (at < now.getTime() - MAX_VISIT_AGE_DAYS * DAY_MS) return [{ path: 'visitedAt', message: `只能补录${MAX_VISIT_AGE_DAYS}天内的走访 (more than ${MAX_VISIT_AGE_DAYS} days ago)` }];
  return [];
}

/** A visit as kept under her record: its note (hers to read, like the record), the needs and the case it referred. */
export interface VisitRecord {
  visitedAt: string;
  recordedAt: string;
  by: LedgerActor;
  text: string;
  observedNeeds: Need[];
  /** The needs the case was opened for (found or observed); empty when nothing was referred. */
  needs: Need[];
  caseId?: string;
  reference?: string;
}

/**
 * The visit as an intake on channel `visit`: her name, phone and place from her record; the officer
 * as operator; the visit time as the external id's instant, so that the same visit sent twice is one
 * case (a repeat of the same body answers the same case; other content at the same time is a conflict).
 */
export function visitIntake(entry: LedgerEntry, body: VisitBody, officer: LedgerActor): CanonicalIntake {
  const visitedAt = parseTimestamp(body.visitedAt)!.toISOString();
  return {
    channel: 'visit',
    externalId: `${entry.personId}:${visitedAt}`,
    receivedAt: visitedAt,
    operatorId: officer.id,
    operatorRole: 'ledger_officer',
    text: body.text,
    person: { name: entry.name, phone: entry.phone },
    location: { divisionCode: entry.divisionCode, township: entry.township, village: entry.village },
    contact: {},
    consent: { shareWithDepartments: body.shareWithDepartments ?? true },
    signals: { ...(body.observedNeeds && body.observedNeeds.length > 0 ? { observedNeeds: [...new Set(body.observedNeeds)] } : {}) },
  };
}
