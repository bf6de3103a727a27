// Scores a classifier against labelled intakes: the figures an administrator checks before
// deploying a lexicon change. Pure: items in, metrics and a readable report out.
import { NEEDS, URGENCIES, type Need, type Urgency } from '../model.js';
import type { Classification } from './types.js';

export interface LabelledIntake {
  id: string;
  text: string;
  needs: readonly Need[];
  urgency: Urgency;
  divisionCode: string | null;
}

export interface EvaluatedItem {
  expected: LabelledIntake;
  got: Classification;
  /** The danger screen's verdict on the same text (when the evaluation ran it). */
  screen?: { possibleEmergency: boolean; cues: string[] };
}

/** The emergency path as a whole: classifier emergency OR screen flag (a person then confirms). */
export interface ScreenMetrics {
  /** Expected emergencies caught by the classifier or the screen. */
  combinedRecall: number | null;
  /** Ids of expected emergencies neither caught. */
  missedByBoth: string[];
  /** Share of non-emergency intakes that the screen sends to review (flagged, not a classifier emergency). */
  reviewRate: number | null;
  reviewed: string[];
  nonEmergencies: number;
}

export interface NeedScore {
  need: Need;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null when undefined (nothing predicted / nothing expected). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Miss {
  item: EvaluatedItem;
  needs: boolean;
  urgency: boolean;
  division: boolean;
}

export interface Metrics {
  count: number;
  perNeed: NeedScore[];
  /** Mean F1 over the needs that occur in the labels or the predictions. */
  macroF1: number | null;
  /** Share of items whose need set is exactly right. */
  exactSetAccuracy: number | null;
  urgencyAccuracy: number | null;
  /** Share of expected emergencies classified as emergency; null when there are none. */
  emergencyRecall: number | null;
  emergencyCount: number;
  divisionAccuracy: number | null;
  /** urgencyConfusion[expected][got] */
  urgencyConfusion: Record<Urgency, Record<Urgency, number>>;
  misses: Miss[];
  /** Present when every item carries a screen result. */
  screen?: ScreenMetrics;
}

function screenMetrics(items: readonly EvaluatedItem[]): ScreenMetrics | undefined {
  if (items.length === 0 || items.some((i) => !i.screen)) return undefined;
  const emergencies = items.filter((i) => i.expected.urgency === 'emergency');
  const others = items.filter((i) => i.expected.urgency !== 'emergency');
  const caught = (i: EvaluatedItem) => i.got.urgency === 'emergency' || i.screen!.possibleEmergency;
  const reviewed = others.filter((i) => i.got.urgency !== 'emergency' && i.screen!.possibleEmergency);
  return {
    combinedRecall: ratio(emergencies.filter(caught).length, emergencies.length),
    missedByBoth: emergencies.filter((i) => !caught(i)).map((i) => i.expected.id),
    reviewRate: ratio(reviewed.length, others.length),
    reviewed: reviewed.map((i) => i.expected.id),
    nonEmergencies: others.length,
  };
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

export function computeMetrics(items: readonly EvaluatedItem[]): Metrics {
  const perNeed: NeedScore[] = NEEDS.map((need) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const { expected, got } of items) {
      const e = expected.needs.includes(need);
      const g = got.needs.includes(need);
      if (e && g) tp++;
      else if (g) fp++;
      else if (e) fn++;
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    // F1 = 2tp / (2tp + fp + fn): defined whenever the need occurs at all, 0 when never right.
    const f1 = ratio(2 * tp, 2 * tp + fp + fn);
    return { need, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
  });
  const f1s = perNeed.map((s) => s.f1).filter((f): f is number => f !== null);
  const macroF1 = f1s.length === 0 ? null : f1s.reduce((a, b) => a + b, 0) / f1s.length;

  const urgencyConfusion = Object.fromEntries(URGENCIES.map((e) => [e, Object.fromEntries(URGENCIES.map((g) => [g, 0]))])) as Record<Urgency, Record<Urgency, number>>;
  let exact = 0;
  let urgencyRight = 0;
  let divisionRight = 0;
  let emergencies = 0;
  let emergenciesFound = 0;
  const misses: Miss[] = [];
  for (const item of items) {
    const { expected, got } = item;
    const needsOk = sameSet(expected.needs, got.needs);
    const urgencyOk = expected.urgency === got.urgency;
    const divisionOk = (expected.divisionCode ?? null) === (got.divisionCode ?? null);
    if (needsOk) exact++;
    if (urgencyOk) urgencyRight++;
    if (divisionOk) divisionRight++;
    urgencyConfusion[expected.urgency][got.urgency]++;
    if (expected.urgency === 'emergency') {
      emergencies++;
      if (got.urgency === 'emergency') emergenciesFound++;
    }
    if (!needsOk || !urgencyOk || !divisionOk) misses.push({ item, needs: !needsOk, urgency: !urgencyOk, division: !divisionOk });
  }
  const n = items.length;
  return {
    count: n,
    perNeed,
    macroF1,
    exactSetAccuracy: ratio(exact, n),
    urgencyAccuracy: ratio(urgencyRight, n),
    emergencyRecall: ratio(emergenciesFound, emergencies),
    emergencyCount: emergencies,
    divisionAccuracy: ratio(divisionRight, n),
    urgencyConfusion,
    misses,
    ...(screenMetrics(items) ? { screen: screenMetrics(items) } : {}),
  };
}

const pct = (x: number | null): string => (x === null ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);
const fmt = (x: number | null): string => (x === null ? ' n/a ' : x.toFixed(3));
const list = (needs: readonly string[]): string => (needs.length === 0 ? '(none)' : needs.join(', '));

/** Plain-text report for administrators: summary figures, per-need table, then every miss with its explanation. */
export function formatReport(m: Metrics, title: string): string {
  const out: string[] = [];
  out.push(`Classifier evaluation: ${title}`, `Intakes: ${m.count}`, '');
  out.push('Need                    precision  recall     F1   (tp/fp/fn)');
  for (const s of m.perNeed) {
    out.push(`${s.need.padEnd(22)}  ${fmt(s.precision)}      ${fmt(s.recall)}  ${fmt(s.f1)}   (${s.truePositives}/${s.falsePositives}/${s.falseNegatives})`);
  }
  out.push('');
  out.push(`Macro-F1 (needs):        ${fmt(m.macroF1)}`);
  out.push(`Exact need-set accuracy: ${pct(m.exactSetAccuracy)}`);
  out.push(`Urgency accuracy:        ${pct(m.urgencyAccuracy)}`);
  out.push(`Emergency recall:        ${pct(m.emergencyRecall)}  (${m.emergencyCount} expected emergencies)`);
  out.push(`Division accuracy:       ${pct(m.divisionAccuracy)}`);
  out.push('', 'Urgency (rows expected, columns got): emergency / urgent / routine');
  for (const e of URGENCIES) {
    const row = m.urgencyConfusion[e];
    out.push(`  ${e.padEnd(9)} ${String(row.emergency).padStart(4)} ${String(row.urgent).padStart(6)} ${String(row.routine).padStart(7)}`);
  }
  if (m.screen) {
    out.push('', 'Emergency path (classifier emergency or danger-screen flag):');
    out.push(`  combined emergency recall: ${pct(m.screen.combinedRecall)}${m.screen.missedByBoth.length ? `  missed by both: ${m.screen.missedByBoth.join(', ')}` : ''}`);
    out.push(
      `  screen review rate:        ${pct(m.screen.reviewRate)}  (${m.screen.reviewed.length} of ${m.screen.nonEmergencies} non-emergencies${m.screen.reviewed.length ? `: ${m.screen.reviewed.join(', ')}` : ''})`,
    );
  }
  out.push('', `Misses: ${m.misses.length}`);
  for (const miss of m.misses) {
    const { expected, got } = miss.item;
    const what = [miss.needs && 'needs', miss.urgency && 'urgency', miss.division && 'division'].filter(Boolean).join(', ');
    out.push('', `--- ${expected.id} (wrong ${what})`, `text:      ${expected.text}`);
    if (miss.needs) out.push(`needs:     expected ${list(expected.needs)} | got ${list(got.needs)}`);
    if (miss.urgency) out.push(`urgency:   expected ${expected.urgency} | got ${got.urgency}`);
    if (miss.division) out.push(`division:  expected ${expected.divisionCode ?? 'null'} | got ${got.divisionCode ?? 'null'}`);
    const e = got.explanation;
    for (const [need, why] of Object.entries(e.needs)) out.push(`  why ${need}: ${why.join('; ')}`);
    out.push(`  why urgency ${got.urgency}: ${e.urgency.length > 0 ? e.urgency.join('; ') : '(default)'}`);
    out.push(`  division: ${e.division}`);
    if (e.suppressed && e.suppressed.length > 0) out.push(`  suppressed: ${e.suppressed.join('; ')}`);
    if (miss.item.screen) out.push(`  screen: ${miss.item.screen.possibleEmergency ? 'FLAGGED' : 'not flagged'}${miss.item.screen.cues.length ? ` (${miss.item.screen.cues.join('; ')})` : ''}`);
  }
  return out.join('\n');
}
