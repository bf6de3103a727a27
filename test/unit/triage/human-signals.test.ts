import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonDataFile } from '../../../shared/config/data-files.js';
import type { Classification } from '../../../shared/domain/classification/types.js';
import { NEEDS, RISKS, SAFE_NOW, URGENCIES, type Urgency } from '../../../shared/domain/model.js';
import { urgencyRank } from '../../../shared/domain/model.js';
import { applyHumanSignals, parseEmergencySignals } from '../../../shared/domain/triage/human-signals.js';

const table = parseEmergencySignals(readJsonDataFile('emergency-signals.json'));
const machine = (urgency: Urgency, needs: Classification['needs'] = []): Classification => ({
  needs,
  urgency,
  divisionCode: null,
  explanation: { needs: {}, urgency: urgency === 'routine' ? [] : ['rule'], division: 'none' },
});

describe('human signals', () => {
  it('an operator risk makes an emergency with the needs it implies, and says the operator decided', () => {
    const c = applyHumanSignals(machine('routine', ['legal_aid']), { operatorAssessment: { risks: ['suicide_risk'] } }, table);
    expect(c.urgency).toBe('emergency');
    expect(c.needs).toEqual(['legal_aid', 'psychological_support']);
    expect(c.explanation.urgencySource).toBe('operator');
    expect(c.explanation.needs.psychological_support).toEqual(['operator risk: suicide_risk']);
  });

  it('"not safe now" is an emergency with a safety need; "unsure" and "yes" change nothing but are recorded', () => {
    expect(applyHumanSignals(machine('routine'), { safeNow: 'no' }, table)).toMatchObject({ urgency: 'emergency', needs: ['safety_protection'], explanation: { urgencySource: 'caller' } });
    const unsure = applyHumanSignals(machine('urgent', ['social_assistance']), { safeNow: 'unsure' }, table);
    expect(unsure).toMatchObject({ urgency: 'urgent', needs: ['social_assistance'], explanation: { humanSignals: ['safeNow: unsure'] } });
  });

  it('an operator urgency below the machine changes nothing: the classifier stays the source', () => {
    const c = applyHumanSignals(machine('emergency', ['safety_protection']), { operatorAssessment: { urgency: 'routine' } }, table);
    expect(c).toMatchObject({ urgency: 'emergency', explanation: { urgencySource: 'classifier' } });
  });

  it('property: never lowers the urgency, never removes a need, and any risk or "no" is an emergency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...URGENCIES),
        fc.subarray([...NEEDS]),
        fc.option(fc.record({ urgency: fc.option(fc.constantFrom(...URGENCIES), { nil: undefined }), risks: fc.option(fc.subarray([...RISKS]), { nil: undefined }) }), { nil: undefined }),
        fc.option(fc.constantFrom(...SAFE_NOW), { nil: undefined }),
        (u, needs, operatorAssessment, safeNow) => {
          const c = applyHumanSignals(machine(u, needs), { operatorAssessment, safeNow }, table);
          expect(urgencyRank(c.urgency)).toBeGreaterThanOrEqual(urgencyRank(u));
          for (const n of needs) expect(c.needs).toContain(n);
          if ((operatorAssessment?.risks?.length ?? 0) > 0 || safeNow === 'no' || operatorAssessment?.urgency === 'emergency') expect(c.urgency).toBe('emergency');
          if (c.needs.includes('safety_protection')) expect(c.urgency).not.toBe('routine');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the shipped table names every risk; a malformed one is refused with its path', () => {
    expect(Object.keys(table.risks).sort()).toEqual([...RISKS].sort());
    expect(() => parseEmergencySignals({ risks: {}, notSafeNow: [], reviewMinutes: 0 })).toThrow(/risks\.violence_now/);
  });
});
