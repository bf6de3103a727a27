// De-identification of an intake text for the classifier's regression sets: what could identify her
// or the people around her is masked, the rest of her wording (what the classifier learns from) is
// kept. Pure. Masked: the name and phone she gave, her township and village, every run of 7 or more
// digits (phones, ID and bank numbers), ID numbers ending in X, and place names told by their
// suffix (…村, …屯, …组, …乡, …镇, …街道), as well as names after a form of address (姓王, 叫李…).
export interface KnownPersonalData {
  name?: string;
  phone?: string;
  township?: string;
  village?: string;
}

export const MASK = '＊';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERNS: RegExp[] = [
  /\d{17}[\dXx]/g, // ID number
  /(?:\+?86[- ]?)?\d[\d -]{5,}\d/g, // phone and other long numbers (7+ digits with separators)
  // A place by its suffix: two to four characters that are not a county-level word (敦化市 stays).
  /(?:(?![省市县区州的在了是到去从和说时里])[\u4e00-\u9fa5]){1,4}(?:村|屯|组|乡|镇|街道|社区)(?!民|里|干部|医|卫生|口|长|委|主任|书记|妇联)/g,
  /(?<=(?:姓|叫|名叫|名字是))[\u4e00-\u9fa5]{1,3}/g,
];

export function deidentify(text: string, known: KnownPersonalData = {}): string {
  let out = text;
  for (const value of [known.name, known.phone, known.township, known.village]) {
    const v = value?.trim();
    if (v && v.length >= 2) out = out.replace(new RegExp(escape(v), 'g'), MASK);
  }
  for (const p of PATTERNS) out = out.replace(p, MASK);
  return out;
}
