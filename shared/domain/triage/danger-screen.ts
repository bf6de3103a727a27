// The danger screen: a broad, recall-first pass over danger cues, separate from the precise
// classifier. It does not decide anything by itself: a text it flags that the classifier did not
// call an emergency goes to a person (the division's on-duty coordinator) for a 15-minute review.
// Pure: the cues come from data/danger-screen.json.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { cleanText } from '../classification/normalize.js';
import type { ToSimplified } from '../classification/simplify.js';
import { NEEDS, type Need } from '../model.js';
import { gramsOf, scoreGrams, type NgramModel } from './ngram-model.js';

const term = z.string().check(z.minLength(1), z.maxLength(40));

export const dangerScreenSchema = z.object({
  flagAt: z.number().check(z.int(), z.minimum(1)),
  maxGap: z.number().check(z.int(), z.minimum(0), z.maximum(60)),
  ignore: z.array(term),
  cues: z
    .array(
      z.object({
        id: z.string().check(z.regex(/^[a-z_]+(\.[a-z_]+)*$/, 'lower-case words joined by "."')),
        weight: z.number().check(z.int(), z.minimum(1), z.maximum(10)),
        /** Needs a confirmed review adds when this cue was found. */
        needs: z._default(z.array(z.enum(NEEDS)), []),
        terms: z.array(term).check(z.minLength(1)),
      }),
    )
    .check(
      z.minLength(1),
      z.refine((cues) => new Set(cues.map((c) => c.id)).size === cues.length, 'cue ids must be unique'),
    ),
});
export type DangerScreenRules = z.infer<typeof dangerScreenSchema>;

export function parseDangerScreen(json: unknown): DangerScreenRules {
  const parsed = dangerScreenSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`data/danger-screen.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export interface ScreenResult {
  possibleEmergency: boolean;
  /** The cues found, as "<cue id>: <term>" (terms are the rule's words, never other text of the intake). */
  cues: string[];
  score: number;
  /** The needs of the cues found, in taxonomy order: what a person's confirmation adds. */
  impliedNeeds: Need[];
  /** The second opinion's log-odds and threshold, when a model is loaded. */
  model?: { score: number; threshold: number; flagged: boolean };
}

export interface DangerScreen {
  screen(text: string): ScreenResult;
}

const SENTENCE_END = /[。！？!?；;\n]/;

interface CompiledTerm {
  cue: number;
  display: string;
  parts: string[];
}

/**
 * The screen flags a text when its cues reach flagAt, or when the optional n-gram model (trained on
 * the project's labelled sets) scores it at or above its threshold: the model catches wordings the
 * cue list has never met, the cues catch what the training sets never said.
 */
export function createDangerScreen(rules: DangerScreenRules, toSimplified: ToSimplified = (s) => s, model?: NgramModel): DangerScreen {
  const norm = (s: string) => cleanText(toSimplified(s));
  const ignore = [...new Set(rules.ignore.map(norm))].sort((a, b) => b.length - a.length);
  const terms: CompiledTerm[] = rules.cues.flatMap((c, cue) => c.terms.map((t) => ({ cue, display: t, parts: norm(t).split('…').filter(Boolean) })));

  /** Each part in order, the next starting within maxGap characters of the previous end, in one sentence. */
  const found = (text: string, parts: string[]): boolean => {
    let from = text.indexOf(parts[0]!);
    while (from >= 0) {
      let end = from + parts[0]!.length;
      let ok = true;
      for (let p = 1; p < parts.length && ok; p++) {
        const at = text.indexOf(parts[p]!, end);
        if (at < 0 || at - end > rules.maxGap || SENTENCE_END.test(text.slice(end, at))) ok = false;
        else end = at + parts[p]!.length;
      }
      if (ok) return true;
      from = text.indexOf(parts[0]!, from + 1);
    }
    return false;
  };

  return {
    screen(raw: string): ScreenResult {
      let text = norm(raw);
      // Blank out idioms and farm work that only look dangerous (气死了, 杀年猪); same length keeps the gaps honest.
      for (const phrase of ignore) if (text.includes(phrase)) text = text.split(phrase).join('　'.repeat(phrase.length));
      const hits = terms.filter((t) => found(text, t.parts));
      // A term inside a longer term of the same cue that also matched (流血 in 一直在流血) counts once.
      const counted = hits.filter((t) => !hits.some((o) => o !== t && o.cue === t.cue && o.parts.join('') !== t.parts.join('') && o.parts.join('').includes(t.parts.join(''))));
      let score = 0;
      const cues = counted.map((t) => {
        const cue = rules.cues[t.cue]!;
        score += cue.weight;
        return `${cue.id}: ${t.display}`;
      });
      const implied = new Set(counted.flatMap((t) => rules.cues[t.cue]!.needs));
      const impliedNeeds = NEEDS.filter((n) => implied.has(n));
      if (!model) return { possibleEmergency: score >= rules.flagAt, cues, score, impliedNeeds };
      const m = scoreGrams(model, gramsOf(raw, norm));
      const flagged = m >= model.threshold;
      if (flagged) cues.push(`model: ${m.toFixed(1)} ≥ ${model.threshold.toFixed(1)}`);
      return { possibleEmergency: score >= rules.flagAt || flagged, cues, score, impliedNeeds, model: { score: m, threshold: model.threshold, flagged } };
    },
  };
}
