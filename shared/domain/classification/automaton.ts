// A small Aho–Corasick automaton over UTF-16 code units: every key of the lexicon is found in
// one left-to-right pass, whatever the number of keys, so the cost per text does not grow with
// the lexicon.
//
// Layout, for speed. A scan spends most of its time waiting on memory, so the tables are small
// and a step reads few cache lines:
// - one dense 64K table by character holds both the root's transition and the character's class
//   (characters that occur after the first character of some key get a class number, a few
//   thousand at most), so a character costs one read there;
// - every other transition is in a double array: node n's child on class x sits at slot
//   base(n) + x, and the slot records its owner, so a step is two reads;
// - a character of no class leads straight back to the root's transition (no key continues
//   with it), without walking the failure chain;
// - a transition (the root's, in the character table, or a slot's) names its child with a bit
//   saying whether the child reports a key, so a step into a node that reports nothing does not
//   read that node's record; a node's record is two ints, its base and its failure link; what it
//   reports is in a table of its own, read only for the nodes that do.

export interface Automaton {
  /** Number of distinct keys. */
  readonly size: number;
  /** Its tables, for a prebuilt classifier (automatonOf rebuilds the same automaton from them). */
  readonly tables: AutomatonTables;
  /**
   * Finds every occurrence of every key. Writes what each key is reported as and exclusive end positions into
   * the returned arrays (valid until the next call) and returns them with the count.
   * Occurrences come in order of their end position.
   */
  scan(text: string): { count: number; keys: Int32Array; ends: Int32Array };
}

/** Everything the scan reads. */
export interface AutomatonTables {
  size: number;
  /** chars[c]: the class of character c among the characters that continue a key (0 for none) in the high 16 bits; in the low 16, the root's child on c (0: the root) as a transition (child * 2 + reports). */
  chars: Int32Array;
  /** NODE_FIELDS ints a node: its base in `slots`; its failure link. */
  nodes: Int32Array;
  /** OUTPUT_FIELDS ints a node: the key it ends (as reported; -1 for none), the nearest node on its failure chain that ends a key (0 for none). */
  outputs: Int32Array;
  /** SLOT_FIELDS ints a slot: the node that owns it (-1 when free) and the child it leads to as a transition (child * 2 + reports). */
  slots: Int32Array;
}

const NODE_FIELDS = 2;
const BASE = 0;
const FAIL = 1;
const OUTPUT_FIELDS = 2;
const KEY = 0;
const NEXT_OUT = 1;
/** Root transitions and classes share an int of `chars`, 16 bits each. */
const CHAR_BITS = 16;
const ROOT_MASK = 0xffff;
// A transition: child * 2 + 1 when the child reports a key (its own or one on its failure chain).
const REPORTS = 1;
const SLOT_FIELDS = 2;
const FREE = -1;

/** Builds the automaton; keys[i] is reported as reportAs[i] (by default its index i). Keys are distinct and not empty. */
export function buildAutomaton(keys: readonly string[], reportAs?: Int32Array): Automaton {
  // 1. Trie, with transitions in a Map per node while building, built one depth at a time so the
  //    nodes are numbered from the shallow ones down: the shallow nodes, where most steps are, sit
  //    together in the tables.
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  const at = new Int32Array(keys.length); // the node of each key's prefix so far
  let longest = 0;
  for (const key of keys) {
    if (key.length === 0) throw new Error('automaton: empty key');
    longest = Math.max(longest, key.length);
  }
  let live = keys.map((_, k) => k);
  for (let depth = 0; depth < longest; depth++) {
    // Keys by the node their prefix reached (then by index): each node's children get consecutive
    // numbers, in the order the keys name them, as a breadth-first walk of the trie would number them.
    live = live.filter((k) => keys[k]!.length > depth).sort((a, b) => at[a]! - at[b]! || a - b);
    for (const k of live) {
      const key = keys[k]!;
      const c = key.charCodeAt(depth);
      let child = children[at[k]!]!.get(c);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        own.push([]);
        children[at[k]!]!.set(c, child);
      }
      at[k] = child;
      if (key.length === depth + 1) {
        if (own[child]!.length > 0) throw new Error(`automaton: duplicate key "${key}"`);
        own[child]!.push(k);
      }
    }
  }
  const count = children.length;
  if (children[0]!.size * 2 + REPORTS > ROOT_MASK) throw new Error('automaton: too many distinct first characters');

  // 2. Failure links (longest proper suffix on the trie) and output links (nearest node on the
  //    failure chain that ends a key), breadth first.
  const fail = new Int32Array(count);
  const outLink = new Int32Array(count);
  const queue: number[] = [...children[0]!.values()];
  const trieStep = (node: number, c: number): number | undefined => (node === 0 ? (children[0]!.get(c) ?? 0) : children[node]!.get(c));
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const [c, child] of children[node]!) {
      // The root never fails (a missing root transition leads back to the root).
      let f = fail[node]!;
      let target = trieStep(f, c);
      while (target === undefined) {
        f = fail[f]!;
        target = trieStep(f, c);
      }
      fail[child] = target;
      outLink[child] = own[target]!.length > 0 ? target : outLink[target]!;
      queue.push(child);
    }
  }

  // 3. Classes: the characters that label an edge below the root, the most frequent first.
  const frequency = new Map<number, number>();
  for (let n = 1; n < count; n++) for (const c of children[n]!.keys()) frequency.set(c, (frequency.get(c) ?? 0) + 1);
  const classOf = new Uint16Array(0x10000);
  const classes = [...frequency].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (classes.length >= 0xffff) throw new Error('automaton: too many distinct characters');
  classes.forEach(([c], i) => (classOf[c] = i + 1));

  // 4. The double array, nodes placed first fit (a node with children needs every slot
  //    base + class of its children free; ownership tells nodes sharing a region apart).
  const reports = (n: number): number => (own[n]!.length > 0 || outLink[n]! > 0 ? REPORTS : 0);
  const chars = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) chars[c] = classOf[c]! << CHAR_BITS;
  // Breadth-first numbering: the root's children are nodes 1..size, so their transitions fit in ROOT_MASK.
  for (const [c, child] of children[0]!) chars[c] = chars[c]! | (child * 2 + reports(child));
  const nodes = new Int32Array(count * NODE_FIELDS);
  let owner = new Int32Array(1024).fill(FREE);
  let target = new Int32Array(1024);
  // nextFree[p]: a slot at or after p that may be free (p itself when free); followed and
  // shortened by freeFrom, so finding a free slot does not walk the full ones one by one.
  let nextFree = Int32Array.from({ length: 1024 }, (_, p) => p);
  const grow = (size: number): void => {
    const grownOwner = new Int32Array(size).fill(FREE);
    const grownTarget = new Int32Array(size);
    const grownNext = Int32Array.from({ length: size }, (_, p) => p);
    grownOwner.set(owner);
    grownTarget.set(target);
    grownNext.set(nextFree);
    owner = grownOwner;
    target = grownTarget;
    nextFree = grownNext;
  };
  const freeFrom = (p: number): number => {
    let q = p;
    while (q < owner.length && owner[q] !== FREE) q = nextFree[q]!;
    // Path compression: every full slot on the way now points at q.
    for (let r = p; r < owner.length && r !== q;) {
      const next = nextFree[r]!;
      nextFree[r] = q;
      r = next;
    }
    return q;
  };
  let used = 0; // slots up to here may be taken
  for (let n = 1; n < count; n++) {
    if (children[n]!.size === 0) continue; // base 0: no slot names this node as its owner
    const kids = Array.from(children[n]!, ([c, child]) => [classOf[c]!, child] as const);
    if (kids.length > 1) kids.sort((a, b) => a[0] - b[0]);
    const first = kids[0]![0];
    const last = kids[kids.length - 1]![0];
    for (let p = freeFrom(first); ; p = freeFrom(p + 1)) {
      const base = p - first;
      if (base + last >= owner.length) grow(Math.max(owner.length * 2, base + last + 1));
      if (!kids.every(([x]) => owner[base + x] === FREE)) continue;
      for (const [x, child] of kids) {
        owner[base + x] = n;
        target[base + x] = child;
        nextFree[base + x] = base + x + 1;
      }
      nodes[n * NODE_FIELDS + BASE] = base;
      used = Math.max(used, base + last + 1);
      break;
    }
  }
  // Room after the last used slot for any class, so a step never reads outside the array.
  const slots = new Int32Array((used + classes.length + 1) * SLOT_FIELDS);
  for (let s = 0; s < used + classes.length + 1; s++) {
    slots[s * SLOT_FIELDS] = s < owner.length ? owner[s]! : FREE;
    slots[s * SLOT_FIELDS + 1] = s < target.length && owner[s] !== FREE ? target[s]! * 2 + reports(target[s]!) : 0;
  }
  const outputs = new Int32Array(count * OUTPUT_FIELDS);
  for (let n = 0; n < count; n++) {
    const key = own[n]![0];
    nodes[n * NODE_FIELDS + FAIL] = fail[n]!;
    outputs[n * OUTPUT_FIELDS + KEY] = key === undefined ? -1 : reportAs ? reportAs[key]! : key;
    outputs[n * OUTPUT_FIELDS + NEXT_OUT] = outLink[n]!;
  }
  return automatonOf({ size: keys.length, chars, nodes, outputs, slots });
}

/** The automaton over tables built by buildAutomaton (here or at build time, for a prebuilt classifier). */
export function automatonOf(tables: AutomatonTables): Automaton {
  const { chars, nodes, outputs, slots } = tables;
  // Not a scan of every table at cold start: buildAutomaton sizes `slots` for every base and class,
  // and a read past its end would only fail a step (undefined is no node), never loop or throw.
  if (chars.length !== 0x10000 || nodes.length % NODE_FIELDS !== 0 || outputs.length !== (nodes.length / NODE_FIELDS) * OUTPUT_FIELDS || slots.length % SLOT_FIELDS !== 0) {
    throw new Error('automaton: tables do not fit together');
  }

  let resultKeys = new Int32Array(256);
  let resultEnds = new Int32Array(256);

  return {
    size: tables.size,
    tables,
    scan(text) {
      let count = 0;
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const entry = chars[text.charCodeAt(i)]!;
        const x = entry >>> CHAR_BITS;
        let step: number;
        // No key continues with c: only the root's transition can apply.
        if (x === 0) step = entry & ROOT_MASK;
        else {
          for (;;) {
            if (node === 0) {
              step = entry & ROOT_MASK;
              break;
            }
            const slot = (nodes[node * NODE_FIELDS + BASE]! + x) * SLOT_FIELDS;
            if (slots[slot] === node) {
              step = slots[slot + 1]!;
              break;
            }
            node = nodes[node * NODE_FIELDS + FAIL]!;
          }
        }
        node = step >> 1;
        if ((step & REPORTS) === 0) continue;
        // The key this node ends, then those of the nodes on its failure chain that end one.
        for (let n = outputs[node * OUTPUT_FIELDS + KEY]! >= 0 ? node : outputs[node * OUTPUT_FIELDS + NEXT_OUT]!; n > 0; n = outputs[n * OUTPUT_FIELDS + NEXT_OUT]!) {
          if (count === resultKeys.length) {
            const grownKeys = new Int32Array(count * 2);
            const grownEnds = new Int32Array(count * 2);
            grownKeys.set(resultKeys);
            grownEnds.set(resultEnds);
            resultKeys = grownKeys;
            resultEnds = grownEnds;
          }
          resultKeys[count] = outputs[n * OUTPUT_FIELDS + KEY]!;
          resultEnds[count] = i + 1;
          count++;
        }
      }
      return { count, keys: resultKeys, ends: resultEnds };
    },
  };
}
