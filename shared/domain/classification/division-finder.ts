// Finds the woman's division in intake text: the names it may appear under (compiled once from
// the division list and the lexicon) and the choice among the names found in one text.
import type { DivisionIndex, DivisionLevel } from '../divisions/divisions.js';
import type { Lexicon } from './lexicon.js';
import type { NormalizedText } from './normalize.js';
import { isBoundary } from './normalize.js';

export type NameKind = 'division' | 'province' | 'noCode' | 'ignore';

/** One name that can stand for a division (or deliberately for none). */
export interface DivisionName {
  kind: NameKind;
  code: string | null;
  /** 3 county level, 2 prefecture, 1 province, 0 none: the most specific wins. */
  rank: number;
  /** The canonical name shown in explanations. */
  label: string;
  reason?: string;
  requireContext: boolean;
  /** A district name shared with other provinces: not Jilin's when a place outside Jilin comes right before it. */
  shared: boolean;
}

export interface DivisionMatch {
  name: DivisionName;
  start: number;
  end: number;
}

export interface DivisionContext {
  suffixes: readonly string[];
  residenceBefore: readonly string[];
  residenceAfter: readonly string[];
  elsewhereBefore: readonly string[];
  elsewhereAfter: readonly string[];
  workAfter: readonly string[];
  outsideBefore: readonly string[];
}

/** Words with the sets of their first and last characters: most positions are ruled out by one lookup, not a test per word. */
export interface WordList {
  words: readonly string[];
  first: ReadonlySet<number>;
  last: ReadonlySet<number>;
}

export type DivisionContextLists = { readonly [K in keyof DivisionContext]: WordList };

/** The context words as word lists, made once per classifier. */
export function contextLists(ctx: DivisionContext): DivisionContextLists {
  const list = (words: readonly string[]): WordList => ({
    words,
    first: new Set(words.map((w) => w.charCodeAt(0))),
    last: new Set(words.map((w) => w.charCodeAt(w.length - 1))),
  });
  return {
    suffixes: list(ctx.suffixes),
    residenceBefore: list(ctx.residenceBefore),
    residenceAfter: list(ctx.residenceAfter),
    elsewhereBefore: list(ctx.elsewhereBefore),
    elsewhereAfter: list(ctx.elsewhereAfter),
    workAfter: list(ctx.workAfter),
    outsideBefore: list(ctx.outsideBefore),
  };
}

const RANK: Record<DivisionLevel, number> = { county: 3, prefecture: 2, province: 1 };
/** How far after a name we look for 打工 / 住院 (characters). */
const WORK_WINDOW = 6;
const ELSEWHERE_WINDOW = 4;
/** Characters that may stand between an outside place and a shared district name (沈阳市铁西区, 北京的朝阳区). */
const OUTSIDE_JOINERS = '市省的区县';
const OUTSIDE_MAX_JOINERS = 2;

/** The place outside Jilin named right before `start` (in its clause), or undefined. */
function outsidePlaceBefore(norm: NormalizedText, list: WordList, start: number): string | undefined {
  const { text, clause } = norm;
  let end = start;
  for (let j = 0; j <= OUTSIDE_MAX_JOINERS; j++) {
    if (end > 0 && list.last.has(text.charCodeAt(end - 1))) {
      for (const w of list.words) if (text.endsWith(w, end) && clause[end - w.length] === clause[start]) return w;
    }
    if (end === 0 || !OUTSIDE_JOINERS.includes(text[end - 1]!)) return undefined;
    end--;
  }
  return undefined;
}

/**
 * All names → what they stand for. Later sources override earlier ones: the division list
 * first (full names, short names, short name + 市/县/区), then the lexicon's aliases,
 * no-code jurisdictions and ignored names.
 */
export function compileDivisionNames(config: Lexicon['divisions'], index: DivisionIndex, normalize: (s: string) => string): Map<string, DivisionName> {
  const names = new Map<string, DivisionName>();
  const put = (raw: string, name: DivisionName): void => {
    const key = normalize(raw);
    if (key) names.set(key, name);
  };
  const forCode = (code: string, label: string): DivisionName => {
    const d = index.get(code);
    if (!d) throw new Error(`lexicon.divisions: unknown division code ${code} (for ${label})`);
    return d.level === 'province'
      ? { kind: 'province', code: null, rank: RANK.province, label: d.name, requireContext: false, shared: false }
      : { kind: 'division', code: d.code, rank: RANK[d.level], label: d.name, requireContext: false, shared: false };
  };

  for (const d of index.all) {
    const name = forCode(d.code, d.name);
    put(d.name, name);
    put(d.shortName, name);
    if (d.level === 'county' && !/[市县区州]$/.test(d.shortName)) {
      for (const suffix of ['市', '县', '区']) put(d.shortName + suffix, name);
    }
  }
  for (const [alias, code] of Object.entries(config.aliases)) put(alias, forCode(code, `alias ${alias}`));
  for (const [label, reason] of Object.entries(config.noCode)) {
    // Between prefecture and county: a county named beside 长白山 is the more specific place.
    put(label, { kind: 'noCode', code: null, rank: 2.5, label, reason, requireContext: false, shared: false });
  }
  for (const word of config.ignore) {
    put(word, { kind: 'ignore', code: null, rank: 0, label: word, requireContext: false, shared: false });
  }
  for (const word of config.requireContext) {
    const name = names.get(normalize(word));
    if (!name) throw new Error(`lexicon.divisions.requireContext: "${word}" is not a known division name`);
    names.set(normalize(word), { ...name, requireContext: true });
  }
  for (const word of config.sharedNames) {
    const name = names.get(normalize(word));
    const prefecture = name?.code ? index.prefectureOf(name.code) : undefined;
    if (!name || !prefecture || prefecture.code === name.code) {
      throw new Error(`lexicon.divisions.sharedNames: "${word}" is not a known county-level name`);
    }
    names.set(normalize(word), { ...name, shared: true });
  }
  return names;
}

interface Candidate {
  match: DivisionMatch;
  residence: boolean;
  elsewhere: boolean;
}

/** Length of the longest of words that ends exactly at `end` (0 when none). */
function longestBefore(text: string, list: WordList, end: number): number {
  if (end === 0 || !list.last.has(text.charCodeAt(end - 1))) return 0;
  let best = 0;
  for (const w of list.words) if (w.length > best && text.endsWith(w, end)) best = w.length;
  return best;
}

function startsWithAny(text: string, list: WordList, at: number): boolean {
  if (at >= text.length || !list.first.has(text.charCodeAt(at))) return false;
  for (const w of list.words) if (text.startsWith(w, at)) return true;
  return false;
}

/** True when one of words starts within `window` characters after `end`, inside the same clause. */
function followedWithin(norm: NormalizedText, words: WordList, end: number, window: number): boolean {
  const { text, clause } = norm;
  const c = clause[end - 1];
  for (let at = end; at <= end + window && at < text.length; at++) {
    if (clause[at] !== c) return false;
    if (startsWithAny(text, words, at)) return true;
  }
  return false;
}

/** Keeps the longest of overlapping names (长白山 over 白山, 丰满区 over 丰满), in order of start. */
function longestOnly(matches: readonly DivisionMatch[], blockers: readonly { start: number; end: number }[]): DivisionMatch[] {
  const longer = (o: { start: number; end: number }, m: DivisionMatch): boolean => o.start < m.end && m.start < o.end && o.end - o.start > m.end - m.start;
  const kept: DivisionMatch[] = [];
  next: for (const m of matches) {
    for (const o of matches) if (o !== m && longer(o, m)) continue next;
    for (const b of blockers) if (longer(b, m)) continue next;
    if (m.name.kind === 'ignore') continue;
    // Insertion by start, after any of the same start (the order the sort kept before).
    let i = kept.length;
    kept.push(m);
    for (; i > 0 && kept[i - 1]!.start > m.start; i--) kept[i] = kept[i - 1]!;
    kept[i] = m;
  }
  return kept;
}

export interface DivisionResult {
  code: string | null;
  explanation: string;
}

/** Chooses the division named in the text: where she lives over other places, then the most specific, then the last. */
export function resolveDivisionFromText(found: readonly DivisionMatch[], norm: NormalizedText, ctx: DivisionContextLists, blockers: readonly { start: number; end: number }[]): DivisionResult {
  const { text } = norm;
  const matches = found.length === 0 ? [] : longestOnly(found, blockers);
  const notes: string[] = [];
  const candidates: Candidate[] = [];
  let previous: Candidate | undefined;

  for (const m of matches) {
    const name = m.name;
    const label = text.slice(m.start, m.end);
    const adjacent = previous !== undefined && previous.match.end === m.start;
    // The longer context word decides: 娘家在 (elsewhere) over 家在 (residence).
    const residenceWord = longestBefore(text, ctx.residenceBefore, m.start);
    const elsewhereWord = longestBefore(text, ctx.elsewhereBefore, m.start);
    const residenceBefore = residenceWord > 0 && residenceWord >= elsewhereWord;
    // "…长岭县的。" (the operator's "she is from") counts like a residence word.
    const residenceAfter = startsWithAny(text, ctx.residenceAfter, m.end) || (text[m.end] === '的' && (m.end + 1 === text.length || isBoundary(text.charCodeAt(m.end + 1))));
    const atEnd = m.end === text.length || isBoundary(text.charCodeAt(m.end));

    const outside = name.shared ? outsidePlaceBefore(norm, ctx.outsideBefore, m.start) : undefined;
    if (outside) {
      notes.push(`ignored ${label}: after ${outside}, the district of that name outside Jilin`);
      continue;
    }
    if (name.requireContext && !(adjacent || residenceBefore || residenceAfter || atEnd || startsWithAny(text, ctx.suffixes, m.end))) {
      notes.push(`ignored ${label}: also an ordinary word, and nothing marks it as a place`);
      continue;
    }
    if (!residenceBefore && followedWithin(norm, ctx.workAfter, m.end, WORK_WINDOW)) {
      notes.push(`ignored ${label}: a workplace (在…打工), not where she lives`);
      continue;
    }
    const candidate: Candidate = {
      match: m,
      residence: residenceBefore || residenceAfter || (adjacent && previous!.residence),
      elsewhere: !residenceBefore && (elsewhereWord > 0 || followedWithin(norm, ctx.elsewhereAfter, m.end, ELSEWHERE_WINDOW)),
    };
    candidates.push(candidate);
    previous = candidate;
  }

  let best: Candidate | undefined;
  const score = (c: Candidate): number => (c.elsewhere ? 0 : 100) + (c.residence ? 10 : 0) + c.match.name.rank;
  for (const c of candidates) if (!best || score(c) >= score(best)) best = c;

  const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (!best) return { code: null, explanation: `no division named in the text${tail}` };
  const name = best.match.name;
  const said = text.slice(best.match.start, best.match.end);
  const how = best.residence ? 'where she lives' : best.elsewhere ? 'another place named' : 'named';
  if (name.kind === 'noCode') return { code: null, explanation: `text: ${said} (${how}) → ${name.label}: ${name.reason}${tail}` };
  if (name.kind === 'province') return { code: null, explanation: `text: ${said} names only the province → null${tail}` };
  return { code: name.code, explanation: `text: ${said} (${how}) → ${name.code} ${name.label}${tail}` };
}
