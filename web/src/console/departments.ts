// The departments a console lists: the domain's catalogue (shared/domain/model.ts), not a copy.
export { RECEIVING_DEPARTMENTS } from '../../../shared/domain/model.js';
