// The classes of errors a blind set showed, each checked with fresh sentences written for this
// file (not the blind set's, not the fixtures'), against the shipped lexicon. Each class has
// sentences that must now be read right and near misses that must stay as they were.
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';
import type { Channel } from '../../../shared/domain/model.js';

const classifier = loadClassifier();
const run = (text: string, channel: Channel = 'web') => classifier.classify({ channel, text });

describe('1. a term inside another word or an idiom', () => {
  it.each([
    ['生了老二以后盆底松弛，县医院的盆底康复做几次能好？', ['health_screening']],
    ['俺家那口子在外打工，俺在家打年糕卖，想学着在抖音上卖。', ['employment_training']],
    ['大冬天摩托车打不着火，想问问县里有没有修车的培训班。', ['employment_training']],
    ['我一直打光棍的小叔子要结婚，婆婆让我出彩礼钱，这合理吗？', ['legal_aid']],
    ['家里是贫困户，想问问县里的厨师培训包不包吃住。', ['employment_training']],
    ['村里让我打头成立个刺绣合作社，有没有扶持？', ['employment_training']],
    ['闺女在学校跟人打架被停课了，我该怎么跟她谈？', ['family_education']],
    ['算命的说俺命不好，俺也认了，就想问问两癌筛查在哪做。', ['health_screening']],
  ] as const)('%s', (text, needs) => {
    const r = run(text);
    expect(r.needs).toEqual(needs);
    expect(r.urgency).toBe('routine');
  });

  it('the same words used for what they say still count', () => {
    expect(run('孩子脑瘫，想申请康复救助。').needs).toEqual(['social_assistance']);
    expect(run('他喝多了又打了我一顿，脸都打肿了。').needs).toContain('safety_protection');
    expect(run('我们是低保户，今年的低保说停就停了，想问为啥。').needs).toEqual(['social_assistance']);
    expect(run('房顶漏了好几处，下雨天屋里接水，想申请危房改造。').needs).toEqual(['social_assistance']);
  });
});

describe('2. someone else’s danger is not her intent', () => {
  it('worry that a child or another adult might harm themselves', () => {
    for (const text of ['儿子跟女朋友吵翻了，把自己关在屋里，我怕儿子一时想不开。', '公公查出癌症后整天唉声叹气，我担心公公想不开。']) {
      const r = run(text);
      expect(r.needs, text).not.toContain('psychological_support');
      expect(r.urgency, text).toBe('routine');
    }
  });

  it('her own thoughts stay an emergency', () => {
    const r = run('孩子没人管我也不想管了，我真想不开了。');
    expect(r.needs).toContain('psychological_support');
    expect(r.urgency).toBe('emergency');
  });

  it('a suicide inside the abuser’s threat is the kill threat', () => {
    const r = run('他说我要是敢走，就先掐死我再喝农药。');
    expect(r.needs).toEqual(['safety_protection']);
    expect(r.urgency).toBe('emergency');
  });
});

describe('3. recent violence: safe now → urgent; danger now → emergency', () => {
  it.each([
    '今天早上他动手打了我，现在他开车去县城了，我想问问离婚的事。',
    '前天晚上挨了他一顿打，今天他跟我认错了，我就想他别再动手。',
    '昨晚被他用脚踹了，今天一早我就跑到我姐姐家了。',
    '来电人称今天中午被丈夫扇了耳光，民警到了把丈夫带到派出所了。',
  ])('%s → urgent', (text) => {
    const r = run(text);
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).toBe('urgent');
  });

  it.each(['刚才他把我打了，我跑到邻居家，他还在门外喊着要我出去。', '今天他又打我了，我躲到村委会，他正往这边赶。', '他经常喝完酒打我，现在又在踹门了。'])('%s → emergency', (text) => {
    expect(run(text).urgency).toBe('emergency');
  });

  it('a habit of smashing windows is urgent, not an emergency', () => {
    const r = run('来电人称前夫三天两头喝多了来砸窗户，她已经带孩子搬走了。');
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).toBe('urgent');
  });
});

describe('4. danger and hardship that were missed', () => {
  it.each([
    ['几个要账的天天堵在我家门口骂，还往院子里扔砖头。', 'urgent'],
    ['有个男的天天半夜给我打电话说下流话，我换了号他又打。', 'urgent'],
    ['来电人称几个人拎着棍子闯进她家，说不给钱就砸房子，人还在院里。', 'emergency'],
  ] as const)('%s → safety, %s', (text, urgency) => {
    const r = run(text);
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).toBe(urgency);
  });

  it('days without food, hospital bills during treatment, court deadlines, pregnancy warning signs', () => {
    const food = run('家里断顿好几天了，孩子饿得直哭。');
    expect(food.needs).toEqual(['social_assistance']);
    expect(food.urgency).toBe('urgent');
    const bills = run('丈夫还在医院躺着，医药费已经欠了八千，医院天天催缴。');
    expect(bills.needs).toContain('social_assistance');
    expect(bills.urgency).toBe('urgent');
    const court = run('法院通知我这周四之前把证据交上去，我啥也不懂。');
    expect(court.needs).toContain('legal_aid');
    expect(court.urgency).toBe('urgent');
    const pregnancy = run('孕32周，这两天脚肿得厉害，头也晕，村医让我马上去县医院。');
    expect(pregnancy.needs).toEqual(['health_screening']);
    expect(pregnancy.urgency).toBe('urgent');
  });

  it('a court date next month and a check-up question stay routine', () => {
    expect(run('下个月开庭，想先找个律师问问。').urgency).toBe('routine');
    expect(run('想问问县医院的产检能不能报销。').urgency).toBe('routine');
  });
});

describe('5. needs that were missed', () => {
  it.each([
    ['老伴走了大半年了，我一个人在家吃不下饭，天天掉眼泪。', ['psychological_support']],
    ['上个月小产了，之后心情一直很差，啥也不想干。', ['psychological_support']],
    ['最近一出门就心慌手抖，不敢见人，总觉得别人在背后议论我。', ['psychological_support']],
    ['儿子跟他爸不亲，上了初中成绩也下滑了，老师让我多管管。', ['family_education']],
    ['婆婆有点糊涂了，我下地干活还得让她看着俩孩子，心里不踏实。', ['family_education']],
    ['治抑郁的药断了好几天了，镇上的药店买不着。', ['psychological_support', 'health_screening']],
    ['男人在厂里被机器轧伤了手，厂里不给赔，我们找谁？', ['legal_aid']],
  ] as const)('%s', (text, needs) => {
    expect(run(text).needs).toEqual(needs);
  });

  it('her own dialysis she cannot pay for is health and social, urgent; her husband’s is social, urgent', () => {
    const own = run('我每个星期透析两次，下回的钱还没凑够。');
    expect(own.needs).toEqual(['health_screening', 'social_assistance']);
    expect(own.urgency).toBe('urgent');
    const his = run('丈夫尿毒症在县医院透析，下回的透析费还没凑够。');
    expect(his.needs).toEqual(['social_assistance']);
    expect(his.urgency).toBe('urgent');
  });
});

describe('6. district names that exist outside Jilin too', () => {
  it.each([
    ['住在朝阳区，想问问电商培训。', '220104'],
    ['想报个育婴师培训，我是铁东区的。', '220303'],
    ['西安区，想问低保怎么申请。', '220403'],
    ['丈夫在沈阳铁西区打工，我在东丰老家带孩子，想学电商。', '220421'],
  ] as const)('%s → %s', (text, code) => {
    expect(run(text).divisionCode).toBe(code);
  });

  it('after a place outside Jilin it is that place, not ours', () => {
    expect(run('娘家是辽宁鞍山铁东区的，想学电商。').divisionCode).toBeNull();
    expect(run('我在北京市朝阳区做保姆，想问问两癌筛查。').divisionCode).toBeNull();
  });
});
