// Emergency classes a blind set found missing: a heart or breathing emergency described by its
// signs rather than named, and sexual violence told with a euphemism. Fresh sentences, not the
// blind set's.
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';

const classifier = loadClassifier();
const run = (text: string) => classifier.classify({ channel: '12338', text });

describe('a medical emergency described by its signs', () => {
  it.each(['来电人称她现在胸口憋得慌，一阵一阵地绞痛，浑身冷汗直冒，丈夫不在家。', '俺婆婆刚才一下子晕过去了，咋叫都叫不醒，俺一个人在家咋整。', '来电人称自己喘不上气，嘴唇发紫，丈夫在外地打工。'])(
    '%s → health, emergency',
    (text) => {
      const r = run(text);
      expect(r.needs).toContain('health_screening');
      expect(r.urgency).toBe('emergency');
      expect(r.needs).not.toContain('psychological_support');
    },
  );

  it('the same signs in the past are not an emergency now', () => {
    const r = run('来电人称以前有过胸口绞痛，现在已经治好了，想问问两癌筛查。');
    expect(r.urgency).not.toBe('emergency');
  });
});

describe('sexual violence told with a euphemism', () => {
  it('a man who broke in and 强行欺负 her just now, threatening her, is safety and emergency', () => {
    const r = run('来电人称刚才邻村一个男的翻墙进来强行欺负了她，走时说敢报警就要她命，她现在一个人在家。');
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).toBe('emergency');
  });

  it('a child bullied at school (被欺负) stays family education', () => {
    const r = run('孩子在学校被同学欺负了，不想上学，我该怎么跟老师沟通？');
    expect(r.needs).toEqual(['family_education']);
    expect(r.urgency).toBe('routine');
  });
});
