// The classifier's administrator-editable data (data/lexicon/: a base file and one file per need):
// its shape, a strict validator whose errors name the part file and the rule id, and the merge.
// Everything an administrator may want to change lives in the lexicon, not in code, so a bad edit
// must fail loudly at load time with the exact place of the mistake.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { CHANNELS, NEEDS, URGENCIES } from '../model.js';

/**
 * Which negation cues can suppress a rule's matches: "facts" (没有/不是… before, 倒是没有 after)
 * for harms and symptoms, "wants" (不需要/不想…) for services, "all" for both, "none" for
 * grievances where a negation is the complaint itself (不给工资).
 */
export const NEGATION_MODES = ['all', 'facts', 'wants', 'none'] as const;
export type NegationMode = (typeof NEGATION_MODES)[number];

// The schema is built on first use, not when the module loads: a deployed intake function loads a
// prebuilt classifier and never validates the lexicon at run time (npm test and the bundling do),
// so it should not pay for building some hundred schema objects at every cold start (about 10 ms).
function buildLexiconSchema() {
  const need = z.enum(NEEDS);
  const urgency = z.enum(URGENCIES);
  const term = z.string().check(z.trim(), z.minLength(1, 'a term must not be empty'));
  const terms = z.array(term);
  const ruleId = z.string().check(z.regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'rule id must look like "group.name" (lower case, digits, _)'));
  /** A reference to rule ids in a combo: an exact id or a prefix ending in ".*". */
  const ruleRef = z.string().check(z.regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?$/, 'expected a rule id or "prefix.*"'));

  const settingsSchema = z.strictObject({
    /** A need is kept when the weights of its fired rules (and priors) add up to at least this. */
    needThreshold: z._default(z.number().check(z.positive()), 1),
    /** Most characters a "…" wildcard in a term may stand for. */
    wildcardMaxGap: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(20)), 4),
    /** Most characters allowed between a negation cue and the term it negates. */
    negationMaxGap: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(20)), 4),
    /** Most characters from a past marker (以前…) to the term it puts in the past. */
    pastMaxDistance: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(200)), 40),
    /** Weight a channel prior (categoryHint) adds to each of its needs. */
    priorBoost: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.5),
  });

  const sequenceSchema = z.strictObject({
    /** Word sets in order: a match is one word of each set, each within maxGap characters of the previous, in one clause. */
    parts: z.array(terms.check(z.minLength(1))).check(z.minLength(2)),
    maxGap: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(20)), 3),
    /**
     * When set, the only characters allowed between two words of the sequence (打了我, 打在她脸上):
     * keeps a one-character word from chaining across an unrelated word (打糕俺, 砸伤了腰).
     */
    gapChars: z.optional(z.string().check(z.minLength(1))),
    note: z.optional(z.string()),
  });

  const ruleSchema = z
    .strictObject({
      id: ruleId,
      /** Needs this rule is evidence for; empty for cue rules that only feed combos. */
      needs: z._default(z.array(need), []),
      weight: z._default(z.number().check(z.positive(), z.maximum(10)), 1),
      /** Urgency this rule sets when it fires (the highest one wins). */
      urgency: z.optional(urgency),
      negation: z._default(z.enum(NEGATION_MODES), 'all'),
      /** True when a past marker (以前…) or a resolution (已经离婚…) removes the match. */
      past: z._default(z.boolean(), false),
      /**
       * True for events that are an emergency only while they happen (踹门, 砸窗户): after a habit
       * marker in the same clause (经常, 总是, 一喝酒就), with no present marker between, the match
       * still gives its needs but not its urgency.
       */
      happeningNow: z._default(z.boolean(), false),
      /**
       * For a rule with no needs: its matches cancel shorter terms they overlap, like neutral phrases
       * (a sequence 怕…他…想不开 cancels 想不开), and give nothing themselves.
       */
      cancels: z._default(z.boolean(), false),
      note: z.optional(z.string()),
      terms: z._default(terms, []),
      sequences: z._default(z.array(sequenceSchema), []),
    })
    .check(z.refine((r) => r.terms.length > 0 || r.sequences.length > 0, { message: 'a rule needs at least one term or sequence', path: ['terms'] }));

  const comboSchema = z.strictObject({
    id: ruleId,
    /** Each inner list is "any of these rules"; every list must have a match. */
    all: z.array(z.array(ruleRef).check(z.minLength(1))).check(z.minLength(1)),
    /** The combo does not fire when any of these rules has a match anywhere in the text. */
    unless: z._default(z.array(ruleRef), []),
    /**
     * Time anchoring: a match of the first group counts only when, in its sentence, the nearest
     * marker before it (else the nearest after it) belongs to the second group rather than to
     * these rules (前天被打了，今天他道歉了: the violence belongs to 前天, not to 今天).
     */
    unlessCloser: z._default(z.array(ruleRef), []),
    /** "clause" or "sentence": all parts in one clause / sentence; "text": anywhere in the text. */
    scope: z._default(z.enum(['clause', 'sentence', 'text']), 'sentence'),
    needs: z._default(z.array(need), []),
    urgency: z.optional(urgency),
    note: z.optional(z.string()),
  });

  const variantSchema = z.strictObject({
    of: term,
    forms: terms.check(z.minLength(1)),
    note: z.optional(z.string()),
  });

  const negationSchema = z.strictObject({
    /** Cues that deny a fact: 没有 家暴. Suppress rules with negation "all" or "facts". */
    facts: terms,
    /** Cues that decline a service: 不需要 救助. Suppress rules with negation "all" or "wants". */
    wants: terms,
    /** Cues after the term at the end of a clause: 家暴 倒是没有。 Suppress rules with negation "all" or "facts". */
    after: terms,
    /** Questions that contain a negation but deny nothing: 有没有, 能不能. */
    questionForms: terms,
    /** Characters allowed between a negation cue and its term (被, 受到, 人, 过…). */
    gapChars: z.string(),
    /** Extra characters allowed after a "wants" cue only (不用 申请 救助). */
    wantsGapChars: z._default(z.string(), ''),
  });

  const pastSchema = z.strictObject({
    /** Markers that put what follows in the past: 以前, 曾经, 多年前. */
    markers: terms,
    /** Markers of the present that end a past marker's reach: 现在, 又, 最近. */
    present: terms,
    /** Phrases saying the matter is over: 已经离婚, 现在不打了. */
    resolution: terms,
    /** Markers of a habit (经常, 总是, 一喝酒就): see a rule's happeningNow. */
    habitual: z._default(terms, []),
  });

  const priorSchema = z.strictObject({
    needs: z.array(need).check(z.minLength(1)),
    /** Add the needs when the text itself has no need at all (default true). */
    whenSilent: z._default(z.boolean(), true),
    aliases: z._default(terms, []),
    note: z.optional(z.string()),
  });

  const divisionCode = z.string().check(z.regex(/^\d{6}$/, 'expected a six-digit GB/T 2260 code'));

  const divisionsSchema = z.strictObject({
    /** Extra names for a division: 延边州 → 222400, 前郭县 → 220721. */
    aliases: z.record(z.string().check(z.minLength(1)), divisionCode),
    /** Jurisdictions without a GB/T code: name → the explanation shown (长白山管委会). */
    noCode: z.record(z.string().check(z.minLength(1)), z.string().check(z.minLength(1))),
    /** Names that never give a division on their own (the province's short name 吉林). */
    ignore: terms,
    /** Short names that are also ordinary words (榆树, 丰满): used only with a suffix or a place cue. */
    requireContext: terms,
    /**
     * District names found in other provinces too (朝阳区, 铁西区): taken as the Jilin district unless
     * a place outside Jilin (outsideBefore) is named right before them (北京朝阳区, 沈阳市铁西区).
     */
    sharedNames: terms,
    /** Places outside Jilin (provinces, cities) that, right before a shared name, make it not Jilin's. */
    outsideBefore: terms,
    /** Words right before a name that mark where she lives: 住, 家在. */
    residenceBefore: terms,
    /** Words right after a name that mark where she lives: 人, 这边, 村. */
    residenceAfter: terms,
    /** Words right before a name that mark some other place: 去, 到. */
    elsewhereBefore: terms,
    /** Words shortly after a name that mark some other place: 住院, 医院. */
    elsewhereAfter: terms,
    /** Words shortly after a name that mark the husband's workplace: 打工, 务工. Such a name is ignored. */
    workAfter: terms,
    /** Suffixes that make a bare short name a place name: 市, 县, 镇. */
    suffixes: terms,
  });

  return z
    .strictObject({
      version: z.string().check(z.minLength(1)),
      description: z.optional(z.string()),
      settings: settingsSchema,
      variants: z._default(z.array(variantSchema), []),
      rules: z.array(ruleSchema).check(z.minLength(1)),
      combos: z._default(z.array(comboSchema), []),
      /** Phrases that contain a term but mean something else (打电话, 打工, 哭诉): they cancel it. */
      neutral: terms,
      negation: negationSchema,
      past: pastSchema,
      /** categoryHint value (12348 consultType or operator category) → needs it suggests. */
      categoryPriors: z.record(z.string().check(z.minLength(1)), priorSchema),
      /** Channel → needs it suggests (the 12348 line is the legal-aid hotline). Same effect as a categoryHint. */
      channelPriors: z._default(z.partialRecord(z.enum(CHANNELS), z.omit(priorSchema, { aliases: true })), {}),
      divisions: divisionsSchema,
    })
    .check(
      z.superRefine((lex, ctx) => {
        // Cross references that a plain schema cannot see: unique ids and combos naming real rules.
        const ids = new Set<string>();
        lex.rules.forEach((r, i) => {
          if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${r.id}"` });
          ids.add(r.id);
        });
        const known = (ref: string): boolean => (ref.endsWith('.*') ? [...ids].some((id) => id.startsWith(ref.slice(0, -1))) : ids.has(ref));
        const comboIds = new Set<string>();
        lex.combos.forEach((c, i) => {
          if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['combos', i, 'id'], message: `combo id "${c.id}" is also a rule id` });
          if (comboIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['combos', i, 'id'], message: `duplicate combo id "${c.id}"` });
          comboIds.add(c.id);
          c.all.forEach((group, g) =>
            group.forEach((ref, k) => {
              if (!known(ref)) ctx.addIssue({ code: 'custom', path: ['combos', i, 'all', g, k], message: `unknown rule "${ref}"` });
            }),
          );
          c.unless.forEach((ref, k) => {
            if (!known(ref)) ctx.addIssue({ code: 'custom', path: ['combos', i, 'unless', k], message: `unknown rule "${ref}"` });
          });
          c.unlessCloser.forEach((ref, k) => {
            if (!known(ref)) ctx.addIssue({ code: 'custom', path: ['combos', i, 'unlessCloser', k], message: `unknown rule "${ref}"` });
          });
          if (c.unlessCloser.length > 0 && c.all.length !== 2) {
            ctx.addIssue({ code: 'custom', path: ['combos', i, 'unlessCloser'], message: 'unlessCloser needs exactly two groups in "all"' });
          }
        });
      }),
    );
}

let lexiconSchema: ReturnType<typeof buildLexiconSchema> | undefined;

export type Lexicon = z.output<ReturnType<typeof buildLexiconSchema>>;
export type LexiconRule = Lexicon['rules'][number];
export type LexiconCombo = Lexicon['combos'][number];

/** Where each rule and combo of a merged lexicon came from (the part file), by index. */
export interface LexiconSources {
  rules: readonly string[];
  combos: readonly string[];
}

/**
 * Formats a zod path for the person editing the lexicon: a rule or combo by its id and its part
 * file (`lexicon/legal-aid.json rule "legal.marriage" .terms[3]`), anything else by its path.
 */
function formatPath(path: readonly PropertyKey[], json: unknown, sources?: LexiconSources): string {
  const [head, index, ...rest] = path;
  if ((head === 'rules' || head === 'combos') && typeof index === 'number') {
    const item = (json as Record<string, { id?: unknown }[]> | null)?.[head]?.[index];
    const id = typeof item?.id === 'string' ? `"${item.id}"` : `#${index + 1}`;
    const from = sources?.[head][index];
    let out = `${from ? `${from} ` : 'lexicon '}${head === 'rules' ? 'rule' : 'combo'} ${id}`;
    for (const p of rest) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
    return out;
  }
  let out = 'lexicon';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** Validates parsed JSON; throws one Error listing every problem, rules and combos by id (and part file). */
export function parseLexicon(json: unknown, sources?: LexiconSources): Lexicon {
  lexiconSchema ??= buildLexiconSchema();
  const result = lexiconSchema.safeParse(json);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 20).map((i) => `${formatPath(i.path, json, sources)}: ${i.message}`);
  const more = result.error.issues.length > 20 ? `\n(and ${result.error.issues.length - 20} more)` : '';
  throw new Error(`invalid lexicon:\n${lines.join('\n')}${more}`);
}

/** A lexicon split by need: the base file (settings, variants, negation, …, and `parts`) and one file per part. */
export interface LexiconFiles {
  base: Record<string, unknown>;
  /** Part name → its content `{note?, rules, combos}`, in the order the base's `parts` lists them. */
  parts: ReadonlyMap<string, { rules?: unknown[]; combos?: unknown[] }>;
}

/**
 * Merges the parts into one lexicon (rules and combos in the order of `parts`) and validates it; an
 * error names the part file and the rule's id. Pure: the caller reads the files.
 */
export function mergeLexicon(files: LexiconFiles): Lexicon {
  const { parts: order, ...base } = files.base as { parts?: unknown };
  if (!Array.isArray(order) || order.length === 0 || !order.every((p) => typeof p === 'string')) throw new Error('invalid lexicon:\nlexicon/lexicon.json parts: a list of part names is required');
  const rules: unknown[] = [];
  const combos: unknown[] = [];
  const sources = { rules: [] as string[], combos: [] as string[] };
  for (const name of order as string[]) {
    const part = files.parts.get(name);
    if (!part) throw new Error(`invalid lexicon:\nlexicon/lexicon.json parts: no file lexicon/${name}.json`);
    for (const r of part.rules ?? []) {
      rules.push(r);
      sources.rules.push(`lexicon/${name}.json`);
    }
    for (const c of part.combos ?? []) {
      combos.push(c);
      sources.combos.push(`lexicon/${name}.json`);
    }
  }
  return parseLexicon({ ...base, rules, combos }, sources);
}
