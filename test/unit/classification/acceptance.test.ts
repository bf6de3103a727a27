// Acceptance thresholds on the labelled files, with the shipped lexicon. The samples come from
// the labelled samples of the programme (test/fixtures/classifier-samples.jsonl); the
// dev and probe sets were written for this project, the probes as fresh checks of generalisation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';
import { loadDangerScreen } from '../../../shared/config/triage.js';
import { computeMetrics, formatReport, type Metrics } from '../../../shared/domain/classification/evaluation.js';
import { nonBlankLines, parseLabelledLine } from '../../../shared/domain/classification/jsonl.js';

function evaluateFile(path: string, withScreen = false): Metrics {
  const classifier = loadClassifier();
  const screen = loadDangerScreen();
  const items = nonBlankLines(readFileSync(path, 'utf8')).map(({ line, lineNo }) => {
    const parsed = parseLabelledLine(line, lineNo);
    if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
    return { expected: parsed.value, got: classifier.classify(parsed.value.input), ...(withScreen ? { screen: screen.screen(parsed.value.text) } : {}) };
  });
  return computeMetrics(items);
}

/** On failure, show the administrator's report so the miss is readable in the test output. */
function expectThresholds(path: string, min: { macroF1: number; urgency: number; division: number }): void {
  const m = evaluateFile(path);
  const report = formatReport(m, path);
  expect(m.macroF1, report).toBeGreaterThanOrEqual(min.macroF1);
  expect(m.emergencyRecall, report).toBe(1);
  expect(m.urgencyAccuracy, report).toBeGreaterThanOrEqual(min.urgency);
  expect(m.divisionAccuracy, report).toBeGreaterThanOrEqual(min.division);
}

describe('acceptance on labelled intakes', () => {
  it('samples: macro-F1 ≥ 0.95, emergency recall 1.00, urgency ≥ 0.95, division 1.00', () => {
    const m = evaluateFile('test/fixtures/classifier-samples.jsonl');
    expect(m.count).toBe(40);
    expectThresholds('test/fixtures/classifier-samples.jsonl', { macroF1: 0.95, urgency: 0.95, division: 1 });
  });

  it.each(['classifier-dev.jsonl', 'classifier-dev-classes.jsonl'])('dev set %s: the same thresholds', (file) => {
    expectThresholds(`test/fixtures/${file}`, { macroF1: 0.95, urgency: 0.95, division: 1 });
  });

  it.each(['classifier-probe.jsonl', 'classifier-probe2.jsonl', 'classifier-probe3.jsonl', 'classifier-probe4.jsonl', 'classifier-probe5.jsonl'])(
    'probe set %s: macro-F1 ≥ 0.95, emergency recall 1.00',
    (file) => {
      expectThresholds(`test/fixtures/${file}`, { macroF1: 0.95, urgency: 0.95, division: 0.98 });
    },
  );

  // Fresh natural mixes written while fixing the error classes a blind set showed (the class-by-class
  // sentences are classifier-dev-classes.jsonl); each set was run once before its own fixes, and
  // those first-run figures are in bench/results/classify.md.
  it.each(['classifier-gen2.jsonl', 'classifier-gen3.jsonl', 'classifier-gen4.jsonl', 'classifier-gen5.jsonl', 'classifier-gen6.jsonl', 'classifier-gen7.jsonl', 'classifier-gen8.jsonl'])(
    'generalisation set %s: macro-F1 ≥ 0.93, emergency recall 1.00, urgency ≥ 0.95, division 1.00',
    (file) => {
      expectThresholds(`test/fixtures/${file}`, { macroF1: 0.93, urgency: 0.95, division: 1 });
    },
  );

  // Written from the labelling guide before the danger screen existed, for the emergency classes the
  // screen and the lexicon missed; first run 0.794 / 20 of 40 emergencies (docs/fresh-sets.md). Its
  // routine needs (long hardship stories) are still the weak part, so the need threshold is lower.
  it('generalisation set 2026-12-04-danger-classes: every emergency, macro-F1 ≥ 0.87, urgency ≥ 0.95', () => {
    expectThresholds('test/fixtures/generalisation/2026-12-04-danger-classes.jsonl', { macroF1: 0.87, urgency: 0.95, division: 1 });
  });

  it('generalisation set 2026-12-04-mixed-after-fixes: every emergency, macro-F1 ≥ 0.88, urgency ≥ 0.95', () => {
    expectThresholds('test/fixtures/generalisation/2026-12-04-mixed-after-fixes.jsonl', { macroF1: 0.88, urgency: 0.95, division: 1 });
  });
});

describe('the emergency path as a whole (classifier emergency or danger-screen flag)', () => {
  // On the fresh sets of the emergency work (see docs/fresh-sets.md for their first-run figures).
  it.each(['2026-12-04-danger-classes.jsonl', '2026-12-04-mixed-after-fixes.jsonl', '2026-12-04-third-first-run.jsonl'])(
    '%s: catches every emergency and sends at most 16 %% of the rest to review',
    (file) => {
      const path = `test/fixtures/generalisation/${file}`;
      const m = evaluateFile(path, true);
      const report = formatReport(m, path);
      expect(m.screen!.combinedRecall, report).toBe(1);
      expect(m.screen!.reviewRate, report).toBeLessThanOrEqual(0.16);
    },
  );
});
