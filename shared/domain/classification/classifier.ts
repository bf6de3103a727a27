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
import { comboHolds, combosByFirstRule } from './combos.js';
import { compileLexicon, NEUTRAL, TERM, type CompiledLexicon, type PriorEntry } from './compile.js';
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

/** A reason until it is written out: a rule's index, a combo's as -1 - index, or words. */
type Reason = number | string;

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

  // The needs of each rule and combo by index in NEEDS (looked up by name, each match cost a keyed load).
  const ruleNeeds = rules.map((r) => r.needs.map((n) => NEED_INDEX[n]));
  const comboNeeds = combos.map((c) => c.needs.map((n) => NEED_INDEX[n]));

  // Per text, reused between calls (classify is synchronous; cleared at the start of each text):
  // the live matches of each rule and which rules have any, and the happeningNow rules with a
  // match that is not a habit (only these raise urgency). The helpers below are made once, not a
  // closure set per text: a text's state is in these variables, so a text allocates little beyond
  // its result.
  const live: (Span[] | undefined)[] = rules.map(() => undefined);
  const happening = new Uint8Array(rules.length);
  const ruleTerms: (string | undefined)[] = rules.map(() => undefined);
  const liveRules: number[] = [];
  // Only a combo with a live rule in its first group can hold.
  const combosOfRule = combosByFirstRule(combos, rules.length);
  const comboCandidate = new Uint8Array(combos.length);
  // Need scores (indexed like NEEDS), the needs some negation denied, and why each need scored:
  // reasons are tokens (a rule's index, a combo's as -1 - index, or a prior's words) written out
  // only for the needs and urgency that end up in the result (a weak hint's wording is never
  // written if its need does not pass).
  const score = new Float64Array(NEEDS.length);
  const negatedNeed = new Uint8Array(NEEDS.length);
  const reasons: Reason[][] = NEEDS.map(() => []);
  const urgencyWhy: Reason[] = [];
  let urgency: Urgency = 'routine';
  let norm: NormalizedText;
  let suppressed: string[] | undefined;

  /** Which rule matches survive negation, past and resolution. */
  function consider(sc: Scan, m: Span): void {
    if (m.kind !== TERM || m.dropped) return;
    const rule = rules[m.rule]!;
    const neg = negatedBy(norm, sc, m, rule.negation);
    const past = neg ? null : rule.past ? pastBy(norm, sc, m) : null;
    if (neg || past) {
      // The pattern, not the raw span: a wildcard gap may hold a name.
      (suppressed ??= []).push(`${rule.id}: ${m.display} (${neg ? `negated: ${neg}` : past})`);
      if (neg) for (const n of ruleNeeds[m.rule]!) negatedNeed[n] = 1;
      return;
    }
    if (rule.happeningNow) {
      if (habitualAt(norm, sc, m)) (suppressed ??= []).push(`${rule.id}: ${m.display} (a habit: needs kept, urgency not raised)`);
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
  }

  /** The distinct wordings of a rule's live matches, joined by 、 (made once per rule and text). */
  function termsOf(r: number): string {
    let text = ruleTerms[r];
    if (text !== undefined) return text;
    const matches = live[r]!;
    text = matches[0]!.display;
    next: for (let i = 1; i < matches.length; i++) {
      const display = matches[i]!.display;
      for (let j = 0; j < i; j++) if (matches[j]!.display === display) continue next;
      text += '、' + display;
    }
    ruleTerms[r] = text;
    return text;
  }

  function reasonText(why: Reason): string {
    if (typeof why === 'string') return why;
    if (why >= 0) return rules[why]!.id + ': ' + termsOf(why);
    const c = combos[-1 - why]!;
    let text = c.id + ' (';
    for (let g = 0; g < c.all.length; g++) {
      if (g > 0) text += ' + ';
      let first = true;
      for (const r of c.all[g]!) {
        if (live[r] === undefined) continue;
        text += (first ? '' : '/') + termsOf(r);
        first = false;
      }
    }
    return text + ')';
  }

  function note(n: number, why: Reason): void {
    const list = reasons[n]!;
    if (!list.includes(why)) list.push(why);
  }

  function raise(u: Urgency | undefined, why: Reason): void {
    if (!u || u === 'routine') return;
    if (URGENCY_RANK[u] > URGENCY_RANK[urgency]) {
      urgency = u;
      urgencyWhy.length = 0;
    }
    if (u === urgency && !urgencyWhy.includes(why)) urgencyWhy.push(why);
  }

  /** A prior (categoryHint, channel) strengthens weak evidence, or speaks when the text names no need. */
  function applyPrior(prior: PriorEntry | undefined, textIsSilent: boolean): void {
    if (!prior) return;
    const threshold = settings.needThreshold;
    for (const need of prior.needs) {
      const n = NEED_INDEX[need];
      const v = score[n]!;
      if (v >= threshold) continue;
      if (v > 0 && v + settings.priorBoost >= threshold) {
        score[n] = v + settings.priorBoost;
        note(n, `prior: ${prior.key} (+${settings.priorBoost})`);
      } else if (textIsSilent && prior.whenSilent && negatedNeed[n] === 0) {
        score[n] = threshold;
        note(n, `prior: ${prior.key} (the text names no need)`);
      }
    }
  }

  function classify(input: ClassificationInput): Classification {
    for (const r of liveRules) {
      live[r] = undefined;
      happening[r] = 0;
      ruleTerms[r] = undefined;
    }
    liveRules.length = 0;
    score.fill(0);
    negatedNeed.fill(0);
    for (const list of reasons) if (list.length > 0) list.length = 0;
    urgencyWhy.length = 0;
    urgency = 'routine';
    suppressed = undefined;
    norm = normalize(typeof input.text === 'string' ? input.text : '');
    const sc = scan(norm);

    for (const m of sc.spans) consider(sc, m);
    for (const m of sc.cues) consider(sc, m);

    // Rules → need scores and urgency.
    for (const r of liveRules) {
      const rule = rules[r]!;
      if (rule.needs.length === 0 && !rule.urgency) continue; // a cue: only combos read it
      // Each separate hint adds the rule's weight, so two different weak hints make a need.
      const weight = rule.weight * Math.min(separateHints(live[r]!), MAX_TERMS_COUNTED);
      for (const n of ruleNeeds[r]!) {
        score[n] = score[n]! + weight;
        note(n, r);
      }
      if (!rule.happeningNow || happening[r] === 1) raise(rule.urgency, r);
    }
    for (const r of liveRules) for (const ci of combosOfRule[r]!) comboCandidate[ci] = 1;
    for (let ci = 0; ci < combos.length; ci++) {
      if (comboCandidate[ci] === 0) continue;
      comboCandidate[ci] = 0;
      const c = combos[ci]!;
      if (!comboHolds(c, live, norm)) continue;
      for (const n of comboNeeds[ci]!) {
        score[n] = Math.max(score[n]!, settings.needThreshold);
        note(n, -1 - ci);
      }
      raise(c.urgency, -1 - ci);
    }

    const threshold = settings.needThreshold;
    let textIsSilent = true;
    for (let n = 0; n < NEEDS.length; n++) if (score[n]! >= threshold) textIsSilent = false;
    applyPrior(input.categoryHint ? lex.lookupPrior(input.categoryHint) : undefined, textIsSilent);
    applyPrior(lex.channelPrior(input.channel), textIsSilent);

    const needs: Need[] = [];
    const explanationNeeds: ClassificationExplanation['needs'] = {};
    let safety = false;
    for (let n = 0; n < NEEDS.length; n++) {
      if (score[n]! < threshold) continue;
      const need = NEEDS[n]!;
      needs.push(need);
      if (need === 'safety_protection') safety = true;
      explanationNeeds[need] = reasons[n]!.map(reasonText);
    }
    const urgencyText = urgencyWhy.map(reasonText);
    if (safety && urgency === 'routine') {
      urgency = 'urgent';
      urgencyText.push('a safety_protection need is never routine');
    }

    const division = resolveDivision(input, norm, sc);
    const explanation: ClassificationExplanation = { needs: explanationNeeds, urgency: urgencyText, division: division.explanation };
    if (suppressed !== undefined) explanation.suppressed = suppressed;
    return { needs, urgency, divisionCode: division.code, explanation };
  }

  function resolveDivision(input: ClassificationInput, norm: NormalizedText, sc: Scan): { code: string | null; explanation: string } {
    const structured = typeof input.divisionCode === 'string' ? input.divisionCode.trim() : '';
    const known = structured ? divisions.get(structured) : undefined;
    if (known && known.level !== 'province') {
      return { code: known.code, explanation: `structured field: ${known.code} ${known.name}` };
    }
    const blockers = sc.divisions.length > 0 ? sc.spans.filter((s) => s.kind === NEUTRAL) : [];
    const fromText = resolveDivisionFromText(sc.divisions, norm, divisionContext, blockers);
    if (!structured) return fromText;
    const why = known ? `structured field ${structured} names only the province` : `structured field ${structured} is not a known division code`;
    return { code: fromText.code, explanation: `${why}; ${fromText.explanation}` };
  }

  return { classify };
}
