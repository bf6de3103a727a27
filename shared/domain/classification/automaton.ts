// A small Aho–Corasick automaton over UTF-16 code units: every key of the lexicon is found in
// one left-to-right pass, whatever the number of keys, so the cost per text does not grow with
// the lexicon.
//
// Layout, for speed: the root's transitions are a dense 64K table (most steps start there);
// every other transition lives in one open-addressing hash table of typed arrays, which is
// several times faster than a Map per node.

export interface Automaton {
  /** Number of distinct keys. */
  readonly size: number;
  /** Its tables, for a prebuilt classifier (automatonOf rebuilds the same automaton from them). */
  readonly tables: AutomatonTables;
  /**
   * Finds every occurrence of every key. Writes key indexes and exclusive end positions into
   * the returned arrays (valid until the next call) and returns them with the count.
   * Occurrences come in order of their end position.
   */
  scan(text: string): { count: number; keys: Int32Array; ends: Int32Array };
}

/** Everything the scan reads: the root's dense table, the hashed transitions, failure and output links. */
export interface AutomatonTables {
  size: number;
  root: Int32Array;
  hNode: Int32Array;
  hChar: Int32Array;
  hNext: Int32Array;
  fail: Int32Array;
  outLink: Int32Array;
  outStart: Int32Array;
  outKeys: Int32Array;
}

const EMPTY = -1;
const slotOf = (mask: number, node: number, c: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & mask;

/** Builds the automaton; keys[i] is reported as key index i. Empty keys are not allowed. */
export function buildAutomaton(keys: readonly string[]): Automaton {
  // 1. Trie, with transitions in a Map per node while building.
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length === 0) throw new Error('automaton: empty key');
    let node = 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = children[node]!.get(c);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        own.push([]);
        children[node]!.set(c, child);
      }
      node = child;
    }
    own[node]!.push(k);
  }
  const nodes = children.length;

  // 2. Flat transition tables.
  const root = new Int32Array(0x10000).fill(0);
  for (const [c, child] of children[0]!) root[c] = child;
  let edges = 0;
  for (let n = 1; n < nodes; n++) edges += children[n]!.size;
  let size = 1;
  while (size < edges * 2 + 16) size <<= 1;
  const mask = size - 1;
  const hNode = new Int32Array(size).fill(EMPTY);
  const hChar = new Int32Array(size);
  const hNext = new Int32Array(size);
  const slot = (node: number, c: number): number => slotOf(mask, node, c);
  for (let n = 1; n < nodes; n++) {
    for (const [c, child] of children[n]!) {
      let h = slot(n, c);
      while (hNode[h] !== EMPTY) h = (h + 1) & mask;
      hNode[h] = n;
      hChar[h] = c;
      hNext[h] = child;
    }
  }
  const step = (node: number, c: number): number => {
    if (node === 0) return root[c]!;
    for (let h = slot(node, c); hNode[h] !== EMPTY; h = (h + 1) & mask) {
      if (hNode[h] === node && hChar[h] === c) return hNext[h]!;
    }
    return EMPTY;
  };

  // 3. Failure links (longest proper suffix on the trie) and output links (nearest node on the
  //    failure chain that ends a key), breadth first.
  const fail = new Int32Array(nodes);
  const outLink = new Int32Array(nodes).fill(-1);
  const queue: number[] = [...children[0]!.values()];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const [c, child] of children[node]!) {
      // The root never fails (a missing root transition leads back to the root).
      let f = fail[node]!;
      let target = step(f, c);
      while (target === EMPTY) {
        f = fail[f]!;
        target = step(f, c);
      }
      fail[child] = target;
      const fc = fail[child]!;
      outLink[child] = own[fc]!.length > 0 ? fc : outLink[fc]!;
      queue.push(child);
    }
  }

  // 4. Outputs flattened: outStart[n]..outStart[n+1] index into outKeys.
  const outStart = new Int32Array(nodes + 1);
  for (let n = 0; n < nodes; n++) outStart[n + 1] = outStart[n]! + own[n]!.length;
  const outKeys = new Int32Array(outStart[nodes]!);
  for (let n = 0; n < nodes; n++) outKeys.set(own[n]!, outStart[n]!);
  return automatonOf({ size: keys.length, root, hNode, hChar, hNext, fail, outLink, outStart, outKeys });
}

/**
 * The tables in a compact form for a file: the root's transitions and the hashed ones as lists
 * (most of both tables is empty), the links as they are.
 */

/** The automaton over tables built by buildAutomaton (here or at build time, for a prebuilt classifier). */
export function automatonOf(tables: AutomatonTables): Automaton {
  const { root, hNode, hChar, hNext, fail, outLink, outStart, outKeys } = tables;
  const mask = hNode.length - 1;
  const step = (node: number, c: number): number => {
    if (node === 0) return root[c]!;
    for (let h = slotOf(mask, node, c); hNode[h] !== EMPTY; h = (h + 1) & mask) {
      if (hNode[h] === node && hChar[h] === c) return hNext[h]!;
    }
    return EMPTY;
  };
  const hasOwn = (n: number): boolean => outStart[n + 1]! > outStart[n]!;

  let resultKeys = new Int32Array(256);
  let resultEnds = new Int32Array(256);

  return {
    size: tables.size,
    tables,
    scan(text) {
      let count = 0;
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let next = step(node, c);
        while (next === EMPTY) {
          node = fail[node]!;
          next = step(node, c);
        }
        node = next;
        for (let n = hasOwn(node) ? node : outLink[node]!; n > 0; n = outLink[n]!) {
          for (let j = outStart[n]!; j < outStart[n + 1]!; j++) {
            if (count === resultKeys.length) {
              const grownKeys = new Int32Array(count * 2);
              const grownEnds = new Int32Array(count * 2);
              grownKeys.set(resultKeys);
              grownEnds.set(resultEnds);
              resultKeys = grownKeys;
              resultEnds = grownEnds;
            }
            resultKeys[count] = outKeys[j]!;
            resultEnds[count] = i + 1;
            count++;
          }
        }
      }
      return { count, keys: resultKeys, ends: resultEnds };
    },
  };
}
