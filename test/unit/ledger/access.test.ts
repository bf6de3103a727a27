// Who may do what with the county ledger: the matrix written out here on its own, so that a change to
// the policy that was not meant shows up as a failure.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../shared/domain/access/policy.js';
import { authorizeLedger, LEDGER_ACTIONS, type LedgerAction } from '../../../shared/domain/ledger/access.js';

const COUNTY = { divisionCode: '220722' }; // 长岭县, in 松原市 (2207)
const OTHER_COUNTY = { divisionCode: '220102' };

const personas: Record<string, Actor> = {
  'ledger officer of the county': { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220722' },
  'ledger officer of the prefecture': { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220700' },
  'provincial ledger officer': { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220000' },
  'ledger officer of another county': { role: 'ledger_officer', department: 'civil_affairs', divisionCode: '220102' },
  'civil affairs caseworker of the county': { role: 'caseworker', department: 'civil_affairs', divisionCode: '220722' },
  "women's federation supervisor of the county": { role: 'supervisor', department: 'womens_federation', divisionCode: '220722' },
  'justice caseworker of the county': { role: 'caseworker', department: 'justice', divisionCode: '220722' },
  'coordinator of the county': { role: 'coordinator', department: null, divisionCode: '220722' },
  admin: { role: 'admin', department: null, divisionCode: null },
};

// persona → actions allowed on a record of the county (everything else is refused).
const allowed: Record<string, LedgerAction[]> = {
  'ledger officer of the county': ['register', 'read', 'update', 'exit', 'visit', 'count'],
  'ledger officer of the prefecture': ['register', 'read', 'update', 'exit', 'visit', 'count'],
  'provincial ledger officer': ['register', 'read', 'update', 'exit', 'visit', 'count'],
  'ledger officer of another county': [],
  'civil affairs caseworker of the county': ['read', 'count'],
  "women's federation supervisor of the county": ['read', 'count'],
  'justice caseworker of the county': [],
  'coordinator of the county': [],
  admin: ['count'],
};

describe('the ledger access policy', () => {
  for (const [name, actor] of Object.entries(personas)) {
    it(`${name}: ${allowed[name]!.join(', ') || 'nothing'}`, () => {
      for (const action of LEDGER_ACTIONS) expect(authorizeLedger(actor, action, COUNTY).allowed, action).toBe(allowed[name]!.includes(action));
    });
  }

  it('says why: the role, or the division', () => {
    expect(authorizeLedger(personas['justice caseworker of the county']!, 'read', COUNTY)).toEqual({ allowed: false, reason: 'role_not_permitted' });
    expect(authorizeLedger(personas['civil affairs caseworker of the county']!, 'update', COUNTY)).toEqual({ allowed: false, reason: 'role_not_permitted' });
    expect(authorizeLedger(personas['ledger officer of the county']!, 'read', OTHER_COUNTY)).toEqual({ allowed: false, reason: 'outside_division' });
  });
});
