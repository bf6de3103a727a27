import { DEPARTMENTS, MANUAL_TRIAGE } from '../../../shared/domain/model.js';

/** Departments that receive referrals (finance funds services and receives none), and manual triage. */
export const RECEIVING_DEPARTMENTS: readonly string[] = [...DEPARTMENTS.filter((d) => d !== 'finance'), MANUAL_TRIAGE];
