// What the function bundles use in place of shared/config/classifier-from-source.ts. A function's
// package carries the prebuilt classifier its bundling wrote (data/generated/) and not the lexicon:
// there is nothing to compile from, and the compiler is not in the code.
import type { Classifier } from '../domain/classification/types.js';

export function classifierFromSource(): Classifier {
  throw new Error('no usable prebuilt classifier in data/generated/ beside this function, and no lexicon to compile: bundle the function again');
}
