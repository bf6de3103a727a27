import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainFromFiles } from '../../../cli/train-danger-model.js';
import { gramsOf, packModel, parseModel, scoreGrams, serializeModel, train, unpackModel } from '../../../shared/domain/triage/ngram-model.js';

const toy = [
  { text: '他拿刀要砍我', emergency: true },
  { text: '他拿刀追我', emergency: true },
  { text: '他说要砍死我', emergency: true },
  { text: '想学做直播', emergency: false },
  { text: '想学做电商', emergency: false },
  { text: '孩子不听话', emergency: false },
  { text: '想问低保', emergency: false },
  { text: '想学手艺', emergency: false },
];

describe('the n-gram second opinion', () => {
  it('grams are bigrams and trigrams that never cross punctuation', () => {
    expect([...gramsOf('拿刀，砍')].sort()).toEqual(['拿刀']);
    expect([...gramsOf('拿刀砍')].sort()).toEqual(['刀砍', '拿刀', '拿刀砍']);
  });

  it('scores a text that looks like the emergencies above one that does not', () => {
    const { model } = train(toy, { folds: 2 });
    expect(scoreGrams(model, gramsOf('他又拿刀了'))).toBeGreaterThan(scoreGrams(model, gramsOf('想学做饭')));
  });

  it('training is deterministic and the data file round-trips', () => {
    const a = train(toy, { folds: 2, seed: 7 });
    const b = train(toy, { folds: 2, seed: 7 });
    expect(serializeModel(a.model)).toBe(serializeModel(b.model));
    const back = parseModel(serializeModel(a.model));
    expect(back.threshold).toBeCloseTo(a.model.threshold, 5);
    expect(new Map(back.grams.entries())).toEqual(a.model.grams);
    expect(back.grams.size).toBe(a.model.grams.size);
    for (const [gram, counts] of a.model.grams.entries()) expect(back.grams.get(gram), gram).toEqual(counts);
    expect(back.grams.get('没有这个')).toBeUndefined();
    expect(() => parseModel('{"docs":{"emergency":1,"other":1},"threshold":1}\nab\tx\t1\n')).toThrow(/line 2/);
    for (const bad of ['ab\t1', '\t1\t2', 'ab\t1\t2\t3', 'ab\t-1\t2', 'ab\t1.5\t2', 'ab\t\t2']) {
      expect(() => parseModel(`{"docs":{"emergency":1,"other":1},"threshold":1}\nok\t1\t1\n${bad}\n`), JSON.stringify(bad)).toThrow(/line 3/);
    }
    // Lines out of order (a hand edit) are put in order; a gram listed twice is refused.
    const head = '{"docs":{"emergency":1,"other":1},"threshold":1}';
    expect(parseModel(`${head}\n拿刀\t1\t0\nab\t0\t1\n拿刀砍\t2\t0\n`).grams.get('拿刀砍')).toEqual([2, 0]);
    expect(parseModel(`${head}\n拿刀\t1\t0\nab\t0\t1\n`).grams.get('ab')).toEqual([0, 1]);
    expect(() => parseModel(`${head}\n拿刀\t1\t0\nab\t0\t1\n拿刀\t2\t0\n`)).toThrow(/twice/);
    // The same model with Windows line ends reads the same.
    const text = serializeModel(a.model);
    expect(parseModel(text.replace(/\n/g, '\r\n'))).toEqual(parseModel(text));
  });

  it('the compiled form reads back the same model, and says which file it was compiled from', () => {
    const model = parseModel(readFileSync('data/danger-model.tsv', 'utf8'));
    const packed = packModel(model, 'abc123');
    // At an offset a file read would not give: copied to align.
    const unaligned = new Uint8Array(packed.length + 3).subarray(3);
    unaligned.set(packed);
    for (const bytes of [packed, unaligned]) {
      const back = unpackModel(bytes)!;
      expect(back.sourceHash).toBe('abc123');
      expect(back.model.docs).toEqual(model.docs);
      expect(back.model.threshold).toBe(model.threshold);
      expect([...back.model.grams.entries()]).toEqual([...model.grams.entries()]);
      expect(scoreGrams(back.model, gramsOf('他拿着刀说要砍死我'))).toBe(scoreGrams(model, gramsOf('他拿着刀说要砍死我')));
    }
    // A trained model (a Map) packs too.
    const trained = train(toy, { folds: 2 }).model;
    expect([...unpackModel(packModel(trained, 'x'))!.model.grams.entries()].sort()).toEqual([...trained.grams.entries()].sort());
    // Not a compiled model, or cut short: not used.
    expect(unpackModel(new TextEncoder().encode('{"docs":{}}\n'))).toBeUndefined();
    expect(unpackModel(packed.subarray(0, packed.length - 8))).toBeUndefined();
  });

  it('the shipped data/danger-model.tsv is exactly what training on the sets its header names gives (retrain with npm run screen:train)', () => {
    const shipped = readFileSync('data/danger-model.tsv', 'utf8');
    const { trainedOn } = JSON.parse(shipped.split('\n')[0]!) as { trainedOn: string[] };
    expect(trainedOn.length).toBeGreaterThan(10);
    const { tsv, report } = trainFromFiles(trainedOn);
    expect(tsv === shipped, 'data/danger-model.tsv is stale: run npm run screen:train').toBe(true);
    // Cross-validation: the threshold catches 95 % of emergencies no fold saw, flagging few others.
    expect(report.crossValidated.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.crossValidated.flaggedOther).toBeLessThanOrEqual(0.1);
  }, 60_000);
});
