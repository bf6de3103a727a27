// The referral lifecycle: states, transitions, queue and deadline placement. Pure TypeScript.
export * from './referral.js';
export * from './transitions.js';
export * from './placement.js';
