// The hard cases of the classifier, each with its own sentences (not taken from the samples or
// the dev sets), against the shipped lexicon.
import { describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../shared/config/classifier.js';
import type { Channel } from '../../../shared/domain/model.js';
import type { ClassificationInput } from '../../../shared/domain/classification/types.js';

const classifier = loadClassifier();
const run = (text: string, extra: Partial<ClassificationInput> = {}, channel: Channel = 'web') => classifier.classify({ channel, text, ...extra });

describe('operator summaries and women’s own words', () => {
  it('reads a third-person operator summary', () => {
    const r = run('来电人称丈夫外出务工五年，一直不往家里寄钱，想起诉要求支付孩子的抚养费。', {}, '12338');
    expect(r.needs).toEqual(['legal_aid']);
    expect(r.urgency).toBe('routine');
  });

  it('reads first-person words', () => {
    const r = run('我一个人在家守着两个娃，夜里老是睡不着觉，心里空落落的。');
    expect(r.needs).toEqual(['psychological_support']);
  });
});

describe('Northeastern colloquial speech', () => {
  it('削/揍 for beating, 俺 for I: violence yesterday, safe at her mother’s now → urgent', () => {
    const r = run('俺家那位喝多了又把俺揍了一顿，昨儿黑天的事，现在俺搁俺妈家呢，咋整啊？');
    expect(r.needs).toEqual(['safety_protection']);
    expect(r.urgency).toBe('urgent');
  });

  it('闹心 and wanting to 唠嗑 are loneliness and low mood', () => {
    const r = run('这一天天的贼闹心，屯子里也没个能唠嗑的人，想找人唠唠。');
    expect(r.needs).toEqual(['psychological_support']);
    expect(r.urgency).toBe('routine');
  });

  it('唠嗑 with someone else is not a need', () => {
    const r = run('俺男人不让俺跟邻居唠嗑，说了好几回了。');
    expect(r.needs).not.toContain('psychological_support');
  });

  it('削死 is a threat to kill → emergency', () => {
    const r = run('他撂下狠话，说俺再回娘家就削死俺。');
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).toBe('emergency');
  });
});

describe('Traditional characters', () => {
  it('converts before matching (Taiwan forms)', () => {
    const r = run('請問兩癌篩查要帶什麼證件？我住在琿春。');
    expect(r.needs).toEqual(['health_screening']);
    expect(r.divisionCode).toBe('222404');
  });

  it('converts Hong Kong forms and keeps the emergency', () => {
    const r = run('佢拿著菜刀衝入屋企話要斬死我，我而家匿喺衞生間。');
    expect(r.urgency).toBe('emergency');
    expect(r.needs).toContain('safety_protection');
  });

  it('keeps 乾安 (a county, not 干安)', () => {
    expect(run('想參加電商培訓。乾安縣。').divisionCode).toBe('220723');
    expect(run('想参加电商培训。乾安县。').divisionCode).toBe('220723');
  });
});

describe('negation and denial', () => {
  it('没有家暴 is not safety_protection, the legal question stays', () => {
    const r = run('我们家没有家暴，我就想知道离婚以后宅基地还有没有我的份。');
    expect(r.needs).toEqual(['legal_aid']);
    expect(r.explanation.suppressed?.some((s) => s.includes('家暴'))).toBe(true);
  });

  it('不是想不开 is not a suicide risk', () => {
    const r = run('你们放心，我不是想不开，就是这阵子心里特别压抑。');
    expect(r.needs).toEqual(['psychological_support']);
    expect(r.urgency).toBe('routine');
  });

  it('不需要救助 declines the service', () => {
    const r = run('我家不需要救助，想问问孩子老是逃课怎么管。');
    expect(r.needs).toEqual(['family_education']);
  });

  it('a trailing denial (家暴倒是没有) counts too', () => {
    const r = run('打骂倒是没有，就是他天天不着家，我想学点手艺自己挣钱。');
    expect(r.needs).toEqual(['employment_training']);
  });

  it('a question (有没有) is not a denial', () => {
    const r = run('县里有没有免费的两癌筛查？');
    expect(r.needs).toEqual(['health_screening']);
  });

  it('不要打我 in her account is still violence (a plea, not a denial)', () => {
    const r = run('他喝完酒冲我吼，我一直喊不要打我，他还是动手了。');
    expect(r.needs).toContain('safety_protection');
  });
});

describe('past events are not current needs', () => {
  it('以前被打过，现在已经离婚多年 is not safety_protection', () => {
    const r = run('以前被前夫打过，现在已经离婚多年了，想咨询一下怎么申请低保。');
    expect(r.needs).toEqual(['social_assistance']);
    expect(r.urgency).toBe('routine');
    expect(r.explanation.suppressed?.some((s) => s.startsWith('safety.'))).toBe(true);
  });

  it('a resolution later in the text puts earlier violence in the past', () => {
    const r = run('他喝酒打过我几回，后来戒酒了，这几年对我挺好，我想参加家政培训。');
    expect(r.needs).toEqual(['employment_training']);
  });

  it('violence again now is current even after 以前', () => {
    const r = run('以前他就爱动手，这两天又开始打我了。');
    expect(r.needs).toEqual(['safety_protection']);
    expect(r.urgency).not.toBe('routine');
  });

  it('三天以前 is recent, not the past', () => {
    const r = run('三天以前被丈夫打伤了，现在住在我姐家。');
    expect(r.needs).toEqual(['safety_protection']);
    expect(r.urgency).toBe('urgent');
  });
});

describe('several needs in one text', () => {
  it('violence + divorce + no money + a child who will not go to school', () => {
    const r = run('丈夫常年对我拳打脚踢，上周又打了我，我现在住在娘家，想离婚，可手里一分钱都没有，儿子也吓得不肯去上学。');
    expect(r.needs).toEqual(['legal_aid', 'social_assistance', 'safety_protection', 'family_education']);
    expect(r.urgency).toBe('urgent');
    for (const n of r.needs) expect(r.explanation.needs[n]?.length).toBeGreaterThan(0);
  });
});

describe('run-on sentences and typos', () => {
  it('a run-on with no punctuation still finds need and urgency', () => {
    const r = run('男人在外头打工不回来家里没粮了孩子饿得嗷嗷哭我也没钱买米了');
    expect(r.needs).toEqual(['social_assistance']);
    expect(r.urgency).toBe('urgent');
  });

  it('common typos (家爆, 离昏, 低包, 心里咨询) are known variants', () => {
    expect(run('他又家爆我了').needs).toContain('safety_protection');
    expect(run('想离昏，孩子归谁').needs).toContain('legal_aid');
    expect(run('怎么申请低包').needs).toEqual(['social_assistance']);
    expect(run('想做个心里咨询').needs).toEqual(['psychological_support']);
  });

  it('spaces and full-width letters do not break a term', () => {
    expect(run('ＨＰＶ检查在哪做').needs).toEqual(['health_screening']);
    expect(run('他天天 家 暴').needs).toContain('safety_protection');
  });
});

describe('urgency rules of the taxonomy', () => {
  it('suicidal intent → psychological_support + emergency', () => {
    const r = run('我活够了，老鼠药已经买回来了。');
    expect(r.needs).toContain('psychological_support');
    expect(r.urgency).toBe('emergency');
  });

  it('a threat to kill → emergency', () => {
    expect(run('来电人称丈夫扬言今晚回来就宰了她。', {}, '12338').urgency).toBe('emergency');
  });

  it('a weapon shown → emergency', () => {
    expect(run('他抡着铁锹在院子里吓唬我。').urgency).toBe('emergency');
  });

  it('violence that just happened, she is not yet safe → emergency', () => {
    expect(run('刚刚被他打了一顿，我跑到村口了，不知道去哪。').urgency).toBe('emergency');
  });

  it('recent violence and she is now safe → urgent', () => {
    const r = run('前天晚上被他打了，今天回娘家了，想问问怎么办。');
    expect(r.urgency).toBe('urgent');
  });

  it('threats without kill or weapon, harassment and stalking → urgent, not emergency', () => {
    for (const text of ['村里有个男的老给我发下流短信。', '有个陌生男人连着几天跟踪我回家。', '他说再告状就让我好看。']) {
      const r = run(text);
      expect(r.needs, text).toContain('safety_protection');
      expect(r.urgency, text).toBe('urgent');
    }
  });

  it('no food or heating within days → urgent', () => {
    expect(run('家里断粮两天了。').urgency).toBe('urgent');
    expect(run('没钱买煤，屋里冻得受不了。').urgency).toBe('urgent');
  });

  it('treatment under way that the family cannot pay for → urgent; a check-up question → routine', () => {
    const r = run('婆婆住院等着手术，手术费还差两万，家里实在拿不出来。');
    expect(r.needs).toContain('social_assistance');
    expect(r.urgency).toBe('urgent');
    expect(run('想做个妇科检查，怕拿不出钱。').urgency).toBe('routine');
  });

  it('a court date within days → urgent; next month → routine', () => {
    expect(run('明天就要开庭了，还没找到律师。').urgency).toBe('urgent');
    expect(run('下个月开庭，想先咨询律师。').urgency).toBe('routine');
  });

  it('a safety_protection need is never routine', () => {
    const r = run('丈夫经常骂我还推搡我。');
    expect(r.needs).toContain('safety_protection');
    expect(r.urgency).not.toBe('routine');
  });

  it('a call cut off while disclosing violence → emergency', () => {
    const r = run('来电人称丈夫正在打她，话没说完电话就断了。', {}, '12338');
    expect(r.urgency).toBe('emergency');
  });
});

describe('division', () => {
  const div = (text: string, extra: Partial<ClassificationInput> = {}) => run(text, extra);

  it('full names, short names and names inside longer phrases', () => {
    expect(div('家住延边安图县，想学电商').divisionCode).toBe('222426');
    expect(div('我是吉林市丰满区的，想学电商').divisionCode).toBe('220211');
    expect(div('长春市绿园区，想学电商').divisionCode).toBe('220106');
    expect(div('我住延边州，想学电商').divisionCode).toBe('222400');
    expect(div('想学电商。前郭。').divisionCode).toBe('220721');
  });

  it('the most specific division wins (county over prefecture)', () => {
    expect(div('白山市抚松县的，想学电商').divisionCode).toBe('220621');
  });

  it('a prefecture alone gives the prefecture', () => {
    expect(div('我们四平这边有没有电商培训').divisionCode).toBe('220300');
  });

  it('a valid structured divisionCode wins over the text', () => {
    const r = div('我住敦化，想学电商', { divisionCode: '220122' });
    expect(r.divisionCode).toBe('220122');
    expect(r.explanation.division).toContain('structured');
  });

  it('an unknown structured code falls back to the text and says so', () => {
    const r = div('我住敦化，想学电商', { divisionCode: '999999' });
    expect(r.divisionCode).toBe('222403');
    expect(r.explanation.division).toContain('999999');
  });

  it('the province alone → null; 吉林 alone → null; 吉林市 → the city', () => {
    expect(div('我是吉林省的，想学电商').divisionCode).toBeNull();
    expect(div('我们吉林这边冬天冷').divisionCode).toBeNull();
    expect(div('吉林市的，想学电商').divisionCode).toBe('220200');
  });

  it('长白山管委会 has no code → null, and the explanation says why', () => {
    const r = div('我住长白山管委会池北区，想学电商');
    expect(r.divisionCode).toBeNull();
    expect(r.explanation.division).toMatch(/长白山/);
    expect(r.explanation.division).toMatch(/no GB\/T 2260 code/);
  });

  it('长白县 is a county, 长白山 is not 白山市', () => {
    expect(div('我住长白县，想学电商').divisionCode).toBe('220623');
    expect(div('我住长白山脚下，想学电商').divisionCode).toBeNull();
  });

  it('通化县 and 通化市 are different; bare 通化 is the prefecture', () => {
    expect(div('住通化县，想学电商').divisionCode).toBe('220521');
    expect(div('住通化市，想学电商').divisionCode).toBe('220500');
    expect(div('住通化，想学电商').divisionCode).toBe('220500');
  });

  it('district names found in other provinces too are the Jilin district unless a place outside Jilin comes right before', () => {
    expect(div('丈夫在北京朝阳区，我想学电商').divisionCode).toBeNull();
    expect(div('长春朝阳区的，想学电商').divisionCode).toBe('220104');
    expect(div('我家在铁西区').divisionCode).toBe('220302');
    expect(div('四平市铁西区的，想学电商').divisionCode).toBe('220302');
    expect(div('想问问低保的事，二道区。').divisionCode).toBe('220105');
    expect(div('俺住龙山区，想学电商').divisionCode).toBe('220402');
    // After a province or city outside Jilin (with 市/省/的 between), it is that other district.
    expect(div('娘家是沈阳市铁西区的，我想学电商').divisionCode).toBeNull();
    expect(div('我们是辽宁省鞍山市铁东区的，想学电商').divisionCode).toBeNull();
    expect(div('老公在北京的朝阳区开车，我想学电商。西安区').divisionCode).toBe('220403');
    // A workplace is still not where she lives.
    expect(div('丈夫在铁西区打工，我想学电商').divisionCode).toBeNull();
  });

  it('words that are also ordinary words (龙井 tea, 榆树 trees) are not places by themselves', () => {
    expect(div('喝着龙井茶想学电商').divisionCode).toBeNull();
    expect(div('院里的榆树下面有人唠嗑').divisionCode).toBeNull();
    expect(div('我住榆树，想学电商').divisionCode).toBe('220182');
  });

  it('the husband’s workplace is not her division', () => {
    expect(div('丈夫在延吉打工，我想学电商').divisionCode).toBeNull();
    expect(div('丈夫在延吉打工，我在汪清带孩子，想学电商').divisionCode).toBe('222424');
  });
});

describe('channel priors (categoryHint)', () => {
  it('adds a need when the text names none', () => {
    const r = run('来电人咨询相关情况。', { categoryHint: '劳动争议' }, '12338');
    expect(r.needs).toEqual(['legal_aid']);
    expect(r.explanation.needs.legal_aid?.[0]).toContain('prior');
  });

  it('strengthens a weak hint', () => {
    // 签字 alone is a weak legal hint (weight 0.5): not enough by itself, enough with the prior.
    expect(run('来电人称对方一直不肯签字。', {}, '12338').needs).toEqual([]);
    const r = run('来电人称对方一直不肯签字。', { categoryHint: '婚姻家庭' }, '12338');
    expect(r.needs).toEqual(['legal_aid']);
    expect(r.explanation.needs.legal_aid?.join(' ')).toContain('+0.5');
  });

  it('does not add a need the text is silent on when the text names another', () => {
    expect(run('想问问两癌筛查的时间。', { categoryHint: '婚姻家庭' }, '12338').needs).toEqual(['health_screening']);
  });

  it('never sets urgency: the text decides', () => {
    const calm = run('来电人询问相关政策。', { categoryHint: '心理咨询' }, '12338');
    expect(calm.needs).toEqual(['psychological_support']);
    expect(calm.urgency).toBe('routine');
    const plain = run('想学电商', { categoryHint: '心理咨询' });
    expect(plain.urgency).toBe('routine');
  });

  it('the 12348 line leans to legal_aid when the text is silent', () => {
    expect(run('咨询人询问有关问题。', {}, '12348').needs).toEqual(['legal_aid']);
    expect(run('咨询人询问有关问题。', {}, '12338').needs).toEqual([]);
  });
});

describe('explanations', () => {
  it('lists the rules and terms behind each need, the urgency and the division', () => {
    const r = run('丈夫拿菜刀说要砍死我，我在敦化。');
    expect(r.explanation.needs.safety_protection?.join(' ')).toMatch(/emergency\.(weapon|kill_threat)/);
    expect(r.explanation.urgency.join(' ')).toMatch(/emergency\./);
    expect(r.explanation.division).toMatch(/敦化/);
  });

  it('routine by default has an empty urgency list', () => {
    expect(run('想学电商').explanation.urgency).toEqual([]);
  });
});

describe('nothing recognisable', () => {
  it('gives an empty needs list (manual triage)', () => {
    for (const text of ['请问你们几点下班？', '村里的篮球架坏了。', '', '   ', '……']) {
      const r = run(text);
      expect(r.needs, text).toEqual([]);
      expect(r.urgency, text).toBe('routine');
    }
  });
});
