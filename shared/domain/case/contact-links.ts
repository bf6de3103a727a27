// One woman across channels. An intake whose phone number
// matches a ledger entry or earlier cases is linked to them through the keyed hash of the number
// (shared/domain/ledger/person-keys.ts), never the number itself. A second safety-related contact
// within the window is a repeat: marked, told to the operator, raised to at least the configured
// urgency. Pure: the rules come from data/contact-links.json, the matches from a port.
import * as z from 'zod/mini';
import '../validation/messages.js';
import type { Classification } from '../classification/types.js';
import { CHANNELS, NEEDS, URGENCIES, urgencyRank, type Channel, type Urgency } from '../model.js';

export const contactLinkRulesSchema = z.object({
  /** A safety-related contact this many days after an earlier safety-related one is a repeat. */
  repeatWindowDays: z.number().check(z.int(), z.minimum(1), z.maximum(366)),
  /** Needs that make a contact safety-related (an emergency, or a danger review, always does). */
  safetyNeeds: z.array(z.enum(NEEDS)),
  /** The urgency a repeat is raised to at least. */
  repeatUrgency: z.enum(URGENCIES),
  /** How many of her most recent earlier cases are linked (a number shared by many callers stays bounded). */
  maxLinkedCases: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
  /** Channels whose response tells the operator about her earlier cases; never the public web form. */
  tellChannels: z.array(z.enum(CHANNELS)),
});
export type ContactLinkRules = z.infer<typeof contactLinkRulesSchema>;

export function parseContactLinkRules(json: unknown): ContactLinkRules {
  const parsed = contactLinkRulesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`data/contact-links.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  if (parsed.data.tellChannels.includes('web')) throw new Error('data/contact-links.json is malformed: tellChannels: the public web form is never told about earlier cases');
  return parsed.data;
}

/** An earlier case of the same number, as its link item keeps it: no narrative, no number. */
export interface PriorContact {
  caseId: string;
  reference: string;
  channel: Channel;
  createdAt: string;
  urgency: Urgency;
  /** Safety-related when it was created. */
  safety: boolean;
}

/** What the keyed hash of her number found: her ledger entry and her most recent earlier cases (newest first). */
export interface ContactMatch {
  personId?: string;
  prior: PriorContact[];
}

/** Stored on the case (`case.links`). Removed with her personal data at the purge. */
export interface CaseLinks {
  /** Her ledger entry, when her number is on the ledger. */
  personId?: string;
  priorCaseIds: string[];
  /** What an operator of the hotlines is shown (and a duplicate delivery gets back). */
  priorCases: Pick<PriorContact, 'reference' | 'channel' | 'createdAt' | 'safety'>[];
  /** A second safety-related contact within the window: shown to everyone who sees the case. */
  repeat: boolean;
  /** The earlier safety-related case within the window that makes this one a repeat (shown only to who may see that case). */
  repeatOf?: string;
}

/** A contact is safety-related when it is an emergency, asks for a danger review, or has a safety need. */
export function isSafetyRelated(c: Pick<Classification, 'needs' | 'urgency'>, reviewRequested: boolean, rules: Pick<ContactLinkRules, 'safetyNeeds'>): boolean {
  return c.urgency === 'emergency' || reviewRequested || c.needs.some((n) => rules.safetyNeeds.includes(n));
}

const DAY_MS = 86_400_000;

/** The links of a new contact and, for a repeat, the earlier case it repeats (the newest safety-related one in the window). */
export function linkContact(match: ContactMatch, now: Date, safety: boolean, rules: ContactLinkRules): CaseLinks | undefined {
  const prior = [...match.prior].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, rules.maxLinkedCases);
  if (!match.personId && prior.length === 0) return undefined;
  const since = now.getTime() - rules.repeatWindowDays * DAY_MS;
  const repeatOf = safety ? prior.find((p) => p.safety && Date.parse(p.createdAt) >= since) : undefined;
  return {
    ...(match.personId ? { personId: match.personId } : {}),
    priorCaseIds: prior.map((p) => p.caseId),
    priorCases: prior.map(({ reference, channel, createdAt, safety: s }) => ({ reference, channel, createdAt, safety: s })),
    repeat: !!repeatOf,
    ...(repeatOf ? { repeatOf: repeatOf.caseId } : {}),
  };
}

/** A repeat's classification: the urgency raised to at least the rules' (never lowered), the reason said. */
export function raiseForRepeat(c: Classification, rules: Pick<ContactLinkRules, 'repeatUrgency'>): Classification {
  if (urgencyRank(c.urgency) >= urgencyRank(rules.repeatUrgency)) return c;
  return {
    ...c,
    urgency: rules.repeatUrgency,
    explanation: { ...c.explanation, urgency: [...c.explanation.urgency, 'repeat safety-related contact'], urgencySource: 'repeat_contact' },
  };
}
