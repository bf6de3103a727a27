// Who receives a staff SMS, from the duty rosters along the division chain (division → prefecture →
// province). Pure and deterministic: the caller passes the rosters it read and an on-duty test.
//
// Rules (see docs/notifications.md):
// - routine, reminder: the on-duty caseworkers of the first level of the chain that has any.
//   A routine referral with nobody on duty anywhere texts nobody: it waits in the department's
//   queue and the escalation reminders follow. A reminder with nobody on duty goes to the first
//   supervisor of the chain, so that it reaches a person.
// - urgent, coordinator: as routine, but with nobody on duty the first supervisor of the chain.
// - emergency: the on-duty caseworkers of the first level that has any, AND the supervisor of
//   every level visited up to there; when none of those levels has a supervisor, the first
//   supervisor further up. With nobody on duty anywhere: every supervisor of the chain.
// - supervisor (level-2 督办): the first supervisor of the chain.
// - provincial (level-3 督办, twice returned): the chain is the provincial coordinators' roster;
//   its on-duty members and its supervisor.
// One SMS per phone number: a person listed twice (or two ids with one phone) is texted once.
import type { Caseworker, Supervisor } from '../roster/roster.js';

export type Audience = 'routine' | 'urgent' | 'emergency' | 'reminder' | 'supervisor' | 'coordinator' | 'provincial';

export interface RosterLevel {
  divisionCode: string;
  department: string;
  roster?: { caseworkers: readonly Caseworker[]; supervisor?: Supervisor | null } | undefined;
}

export interface StaffRecipient {
  id: string;
  role: 'caseworker' | 'supervisor';
  department: string;
  divisionCode: string;
  /** Held in memory only, to send; never stored, logged or put in an event. */
  phone: string;
}

export function selectRecipients(audience: Audience, chain: readonly RosterLevel[], onDuty: (c: Caseworker) => boolean): StaffRecipient[] {
  const cw = (level: RosterLevel, c: Caseworker): StaffRecipient => ({ id: c.id, role: 'caseworker', department: level.department, divisionCode: level.divisionCode, phone: c.phone });
  const sup = (level: RosterLevel): StaffRecipient | undefined =>
    level.roster?.supervisor ? { id: level.roster.supervisor.id, role: 'supervisor', department: level.department, divisionCode: level.divisionCode, phone: level.roster.supervisor.phone } : undefined;
  const onDutyAt = (level: RosterLevel) => (level.roster?.caseworkers ?? []).filter(onDuty).map((c) => cw(level, c));
  const firstOnDuty = (): { index: number; people: StaffRecipient[] } | undefined => {
    for (let i = 0; i < chain.length; i++) {
      const people = onDutyAt(chain[i]!);
      if (people.length > 0) return { index: i, people };
    }
    return undefined;
  };
  const firstSupervisor = (from = 0): StaffRecipient[] => {
    for (let i = from; i < chain.length; i++) {
      const s = sup(chain[i]!);
      if (s) return [s];
    }
    return [];
  };

  let out: StaffRecipient[];
  switch (audience) {
    case 'routine':
      out = firstOnDuty()?.people ?? [];
      break;
    case 'urgent':
    case 'coordinator':
    case 'reminder':
      out = firstOnDuty()?.people ?? firstSupervisor();
      break;
    case 'supervisor':
      out = firstSupervisor();
      break;
    case 'emergency':
    case 'provincial': {
      const found = firstOnDuty();
      const visited = found ? found.index + 1 : chain.length;
      const supervisors = chain
        .slice(0, visited)
        .map(sup)
        .filter((s): s is StaffRecipient => s !== undefined);
      out = [...(found?.people ?? []), ...(supervisors.length > 0 ? supervisors : firstSupervisor(visited))];
      break;
    }
  }
  return dedupe(out);
}

/** A recipient's key in delivery records: roster ids are unique within one roster, so qualify them. */
export const recipientKey = (p: Pick<StaffRecipient, 'id' | 'department' | 'divisionCode'>) => `${p.divisionCode}/${p.department}/${p.id}`;

/** Keeps the first occurrence of each person and of each phone number (compared without separators and +86). */
export function dedupe(people: readonly StaffRecipient[]): StaffRecipient[] {
  const keys = new Set<string>();
  const phones = new Set<string>();
  const out: StaffRecipient[] = [];
  for (const p of people) {
    const phone = p.phone.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
    if (keys.has(recipientKey(p)) || phones.has(phone)) continue;
    keys.add(recipientKey(p));
    phones.add(phone);
    out.push(p);
  }
  return out;
}

/** The audience of a new or re-routed referral, by urgency. */
export const audienceForUrgency = (urgency: 'emergency' | 'urgent' | 'routine'): Audience => urgency;
