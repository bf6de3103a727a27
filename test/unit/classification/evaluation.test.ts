// The metric arithmetic, on small hand-made cases where every figure can be checked by hand.
import { describe, expect, it } from 'vitest';
import { computeMetrics, formatReport, type EvaluatedItem } from '../../../shared/domain/classification/evaluation.js';
import { parseIntakeLine, parseLabelledLine, nonBlankLines } from '../../../shared/domain/classification/jsonl.js';
import type { Classification } from '../../../shared/domain/classification/types.js';
import type { Need, Urgency } from '../../../shared/domain/model.js';

function item(id: string, expected: [Need[], Urgency, string | null], got: [Need[], Urgency, string | null]): EvaluatedItem {
  const classification: Classification = {
    needs: got[0],
    urgency: got[1],
    divisionCode: got[2],
    explanation: { needs: Object.fromEntries(got[0].map((n) => [n, [`rule for ${n}`]])), urgency: [], division: 'test' },
  };
  return { expected: { id, text: `text ${id}`, needs: expected[0], urgency: expected[1], divisionCode: expected[2] }, got: classification };
}

const items = [
  item('a', [['legal_aid'], 'routine', '220122'], [['legal_aid'], 'routine', '220122']),
  item('b', [['legal_aid', 'safety_protection'], 'emergency', null], [['safety_protection'], 'urgent', null]),
  item('c', [['psychological_support'], 'emergency', null], [['psychological_support', 'legal_aid'], 'emergency', '220100']),
  item('d', [[], 'routine', null], [[], 'routine', null]),
];

describe('computeMetrics', () => {
  const m = computeMetrics(items);

  it('per-need precision, recall and F1 from the counts', () => {
    const legal = m.perNeed.find((s) => s.need === 'legal_aid')!;
    // tp: a; fp: c; fn: b
    expect([legal.truePositives, legal.falsePositives, legal.falseNegatives]).toEqual([1, 1, 1]);
    expect(legal.precision).toBeCloseTo(0.5);
    expect(legal.recall).toBeCloseTo(0.5);
    expect(legal.f1).toBeCloseTo(0.5);
    const safety = m.perNeed.find((s) => s.need === 'safety_protection')!;
    expect([safety.precision, safety.recall, safety.f1]).toEqual([1, 1, 1]);
  });

  it('needs that never occur are left out of the macro average', () => {
    const health = m.perNeed.find((s) => s.need === 'health_screening')!;
    expect([health.precision, health.recall, health.f1]).toEqual([null, null, null]);
    // legal 0.5, psych 1, safety 1
    expect(m.macroF1).toBeCloseTo((0.5 + 1 + 1) / 3);
  });

  it('exact-set, urgency and division accuracy, emergency recall', () => {
    expect(m.exactSetAccuracy).toBeCloseTo(2 / 4);
    expect(m.urgencyAccuracy).toBeCloseTo(3 / 4);
    expect(m.emergencyCount).toBe(2);
    expect(m.emergencyRecall).toBeCloseTo(1 / 2);
    expect(m.divisionAccuracy).toBeCloseTo(3 / 4);
    expect(m.urgencyConfusion.emergency.urgent).toBe(1);
  });

  it('lists each miss with what was wrong', () => {
    expect(m.misses.map((x) => x.item.expected.id)).toEqual(['b', 'c']);
    expect(m.misses[0]).toMatchObject({ needs: true, urgency: true, division: false });
    expect(m.misses[1]).toMatchObject({ needs: true, urgency: false, division: true });
  });

  it('has no emergency recall without expected emergencies, and handles an empty list', () => {
    expect(computeMetrics([items[0]!]).emergencyRecall).toBeNull();
    const empty = computeMetrics([]);
    expect([empty.macroF1, empty.exactSetAccuracy, empty.urgencyAccuracy]).toEqual([null, null, null]);
  });
});

describe('formatReport', () => {
  it('shows the figures and every miss with expected, got and the explanation', () => {
    const text = formatReport(computeMetrics(items), 'hand-made');
    expect(text).toContain('Macro-F1 (needs):        0.833');
    expect(text).toContain('Emergency recall:         50.0%');
    expect(text).toContain('--- b (wrong needs, urgency)');
    expect(text).toContain('expected legal_aid, safety_protection | got safety_protection');
    expect(text).toContain('why legal_aid: rule for legal_aid');
    expect(text).not.toContain('--- a ');
  });
});

describe('JSON-lines parsing', () => {
  it('reads a labelled line; the input division is separate from the expected one', () => {
    const p = parseLabelledLine('{"id":"x","channel":"12348","text":"t","inputDivisionCode":"220182","needs":["legal_aid"],"urgency":"routine","divisionCode":"220182"}', 1);
    expect(p.ok && p.value.input.divisionCode).toBe('220182');
    const q = parseLabelledLine('{"id":"y","channel":"web","text":"t","needs":[],"urgency":"routine","divisionCode":null}', 2);
    expect(q.ok && q.value.input.divisionCode).toBeUndefined();
  });

  it('names the line and the field, never the text', () => {
    const p = parseLabelledLine('{"id":"z","channel":"web","text":"我的名字叫张三","needs":["housing"],"urgency":"routine","divisionCode":null}', 7);
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.error).toMatch(/^line 7: needs\.0/);
      expect(p.error).not.toContain('张三');
      expect(p.id).toBe('z');
    }
    const q = parseIntakeLine('{not json', 3);
    expect(q).toEqual({ ok: false, id: null, error: 'line 3: not valid JSON' });
  });

  it('keeps the id as given and skips blank lines with their numbers', () => {
    const p = parseIntakeLine('{"id":12,"channel":"web","text":"x"}', 1);
    expect(p.ok && p.id).toBe(12);
    expect(nonBlankLines('a\n\n  \nb\r\n').map((l) => l.lineNo)).toEqual([1, 4]);
  });
});
