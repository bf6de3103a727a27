// Use case: the corrections people made (reclassifications, confirmed and dismissed danger reviews)
// as labelled, de-identified intakes in the format classify:eval reads, so that the lexicon's
// regression sets grow from real use. A case whose personal data was purged has no text left and is
// skipped: the examples live no longer than the case's retention.
import { deidentify } from '../../domain/triage/deidentify.js';
import type { ReferralStore } from './ports.js';

export interface CorrectionLine {
  id: string;
  channel: string;
  text: string;
  /** The structured division the channel sent, as classify:eval's input. */
  inputDivisionCode: string | null;
  needs: string[];
  urgency: string;
  divisionCode: string | null;
  /** reclassification: every label is a person's; review_*: the urgency is (the needs are the machine's). */
  source: string;
  /** What the machine said before the person. */
  machine: { needs: string[]; urgency: string; divisionCode: string | null };
}

export interface ExportReport {
  lines: CorrectionLine[];
  /** Corrections whose case was purged (or is gone): nothing to export. */
  skipped: number;
}

/** YYYY-MM months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export async function exportCorrections(store: Pick<ReferralStore, 'listCorrections' | 'loadCaseState'>, months: readonly string[]): Promise<ExportReport> {
  const lines: CorrectionLine[] = [];
  let skipped = 0;
  for (const month of months) {
    for (const c of await store.listCorrections(month)) {
      const state = await store.loadCaseState(c.caseId);
      const text = state?.case.text;
      if (!state || typeof text !== 'string') {
        skipped++;
        continue;
      }
      const k = state.case;
      lines.push({
        id: `corr-${c.eventId}`,
        channel: k.channel,
        text: deidentify(text, { name: k.person?.name, phone: k.person?.phone, township: k.location?.township, village: k.location?.village }),
        inputDivisionCode: k.location?.divisionCode ?? null,
        needs: c.after.needs,
        urgency: c.after.urgency,
        divisionCode: c.after.divisionCode,
        source: c.kind,
        machine: c.before,
      });
    }
  }
  return { lines, skipped };
}
