// The referral lifecycle: states, transitions, queue and deadline placement, retention of closed cases. Pure TypeScript.
export * from './referral.js';
export * from './catalogue.js';
export * from './transitions.js';
export * from './placement.js';
export * from './retention.js';
