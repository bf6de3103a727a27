// The classifier's contract. Routing, intake and the CLI depend only on this.
import type { Channel, Need, Urgency, UrgencySource } from '../model.js';

export interface ClassificationInput {
  channel: Channel;
  text: string;
  /** Structured division sent by the channel; wins over the text when it is a known code. */
  divisionCode?: string | null;
  /** Channel prior: a 12348 consultType or an operator's explicit category. Informs needs, never urgency. */
  categoryHint?: string | null;
}

/** Why a result came out as it did: the lexicon entries and rules that fired, for operators and administrators. */
export interface ClassificationExplanation {
  /** For each need in the result: the rule ids / matched terms that produced it. */
  needs: Partial<Record<Need, string[]>>;
  /** The rule ids / matched terms that set the urgency (empty when routine by default). */
  urgency: string[];
  /** How the division was found, e.g. "structured field" or "text: 敦化". */
  division: string;
  /** Terms that matched but were discarded (negated, past, denied), for debugging a rule. */
  suppressed?: string[];
  /** Who decided the urgency (absent: the classifier). Human signals only ever raise it. */
  urgencySource?: UrgencySource;
  /** The operator's and the caller's signals, as codes (e.g. "operator risk: weapon", "safeNow: no"). */
  humanSignals?: string[];
  /** The danger screen's cues, when it flagged the text. */
  screenCues?: string[];
}

export interface Classification {
  needs: Need[];
  urgency: Urgency;
  divisionCode: string | null;
  explanation: ClassificationExplanation;
}

export interface Classifier {
  classify(input: ClassificationInput): Classification;
}
