// One woman across channels, the pure part: which contact is safety-related, which is a repeat, and
// what a repeat does to the urgency (raised to at least the rules', never lowered).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../shared/domain/classification/types.js';
import { isSafetyRelated, linkContact, parseContactLinkRules, raiseForRepeat, type PriorContact } from '../../../shared/domain/case/contact-links.js';
import { CHANNELS, NEEDS, URGENCIES, urgencyRank } from '../../../shared/domain/model.js';

const rules = parseContactLinkRules(JSON.parse(readFileSync('data/contact-links.json', 'utf8')));
const NOW = new Date('2026-12-04T10:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const prior = (over: Partial<PriorContact> = {}): PriorContact => ({ caseId: 'C1', reference: '261120-AAAAAA', channel: '12338', createdAt: daysAgo(10), urgency: 'urgent', safety: true, ...over });
const classification = (over: Partial<Classification> = {}): Classification => ({
  needs: [],
  urgency: 'routine',
  divisionCode: null,
  explanation: { needs: {}, urgency: [], division: 'none' },
  ...over,
});

describe('the rules file', () => {
  it('is valid as shipped: 30 days, raised to at least urgent, told on the two hotlines only', () => {
    expect(rules).toMatchObject({ repeatWindowDays: 30, repeatUrgency: 'urgent', tellChannels: ['12338', '12348'] });
  });
  it('refuses to tell the public web form, and says where a value is wrong', () => {
    expect(() => parseContactLinkRules({ ...rules, tellChannels: ['web'] })).toThrow(/tellChannels: the public web form/);
    expect(() => parseContactLinkRules({ ...rules, repeatWindowDays: 0 })).toThrow(/repeatWindowDays/);
    expect(() => parseContactLinkRules({ ...rules, safetyNeeds: ['shelter'] })).toThrow(/safetyNeeds\.0/);
  });
});

describe('isSafetyRelated', () => {
  it('an emergency, a danger review, or a safety need', () => {
    expect(isSafetyRelated(classification({ urgency: 'emergency' }), false, rules)).toBe(true);
    expect(isSafetyRelated(classification(), true, rules)).toBe(true);
    expect(isSafetyRelated(classification({ needs: ['safety_protection'], urgency: 'urgent' }), false, rules)).toBe(true);
    expect(isSafetyRelated(classification({ needs: ['legal_aid', 'social_assistance'], urgency: 'urgent' }), false, rules)).toBe(false);
  });
});

describe('linkContact', () => {
  it('links nothing when her number has no ledger entry and no earlier case', () => {
    expect(linkContact({ prior: [] }, NOW, true, rules)).toBeUndefined();
  });

  it('a safety-related contact 10 days after a safety-related one is a repeat of it', () => {
    const links = linkContact({ prior: [prior({ caseId: 'OLD', createdAt: daysAgo(40) }), prior()] }, NOW, true, rules);
    expect(links).toEqual({
      priorCaseIds: ['C1', 'OLD'],
      priorCases: [
        { reference: '261120-AAAAAA', channel: '12338', createdAt: daysAgo(10), safety: true },
        { reference: '261120-AAAAAA', channel: '12338', createdAt: daysAgo(40), safety: true },
      ],
      repeat: true,
      repeatOf: 'C1',
    });
  });

  it('is no repeat when the earlier one was 31 days ago, was not about her safety, or this one is not', () => {
    expect(linkContact({ prior: [prior({ createdAt: daysAgo(31) })] }, NOW, true, rules)!.repeat).toBe(false);
    expect(linkContact({ prior: [prior({ safety: false })] }, NOW, true, rules)!.repeat).toBe(false);
    expect(linkContact({ prior: [prior()] }, NOW, false, rules)).toMatchObject({ repeat: false, priorCaseIds: ['C1'] });
  });

  it('links her ledger entry alone', () => {
    expect(linkContact({ personId: 'P1', prior: [] }, NOW, true, rules)).toEqual({ personId: 'P1', priorCaseIds: [], priorCases: [], repeat: false });
  });

  it('property: a repeat exactly when a safety-related earlier contact lies in the window; at most maxLinkedCases, newest first', () => {
    const contact = fc.record({
      caseId: fc.stringMatching(/^[A-Z0-9]{6}$/),
      reference: fc.constant('261120-AAAAAA'),
      channel: fc.constantFrom(...CHANNELS),
      createdAt: fc.integer({ min: 0, max: 400 * 24 }).map((h) => new Date(NOW.getTime() - h * 3_600_000).toISOString()),
      urgency: fc.constantFrom(...URGENCIES),
      safety: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(contact, { maxLength: 30 }), fc.boolean(), (contacts, safety) => {
        const links = linkContact({ prior: contacts }, NOW, safety, rules);
        if (contacts.length === 0) {
          expect(links).toBeUndefined();
          return;
        }
        const kept = [...contacts].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, rules.maxLinkedCases);
        expect(links!.priorCaseIds).toEqual(kept.map((c) => c.caseId));
        const inWindow = kept.some((c) => c.safety && NOW.getTime() - Date.parse(c.createdAt) <= rules.repeatWindowDays * 86_400_000);
        expect(links!.repeat).toBe(safety && inWindow);
      }),
      { numRuns: 300 },
    );
  });
});

describe('raiseForRepeat', () => {
  it('raises a routine contact to urgent and says why', () => {
    const raised = raiseForRepeat(classification({ needs: ['health_screening'] }), rules);
    expect(raised.urgency).toBe('urgent');
    expect(raised.explanation).toMatchObject({ urgencySource: 'repeat_contact', urgency: ['repeat safety-related contact'] });
    expect(raised.needs).toEqual(['health_screening']);
  });

  it('property: never lowers, never touches needs or division', () => {
    fc.assert(
      fc.property(fc.constantFrom(...URGENCIES), fc.constantFrom(...URGENCIES), fc.subarray([...NEEDS]), (urgency, floor, needs) => {
        const before = classification({ urgency, needs });
        const after = raiseForRepeat(before, { repeatUrgency: floor });
        expect(urgencyRank(after.urgency)).toBe(Math.max(urgencyRank(urgency), urgencyRank(floor)));
        expect(after.needs).toEqual(needs);
        expect(after.divisionCode).toBe(before.divisionCode);
        if (urgencyRank(urgency) >= urgencyRank(floor)) expect(after).toBe(before);
      }),
    );
  });
});
