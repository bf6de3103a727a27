// Combos: two facts together (treatment + cannot pay) add needs and urgency. Does a combo hold
// over the live matches of a text?
import type { CompiledCombo } from './compile.js';
import type { NormalizedText } from './normalize.js';
import type { Span } from './spans.js';

/** The live matches of a text by rule index (undefined: the rule has none). */
export type LiveMatches = readonly (readonly Span[] | undefined)[];

/**
 * Time anchoring (unlessCloser): some match of the first group whose nearest marker in the
 * combo's unit — before it, else after it — is a match of the second group, not of the rules
 * that name another time.
 */
function anchored(c: CompiledCombo, live: LiveMatches, norm: NormalizedText): boolean {
  const unit = c.scope === 'clause' ? norm.clause : c.scope === 'sentence' ? norm.sentence : null;
  const markers: { start: number; ours: boolean }[] = [];
  for (const r of c.all[1]!) for (const k of live[r] ?? []) markers.push({ start: k.start, ours: true });
  for (const r of c.unlessCloser) for (const k of live[r] ?? []) markers.push({ start: k.start, ours: false });
  for (const r of c.all[0]!) {
    for (const m of live[r] ?? []) {
      let before: { start: number; ours: boolean } | undefined;
      let after: { start: number; ours: boolean } | undefined;
      for (const k of markers) {
        if (unit && unit[k.start] !== unit[m.start]) continue;
        if (k.start < m.start) {
          if (!before || k.start > before.start) before = k;
        } else if (!after || k.start < after.start) after = k;
      }
      if ((before ?? after)?.ours) return true;
    }
  }
  return false;
}

/** True when some rule of the list has a live match. */
function anyLive(rules: readonly number[], live: LiveMatches): boolean {
  for (const r of rules) if (live[r] !== undefined) return true;
  return false;
}

/** True when some live match of a rule in `group` lies in unit u. */
function inUnit(group: readonly number[], live: LiveMatches, unit: Int32Array, u: number): boolean {
  for (const r of group) for (const m of live[r] ?? []) if (unit[m.start] === u) return true;
  return false;
}

/** A combo holds when every group has a live match, in one clause/sentence unless scope is "text", and no rule of its `unless` has one. */
export function comboHolds(c: CompiledCombo, live: LiveMatches, norm: NormalizedText): boolean {
  for (const group of c.all) if (!anyLive(group, live)) return false;
  if (anyLive(c.unless, live)) return false;
  if (c.unlessCloser.length > 0) return anchored(c, live, norm);
  if (c.scope === 'text') return true;
  const unit = c.scope === 'clause' ? norm.clause : norm.sentence;
  // A unit of a first-group match that every other group also has a match in.
  for (const r of c.all[0]!) {
    for (const m of live[r] ?? []) {
      const u = unit[m.start]!;
      let all = true;
      for (let g = 1; g < c.all.length && all; g++) all = inUnit(c.all[g]!, live, unit, u);
      if (all) return true;
    }
  }
  return false;
}

/**
 * The combos worth checking for a text: those with a rule of their first group among the live
 * rules (most combos have none), in lexicon order. `byFirstRule[r]` lists the combos whose first
 * group has rule r.
 */
export function combosByFirstRule(combos: readonly CompiledCombo[], rules: number): number[][] {
  const byFirstRule: number[][] = Array.from({ length: rules }, () => []);
  combos.forEach((c, i) => {
    for (const r of new Set(c.all[0])) byFirstRule[r]!.push(i);
  });
  return byFirstRule;
}
