// The manifest of labelled sets (test/fixtures/manifest.json): which sets exist, for what purpose,
// and the figures each must reach. One reading for the acceptance test, `classify:eval -- --all`
// and the classifier benchmark, so the guide's check before deploying is the test's. Pure: the
// caller reads the file.
import * as z from 'zod';
import type { Metrics } from './evaluation.js';

const setSchema = z.strictObject({
  file: z.string().regex(/^[a-z0-9/-]+\.jsonl$/),
  purpose: z.enum(['samples', 'regression', 'generalisation']),
  count: z.number().int().positive().optional(),
  /** The classifier alone; emergency recall must always be 1. */
  classifier: z.strictObject({ macroF1: z.number().min(0).max(1), urgency: z.number().min(0).max(1), division: z.number().min(0).max(1) }).optional(),
  /** The emergency path: classifier emergency or danger-screen flag. */
  emergencyPath: z.strictObject({ combinedRecall: z.number().min(0).max(1), maxReviewRate: z.number().min(0).max(1) }).optional(),
});
export const manifestSchema = z.strictObject({ $comment: z.string().optional(), sets: z.array(setSchema).min(1) });
export type LabelledSet = z.infer<typeof setSchema>;

export function parseManifest(text: string): LabelledSet[] {
  return manifestSchema.parse(JSON.parse(text)).sets;
}

const show = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
/** A figure below its floor (an absent figure counts as below: nothing measured is nothing shown). */
const below = (x: number | null, min: number) => x === null || x < min;

/** What a set's figures fall short of, in words (empty when it passes). */
export function shortfalls(set: LabelledSet, m: Metrics): string[] {
  const out: string[] = [];
  if (set.count !== undefined && m.count !== set.count) out.push(`${m.count} intakes, expected ${set.count}`);
  if (set.classifier) {
    // A set without emergencies has no emergency recall to fall short of.
    if (m.emergencyRecall !== null && m.emergencyRecall < 1) out.push(`emergency recall ${show(m.emergencyRecall)} < 1`);
    if (below(m.macroF1, set.classifier.macroF1)) out.push(`macro-F1 ${show(m.macroF1)} < ${set.classifier.macroF1}`);
    if (below(m.urgencyAccuracy, set.classifier.urgency)) out.push(`urgency ${show(m.urgencyAccuracy)} < ${set.classifier.urgency}`);
    if (below(m.divisionAccuracy, set.classifier.division)) out.push(`division ${show(m.divisionAccuracy)} < ${set.classifier.division}`);
  }
  if (set.emergencyPath) {
    const s = m.screen;
    if (!s) out.push('no danger-screen figures');
    else {
      if (below(s.combinedRecall, set.emergencyPath.combinedRecall)) out.push(`emergency path recall ${show(s.combinedRecall)} < ${set.emergencyPath.combinedRecall}`);
      if (s.reviewRate === null || s.reviewRate > set.emergencyPath.maxReviewRate) out.push(`review rate ${show(s.reviewRate)} > ${set.emergencyPath.maxReviewRate}`);
    }
  }
  return out;
}
