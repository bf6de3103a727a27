export * from './actions.js';
export * from './case-triage.js';
export * from './change.js';
export * from './errors.js';
export * from './escalation.js';
export * from './ports.js';
export * from './queue.js';
export * from './view-case.js';
