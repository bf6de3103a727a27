import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonDataFile } from '../../../shared/config/data-files.js';
import { loadDangerScreen } from '../../../shared/config/triage.js';
import { createDangerScreen, parseDangerScreen } from '../../../shared/domain/triage/danger-screen.js';

const screen = loadDangerScreen();
const flagged = (t: string) => screen.screen(t).possibleEmergency;

describe('the danger screen', () => {
  // Fresh sentences per class (not from the labelled sets).
  it.each([
    ['a body in trouble told by its signs', '她说心口像被东西压着，右边胳膊也发麻，一直冒冷汗。'],
    ['a child taken by a stranger', '我儿子在小卖部门口被一个不认识的人抱走了，往国道那边去了。'],
    ['farewell acts without a word of death', '她把家里的钥匙和存折都交给了邻居，还说谢谢你们这些年照顾。'],
    ['a child threatened to get money', '他把孩子举过头顶站在井边上，说不给他钱就扔下去。'],
    ['held by in-laws', '婆家把我锁在屋里不让出门，身份证也被收走了，我是偷偷打的电话。'],
    ['a call cut off', '她刚说到丈夫又动手，突然说他回来了，电话断了。'],
    ['a weapon', '男人拿着铁锹在院子里转，说谁拦他就拍死谁。'],
  ])('flags %s', (_class, text) => {
    expect(flagged(text)).toBe(true);
  });

  it.each([
    ['slaughtering the new-year pig', '腊月杀年猪请了半个屯的人来吃饭，想问问怎么开个网店卖猪肉。'],
    ['exasperation idioms', '气死我了，孩子作业又没写完，累死了，天天这样。'],
    ['a plain question', '想问一下两癌筛查什么时候报名。'],
    ['hardship without danger', '这些年男人在外面打工，我一个人种地带孩子，钱不够花，想申请低保。'],
  ])('does not flag %s', (_class, text) => {
    expect(flagged(text)).toBe(false);
  });

  it('reports cues as "<cue id>: <rule term>" and the needs they imply', () => {
    const r = screen.screen('孩子发高烧抽起来了。');
    expect(r.cues).toEqual(expect.arrayContaining(['body.collapse: 抽起来']));
    expect(r.impliedNeeds).toEqual(['health_screening']);
  });

  it('a term with a gap matches in order within one sentence only', () => {
    const s = createDangerScreen(parseDangerScreen({ flagAt: 1, maxGap: 3, ignore: [], cues: [{ id: 'x', weight: 1, needs: [], terms: ['孩子…扔'] }] }));
    expect(s.screen('孩子要被扔').possibleEmergency).toBe(true);
    expect(s.screen('孩子。扔').possibleEmergency).toBe(false);
    expect(s.screen('扔了孩子').possibleEmergency).toBe(false);
    expect(s.screen('孩子一二三四扔').possibleEmergency).toBe(false);
  });

  it('property: adding another sentence never takes a flag away', () => {
    const pool = ['胸口', '发麻', '冷汗', '刚才', '他回来了', '杀年猪', '气死', '孩子', '扔下去', '存折', '想通了', '锁在屋里', '不', '没有', '的', '，'];
    const text = fc.array(fc.constantFrom(...pool), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(screen.screen(`${a}。${b}`).score).toBeGreaterThanOrEqual(screen.screen(a).score);
      }),
      { numRuns: 1000 },
    );
  });

  it('the shipped rules validate; a duplicate cue id or an unknown need is refused with its path', () => {
    const raw = readJsonDataFile<any>('danger-screen.json');
    expect(() => parseDangerScreen(raw)).not.toThrow();
    expect(() => parseDangerScreen({ ...raw, cues: [...raw.cues, raw.cues[0]] })).toThrow(/cues: cue ids must be unique/);
    expect(() => parseDangerScreen({ ...raw, cues: [{ ...raw.cues[0], needs: ['food'] }] })).toThrow(/cues\.0\.needs\.0/);
  });
});
