// opencc's conversion, over opencc's dictionaries, in flat tables. opencc-js (ConverterFactory)
// applies a chain of dictionary groups, each by greedy longest match from left to right, with a
// Map per trie node and an object per match; on the classifier's hot path that was a twelfth of
// all the work. This is the same algorithm with a table for each group's first character and no
// allocation for text a group leaves alone. test/unit/classification/simplify.test.ts holds it to
// opencc-js's own results on random text.

/** One opencc dictionary as opencc-js ships it: "src dst|src dst|…". */
export type SerializedDictionary = string;

interface Group {
  /** BMP code unit → the trie node of that first character (0: no key starts with it). */
  first: Int32Array;
  /** The same for characters beyond the BMP. */
  firstAstral: Map<number, number>;
  /** Per node, its children by code point (undefined for a leaf). */
  children: (Map<number, number> | undefined)[];
  /** Per node, the replacement of the key that ends there (undefined: no key ends there). */
  values: (string | undefined)[];
}

// Text no key matches is skipped a code point at a time, an ideographic description sequence
// (⿰ and its operands) whole, as opencc-js does, so that no part of one is converted.
function idsArity(cp: number): number {
  if (cp >= 0x2ff0 && cp <= 0x2ff1) return 2;
  if (cp >= 0x2ff2 && cp <= 0x2ff3) return 3;
  if (cp >= 0x2ff4 && cp <= 0x2fff) return 2;
  return 0;
}
function idsEnd(s: string, i: number): number {
  const cp = s.codePointAt(i)!;
  const arity = idsArity(cp);
  if (arity === 0) return 0;
  let end = i + (cp > 0xffff ? 2 : 1);
  for (let n = 0; n < arity; n++) {
    if (end >= s.length) return 0;
    const childEnd = idsEnd(s, end);
    end = childEnd || end + (s.codePointAt(end)! > 0xffff ? 2 : 1);
  }
  return end;
}
function unmatchedLength(s: string, i: number, cp: number): number {
  if (cp >= 0x2ff0 && cp <= 0x2fff) {
    const end = idsEnd(s, i);
    if (end > i) return end - i;
  }
  return cp > 0xffff ? 2 : 1;
}

/** A group's trie. Where dictionaries share a key, the first in the group wins; within one, the last entry. */
function groupOf(dictionaries: readonly SerializedDictionary[]): Group {
  const g: Group = { first: new Int32Array(0x10000), firstAstral: new Map(), children: [undefined], values: [undefined] };
  const newNode = () => {
    g.children.push(undefined);
    g.values.push(undefined);
    return g.values.length - 1;
  };
  for (const dictionary of [...dictionaries].reverse()) {
    for (const entry of dictionary.split('|')) {
      const [key, value] = entry.split(' ');
      if (typeof value !== 'string') throw new TypeError(`dictionary entry "${entry}" is not "source replacement"`);
      let node = 0;
      for (const ch of key!) {
        const cp = ch.codePointAt(0)!;
        let next: number | undefined;
        if (node === 0) {
          next = cp < 0x10000 ? g.first[cp] || undefined : g.firstAstral.get(cp);
          if (next === undefined) {
            next = newNode();
            if (cp < 0x10000) g.first[cp] = next;
            else g.firstAstral.set(cp, next);
          }
        } else {
          const kids = (g.children[node] ??= new Map());
          next = kids.get(cp);
          if (next === undefined) kids.set(cp, (next = newNode()));
        }
        node = next;
      }
      if (node !== 0) g.values[node] = value;
    }
  }
  return g;
}

/** One group over the text: the text itself when nothing in it matches. */
function convertWith(g: Group, s: string): string {
  const n = s.length;
  let out = '';
  let copiedTo = 0;
  for (let i = 0; i < n;) {
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    let node = cp < 0x10000 ? g.first[cp]! : (g.firstAstral.get(cp) ?? 0);
    if (node === 0) {
      i += unmatchedLength(s, i, cp);
      continue;
    }
    // The longest key from i.
    let j = i + width;
    let end = -1;
    let value = g.values[node];
    if (value !== undefined) end = j;
    let kids = g.children[node];
    while (kids !== undefined && j < n) {
      const next = s.codePointAt(j)!;
      const child = kids.get(next);
      if (child === undefined) break;
      node = child;
      j += next > 0xffff ? 2 : 1;
      const v = g.values[node];
      if (v !== undefined) {
        end = j;
        value = v;
      }
      kids = g.children[node];
    }
    if (end < 0) {
      i += unmatchedLength(s, i, cp);
      continue;
    }
    out += s.slice(copiedTo, i) + value!;
    i = copiedTo = end;
  }
  return copiedTo === 0 ? s : out + s.slice(copiedTo);
}

/** opencc-js's ConverterFactory(...groups): each group applied to the previous one's output. */
export function dictionaryConverter(...groups: readonly (readonly SerializedDictionary[])[]): (text: string) => string {
  const built = groups.map(groupOf);
  return (text) => {
    let s = text;
    for (const g of built) s = convertWith(g, s);
    return s;
  };
}
