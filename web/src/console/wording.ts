// What staff read in the console, in Chinese: the classifier's explanations (written for the
// lexicon's maintainers, with rule ids in English) become the words that matched, and the API's
// bilingual messages lose their English half and their codes (service_provided → 已提供服务).
import { DEPARTMENT_LABELS, NEED_LABELS, OUTCOME_LABELS, RETURN_REASON_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../lib/labels.js';

const CJK = /[\u3400-\u9fff]/;

/** The words of a rule's reason that came from her text: every run of Chinese characters (rule ids and English left out). */
export function matchedWords(reason: string): string[] {
  const words = reason.match(/[\u3400-\u9fff][\u3400-\u9fff0-9０-９·]*/g) ?? [];
  return [...new Set(words)];
}

/** Reasons the classifier states in English without a word of hers, in Chinese. */
const KNOWN_REASONS: Array<[RegExp, string]> = [
  [/safety_protection need is never routine/, '涉及人身安全的需求至少按较急处理'],
  [/operator|operatorAssessment/, '接线员判断'],
  [/safeNow|not safe now/i, '求助人表示现在不安全'],
];

/** One reason as staff read it: the words that matched, else a Chinese sentence, else nothing. */
export function reasonForStaff(reason: string): string | null {
  const words = matchedWords(reason);
  if (words.length) return words.join('/');
  for (const [pattern, text] of KNOWN_REASONS) if (pattern.test(reason)) return text;
  return null;
}

/** The reasons of a list, deduplicated, without those that say nothing to staff. */
export function reasonsForStaff(reasons: readonly string[]): string[] {
  return [...new Set(reasons.map(reasonForStaff).filter((r): r is string => r !== null))];
}

/** How the division was found, in Chinese (the classifier's trace is in English). */
export function divisionSource(explanation: string): string {
  if (explanation.startsWith('structured field:')) return '登记时填写';
  const said = /text: ([^\s(→]+)/.exec(explanation)?.[1];
  if (said && CJK.test(said)) return explanation.includes('names only the province') ? `求助内容只提到“${said}”，未能确定到县` : `据求助内容中的“${said}”`;
  if (explanation.startsWith('no division named')) return '求助内容中未提及地区';
  return '未能确定';
}

/** A suppressed match ("rule: 打我 (negated: 没有)") as staff read it: the words and why they did not count. */
export function suppressedForStaff(entry: string): string | null {
  const words = matchedWords(entry.replace(/\((negated|past|a habit)[^)]*\)/, ''));
  if (!words.length) return null;
  const why = /negated/.test(entry) ? '否定' : /habit/.test(entry) ? '习惯性说法' : /past/.test(entry) ? '过去的事' : '不计入';
  return `${words.join('/')}（${why}）`;
}

const CODE_LABELS: Record<string, string> = { ...STATUS_LABELS, ...URGENCY_LABELS, ...RETURN_REASON_LABELS, ...DEPARTMENT_LABELS, ...NEED_LABELS, ...OUTCOME_LABELS };

/**
 * An API message for staff: the Chinese half of "中文 (english)", with any code named in it
 * replaced by its label. A message with no Chinese is kept as it is (better than nothing).
 */
export function messageForStaff(message: string): string {
  const chinese = CJK.test(message) ? message.replace(/\s*\((?=[^()]*[A-Za-z])[^()]*\)\s*$/, '') : message;
  return chinese.replace(/\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]{4,}\b/g, (code) => (CODE_LABELS[code] ? `“${CODE_LABELS[code]}”` : code));
}
