// The intake classifier: needs, urgency and division from free text, driven entirely by the
// lexicon. Pure: all data comes in through createClassifier, nothing is read or written.
//
// How one text is classified:
//  1. normalise (Traditional → Simplified, half-width, lower case) and mark clause/sentence ends;
//  2. one Aho–Corasick pass finds every term, cue and division name;
//  3. sequence rules chain their words (拿 … 菜刀 … 砍); overlapping terms: the longest reading
//     wins (打电话 cancels 打, 已经离婚 cancels 离婚);
//  4. a term match may be suppressed: negated (没有 家暴), in the past (以前 被打过) or resolved
//     (…现在已经离婚多年);
//  5. rules with a surviving match fire; their weights per need add up; combos (two facts
//     together, e.g. treatment + cannot pay) add needs and urgency; priors help weak evidence;
//  6. urgency is the highest one set; a safety_protection need is never routine;
//  7. the division: a valid structured code wins, else the best name in the text.
//
// Steps 2–3 are scanner.ts, step 4 modifiers.ts, the combos of step 5 combos.ts; this module
// weighs the evidence (5–7).
import type { DivisionIndex } from '../divisions/divisions.js';
import { NEEDS, type Need, type Urgency } from '../model.js';
import { comboHolds } from './combos.js';
import { compileLexicon, NEUTRAL, TERM, type CompiledLexicon } from './compile.js';
import { contextLists, resolveDivisionFromText } from './division-finder.js';
import type { Lexicon } from './lexicon.js';
import { createModifiers } from './modifiers.js';
import { createNormalizer, type NormalizedText } from './normalize.js';
import { createScanner } from './scanner.js';
import { sharedToSimplified, type ToSimplified } from './simplify.js';
import { separateHints, type Scan, type Span } from './spans.js';
import type { Classification, ClassificationExplanation, ClassificationInput, Classifier } from './types.js';

export interface ClassifierOptions {
  /** Traditional → Simplified conversion; defaults to the process-wide opencc-based one. */
  toSimplified?: ToSimplified;
}

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const NEED_INDEX = Object.fromEntries(NEEDS.map((n, i) => [n, i])) as Record<Need, number>;
/** Distinct terms of one rule counted towards a need (beyond that, more of the same adds nothing). */
const MAX_TERMS_COUNTED = 3;

export function createClassifier(lexicon: Lexicon, divisions: DivisionIndex, options: ClassifierOptions = {}): Classifier {
  const toSimplified = options.toSimplified ?? sharedToSimplified();
  return classifierOf(compileLexicon(lexicon, divisions, toSimplified), divisions, toSimplified);
}

/** The classifier over a compiled lexicon (compiled now, or loaded prebuilt: prebuilt.ts). */
export function classifierOf(lex: CompiledLexicon, divisions: DivisionIndex, toSimplified: ToSimplified): Classifier {
  const normalize = createNormalizer(toSimplified);
  const { rules, combos, settings } = lex;
  const scan = createScanner(lex);
  const { negatedBy, pastBy, habitualAt } = createModifiers(lex);
  const divisionContext = contextLists(lex.divisionContext);

  // Per text, reused between calls (classify is synchronous; cleared at the start of each text):
  // the live matches of each rule and which rules have any, and the happeningNow rules with a
  // match that is not a habit (only these raise urgency).
  const live: (Span[] | undefined)[] = rules.map(() => undefined);
  const happening = new Uint8Array(rules.length);
  const liveRules: number[] = [];

  function classify(input: ClassificationInput): Classification {
    for (const r of liveRules) {
      live[r] = undefined;
      happening[r] = 0;
    }
    liveRules.length = 0;
    const norm = normalize(typeof input.text === 'string' ? input.text : '');
    const sc = scan(norm);

    // Which rule matches survive negation, past and resolution.
    const suppressed: string[] = [];
    const negatedNeeds = new Set<Need>();
    const consider = (m: Span): void => {
      if (m.kind !== TERM || m.dropped) return;
      const rule = rules[m.rule]!;
      const neg = negatedBy(norm, sc, m, rule.negation);
      const past = neg ? null : rule.past ? pastBy(norm, sc, m) : null;
      if (neg || past) {
        // The pattern, not the raw span: a wildcard gap may hold a name.
        suppressed.push(`${rule.id}: ${m.display} (${neg ? `negated: ${neg}` : past})`);
        if (neg) for (const n of rule.needs) negatedNeeds.add(n);
        return;
      }
      if (rule.happeningNow) {
        if (habitualAt(norm, sc, m)) suppressed.push(`${rule.id}: ${m.display} (a habit: needs kept, urgency not raised)`);
        else happening[m.rule] = 1;
      }
      const list = live[m.rule];
      if (list) list.push(m);
      else {
        live[m.rule] = [m];
        // Kept in rule order (a handful of rules: an insertion costs less than a sort).
        let i = liveRules.length;
        liveRules.push(m.rule);
        for (; i > 0 && liveRules[i - 1]! > m.rule; i--) liveRules[i] = liveRules[i - 1]!;
        liveRules[i] = m.rule;
      }
    };
    for (const m of sc.spans) consider(m);
    for (const m of sc.cues) consider(m);

    // Rules → need scores (indexed like NEEDS) and urgency.
    const score = new Float64Array(NEEDS.length);
    const reasons: (string[] | undefined)[] = [];
    const note = (n: number, why: string): void => {
      const list = (reasons[n] ??= []);
      if (!list.includes(why)) list.push(why);
    };
    let urgency: Urgency = 'routine';
    const urgencyWhy: string[] = [];
    const raise = (u: Urgency | undefined, why: string): void => {
      if (!u || u === 'routine') return;
      if (URGENCY_RANK[u] > URGENCY_RANK[urgency]) {
        urgency = u;
        urgencyWhy.length = 0;
      }
      if (u === urgency && !urgencyWhy.includes(why)) urgencyWhy.push(why);
    };
    const termsOf = (r: number): string => {
      const shown: string[] = [];
      for (const m of live[r] ?? []) if (!shown.includes(m.display)) shown.push(m.display);
      return shown.join('、');
    };
    for (const r of liveRules) {
      const rule = rules[r]!;
      if (rule.needs.length === 0 && !rule.urgency) continue; // a cue: only combos read it
      const why = `${rule.id}: ${termsOf(r)}`;
      // Each separate hint adds the rule's weight, so two different weak hints make a need.
      const weight = rule.weight * Math.min(separateHints(live[r]!), MAX_TERMS_COUNTED);
      for (const need of rule.needs) {
        const n = NEED_INDEX[need];
        score[n] = score[n]! + weight;
        note(n, why);
      }
      if (!rule.happeningNow || happening[r] === 1) raise(rule.urgency, why);
    }
    for (const c of combos) {
      if (!comboHolds(c, live, norm)) continue;
      const why = `${c.id} (${c.all
        .map((g) =>
          g
            .filter((r) => live[r] !== undefined)
            .map(termsOf)
            .join('/'),
        )
        .join(' + ')})`;
      for (const need of c.needs) {
        const n = NEED_INDEX[need];
        score[n] = Math.max(score[n]!, settings.needThreshold);
        note(n, why);
      }
      raise(c.urgency, why);
    }

    // Priors (categoryHint, channel): strengthen weak evidence, or speak when the text names no need.
    const threshold = settings.needThreshold;
    const textIsSilent = !score.some((v) => v >= threshold);
    const hintPrior = input.categoryHint ? lex.lookupPrior(input.categoryHint) : undefined;
    const channelPrior = lex.channelPrior(input.channel);
    for (const prior of [hintPrior, channelPrior]) {
      if (!prior) continue;
      for (const need of prior.needs) {
        const n = NEED_INDEX[need];
        const v = score[n]!;
        if (v >= threshold) continue;
        if (v > 0 && v + settings.priorBoost >= threshold) {
          score[n] = v + settings.priorBoost;
          note(n, `prior: ${prior.key} (+${settings.priorBoost})`);
        } else if (textIsSilent && prior.whenSilent && !negatedNeeds.has(need)) {
          score[n] = threshold;
          note(n, `prior: ${prior.key} (the text names no need)`);
        }
      }
    }

    const needs: Need[] = [];
    const explanationNeeds: ClassificationExplanation['needs'] = {};
    for (let n = 0; n < NEEDS.length; n++) {
      if (score[n]! < threshold) continue;
      needs.push(NEEDS[n]!);
      explanationNeeds[NEEDS[n]!] = reasons[n] ?? [];
    }
    if (needs.includes('safety_protection') && urgency === 'routine') {
      urgency = 'urgent';
      urgencyWhy.push('a safety_protection need is never routine');
    }

    const division = resolveDivision(input, norm, sc);
    const explanation: ClassificationExplanation = { needs: explanationNeeds, urgency: urgencyWhy, division: division.explanation };
    if (suppressed.length > 0) explanation.suppressed = suppressed;
    return { needs, urgency, divisionCode: division.code, explanation };
  }

  function resolveDivision(input: ClassificationInput, norm: NormalizedText, sc: Scan): { code: string | null; explanation: string } {
    const structured = typeof input.divisionCode === 'string' ? input.divisionCode.trim() : '';
    const known = structured ? divisions.get(structured) : undefined;
    if (known && known.level !== 'province') {
      return { code: known.code, explanation: `structured field: ${known.code} ${known.name}` };
    }
    const blockers = sc.spans.filter((s) => s.kind === NEUTRAL);
    const fromText = resolveDivisionFromText(sc.divisions, norm, divisionContext, blockers);
    if (!structured) return fromText;
    const why = known ? `structured field ${structured} names only the province` : `structured field ${structured} is not a known division code`;
    return { code: fromText.code, explanation: `${why}; ${fromText.explanation}` };
  }

  return { classify };
}
