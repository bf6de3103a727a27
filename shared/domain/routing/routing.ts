// Routing: one referral per need to the need's lead department in the woman's division.
import * as z from 'zod/mini';
import '../validation/messages.js';
import { DEPARTMENTS, MANUAL_TRIAGE, NEEDS, type Department, type Need, type ReferralDepartment, type ReferralNeed } from '../model.js';
import type { DivisionIndex } from '../divisions/divisions.js';

// Finance funds services but receives no referrals.
const receivingDepartment = z.enum(DEPARTMENTS).check(z.refine((d) => d !== 'finance', 'finance receives no referrals'));

const needRouteSchema = z.object({
  lead: receivingDepartment,
  coDepartments: z.array(receivingDepartment),
  conditionalCoDepartments: z.optional(z.array(z.object({ department: receivingDepartment, whenTextContains: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)) }))),
});

export const routingTableSchema = z.object({
  needs: z.object(Object.fromEntries(NEEDS.map((n) => [n, needRouteSchema])) as Record<Need, typeof needRouteSchema>),
  consentOverrideNeeds: z.array(z.enum(NEEDS)).check(z.minLength(1)),
});
export type RoutingTable = z.infer<typeof routingTableSchema>;

export function parseRoutingTable(json: unknown): RoutingTable {
  const parsed = routingTableSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`data/routing.json is malformed: ${where}`);
  }
  return parsed.data;
}

/** Which queue level received the referral: the woman's county, her prefecture, or the provincial triage queue. */
export type Jurisdiction = 'county' | 'prefecture' | 'province';

export interface RoutedReferral {
  need: ReferralNeed;
  department: ReferralDepartment;
  coDepartments: Department[];
  divisionCode: string;
  jurisdiction: Jurisdiction;
}

export interface RoutingInput {
  needs: readonly Need[];
  divisionCode: string | null;
  text: string;
}

export function resolveJurisdiction(divisionCode: string | null, divisions: DivisionIndex): { divisionCode: string; jurisdiction: Jurisdiction } {
  const division = divisionCode ? divisions.get(divisionCode) : undefined;
  if (division?.level === 'county') return { divisionCode: division.code, jurisdiction: 'county' };
  if (division?.level === 'prefecture') return { divisionCode: division.code, jurisdiction: 'prefecture' };
  return { divisionCode: divisions.province.code, jurisdiction: 'province' };
}

export function route(input: RoutingInput, table: RoutingTable, divisions: DivisionIndex): RoutedReferral[] {
  const place = resolveJurisdiction(input.divisionCode, divisions);
  if (input.needs.length === 0) {
    return [{ need: MANUAL_TRIAGE, department: MANUAL_TRIAGE, coDepartments: [], ...place }];
  }
  return input.needs.map((need) => {
    const rule = table.needs[need];
    const co = new Set<Department>(rule.coDepartments);
    for (const extra of rule.conditionalCoDepartments ?? []) {
      if (extra.whenTextContains.some((term) => input.text.includes(term))) co.add(extra.department);
    }
    co.delete(rule.lead);
    return { need, department: rule.lead, coDepartments: [...co], ...place };
  });
}
