// Human signals outrank the classifier, upwards only: an operator's assessment (hotlines) and the
// caller's own "are you safe now?" (web) can raise a case's urgency and add the needs their risks
// imply, never lower or remove anything the classifier found. Pure: the table comes from
// data/emergency-signals.json.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { NEEDS, RISKS, urgencyRank, type Need, type Risk, type SafeNow, type Urgency, type UrgencySource } from '../model.js';
import type { Classification } from '../classification/types.js';

export const emergencySignalsSchema = z.object({
  risks: z.object(Object.fromEntries(RISKS.map((r) => [r, z.array(z.enum(NEEDS)).check(z.minLength(1))])) as Record<Risk, z.ZodMiniArray<z.ZodMiniEnum<{ [K in Need]: K }>>>),
  notSafeNow: z.array(z.enum(NEEDS)).check(z.minLength(1)),
  reviewMinutes: z.number().check(z.int(), z.minimum(1), z.maximum(240)),
});
export type EmergencySignalTable = z.infer<typeof emergencySignalsSchema>;

export function parseEmergencySignals(json: unknown): EmergencySignalTable {
  const parsed = emergencySignalsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`data/emergency-signals.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export interface OperatorAssessment {
  urgency?: Urgency;
  risks?: Risk[];
}

/** What people said about the danger, beside the text. */
export interface HumanSignals {
  operatorAssessment?: OperatorAssessment;
  safeNow?: SafeNow;
  /** Needs a visiting ledger officer saw herself (channel `visit`): added, never removed; urgency unchanged. */
  observedNeeds?: Need[];
}

/**
 * The classification with the human signals applied: urgency is the highest of the machine's and
 * the people's; needs implied by flagged risks are added; the explanation says which source decided.
 */
export function applyHumanSignals(c: Classification, signals: HumanSignals, table: EmergencySignalTable): Classification {
  const risks = [...new Set(signals.operatorAssessment?.risks ?? [])];
  const candidates: { source: UrgencySource; urgency: Urgency; why: string[] }[] = [];
  const added = new Map<Need, string[]>();
  const imply = (needs: readonly Need[], why: string) => {
    for (const n of needs) added.set(n, [...(added.get(n) ?? []), why]);
  };

  const op = signals.operatorAssessment;
  if (op) {
    const why: string[] = [];
    if (op.urgency) why.push(`operator urgency: ${op.urgency}`);
    for (const r of risks) {
      why.push(`operator risk: ${r}`);
      imply(table.risks[r], `operator risk: ${r}`);
    }
    const urgency = risks.length > 0 ? 'emergency' : op.urgency;
    if (urgency) candidates.push({ source: 'operator', urgency, why });
  }
  for (const n of signals.observedNeeds ?? []) imply([n], 'observed on visit');
  if (signals.safeNow === 'no') {
    candidates.push({ source: 'caller', urgency: 'emergency', why: ['safeNow: no'] });
    imply(table.notSafeNow, 'safeNow: no');
  }

  let urgency = c.urgency;
  let source: UrgencySource = c.explanation.urgencySource ?? 'classifier';
  let urgencyWhy = c.explanation.urgency;
  for (const cand of candidates) {
    if (urgencyRank(cand.urgency) > urgencyRank(urgency)) {
      urgency = cand.urgency;
      source = cand.source;
      urgencyWhy = cand.why;
    }
  }
  const needs = NEEDS.filter((n) => c.needs.includes(n) || added.has(n));
  // A safety_protection need is never routine (labelling guide).
  if (needs.includes('safety_protection') && urgency === 'routine') {
    urgency = 'urgent';
    urgencyWhy = [...urgencyWhy, 'safety_protection is never routine'];
  }
  const explainedNeeds = { ...c.explanation.needs };
  for (const [n, why] of added) if (!c.needs.includes(n)) explainedNeeds[n] = why;
  const humanSignals = candidates.flatMap((x) => x.why);
  if (signals.safeNow && signals.safeNow !== 'no') humanSignals.push(`safeNow: ${signals.safeNow}`);
  for (const n of signals.observedNeeds ?? []) humanSignals.push(`observed on visit: ${n}`);
  return {
    ...c,
    needs,
    urgency,
    explanation: {
      ...c.explanation,
      needs: explainedNeeds,
      urgency: urgencyWhy,
      urgencySource: source,
      ...(humanSignals.length > 0 ? { humanSignals } : {}),
    },
  };
}
