// A small Aho–Corasick automaton over UTF-16 code units: every key of the lexicon is found in
// one left-to-right pass, whatever the number of keys, so the cost per text does not grow with
// the lexicon.

export interface Automaton {
  /** Number of distinct keys. */
  readonly size: number;
  /**
   * Calls onMatch(keyIndex, end) for every occurrence of every key; end is exclusive.
   * Occurrences come in order of their end position.
   */
  scan(text: string, onMatch: (keyIndex: number, end: number) => void): void;
}

/** Builds the automaton; keys[i] is reported as keyIndex i. Empty keys are not allowed. */
export function buildAutomaton(keys: readonly string[]): Automaton {
  const next: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length === 0) throw new Error('automaton: empty key');
    let node = 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = next[node]!.get(c);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        own.push([]);
        next[node]!.set(c, child);
      }
      node = child;
    }
    own[node]!.push(k);
  }

  // Breadth-first: failure link = longest proper suffix that is also a trie path;
  // output link = nearest node on the failure chain that ends a key.
  const fail = new Int32Array(next.length);
  const outLink = new Int32Array(next.length).fill(-1);
  const queue: number[] = [];
  for (const child of next[0]!.values()) queue.push(child);
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const [c, child] of next[node]!) {
      let f = fail[node]!;
      while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
      const target = next[f]!.get(c);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const fc = fail[child]!;
      outLink[child] = own[fc]!.length > 0 ? fc : outLink[fc]!;
      queue.push(child);
    }
  }

  // Flatten per-node outputs for a tight scan loop.
  const outputs: (readonly number[] | null)[] = own.map((o) => (o.length > 0 ? o : null));

  return {
    size: keys.length,
    scan(text, onMatch) {
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let child = next[node]!.get(c);
        while (child === undefined && node !== 0) {
          node = fail[node]!;
          child = next[node]!.get(c);
        }
        node = child ?? 0;
        for (let n = outputs[node] ? node : outLink[node]!; n > 0; n = outLink[n]!) {
          const out = outputs[n]!;
          for (let j = 0; j < out.length; j++) onMatch(out[j]!, i + 1);
        }
      }
    },
  };
}
