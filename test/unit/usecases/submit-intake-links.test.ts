// The intake use case linking a contact to her ledger entry and earlier cases, through in-memory
// ports: a repeat is raised and told to hotline operators only; a lookup that fails or hangs never
// costs her the intake.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord, NewCase, ReferralRecord } from '../../../shared/domain/case/case.js';
import type { ContactMatch, PriorContact } from '../../../shared/domain/case/contact-links.js';
import { parseContactLinkRules } from '../../../shared/domain/case/contact-links.js';
import { from12338, from12348, fromWeb, hotline12338Schema, hotline12348Schema, webIntakeSchema, type CanonicalIntake } from '../../../shared/domain/intake/schemas.js';
import { contactDirectory, intakeDependencies } from '../../../shared/config/intake.js';
import { readJsonDataFile } from '../../../shared/config/data-files.js';
import { submitIntake, type CaseStore, type ContactDirectory, type IntakeDependencies } from '../../../shared/usecases/submit-intake.js';
import type { DynamoCaseRepository } from '../../../shared/adapters/dynamo/case-repository.js';
import { hmacPersonKeys } from '../../../shared/adapters/person-keys.js';
import { checkIdNumber } from '../../../shared/domain/ledger/id-number.js';

/** Cases by id, and link items by key: the store's contract for the intake (one whole case, or a duplicate). */
class InMemoryCases implements CaseStore {
  readonly cases = new Map<string, NewCase>();
  readonly byExternal = new Map<string, { caseId: string; fingerprint: string }>();
  readonly links = new Map<string, PriorContact[]>();
  ledger = new Map<string, string>();

  async saveNewCase(created: NewCase, fingerprint: string) {
    const ext = `${created.case.channel}#${created.case.externalId}`;
    const seen = this.byExternal.get(ext);
    if (seen) return { outcome: 'duplicate' as const, ...seen };
    this.byExternal.set(ext, { caseId: created.case.caseId, fingerprint });
    this.cases.set(created.case.caseId, structuredClone(created));
    for (const key of created.contactLink?.keys ?? []) {
      const c = created.case;
      const list = this.links.get(key) ?? [];
      list.push({ caseId: c.caseId, reference: c.reference, channel: c.channel, createdAt: c.createdAt, urgency: c.classification.urgency, safety: created.contactLink!.safety });
      this.links.set(key, list);
    }
    return { outcome: 'created' as const };
  }

  async getCase(caseId: string): Promise<{ case: CaseRecord; referrals: ReferralRecord[] } | null> {
    const c = this.cases.get(caseId);
    return c ? { case: c.case, referrals: c.referrals } : null;
  }

  directory(): ContactDirectory {
    return {
      keysOf: async ({ phone, idNumber }) => {
        const p = phone ? KEYS.phone(phone) : null;
        const id = idNumber ? checkIdNumber(idNumber, new Date()) : undefined;
        return [...(p ? [`phone#${p}`] : []), ...(id?.ok ? [`id#${KEYS.idNumber(id.idNumber)}`] : [])];
      },
      find: async (key, limit): Promise<ContactMatch> => ({
        ...(this.ledger.has(key) ? { personId: this.ledger.get(key)! } : {}),
        prior: [...(this.links.get(key) ?? [])].reverse().slice(0, limit),
      }),
    };
  }
}

const PHONE = '13811112222';
/** A valid resident ID number (GB 11643 check character X). */
const ID_NUMBER = '22072219850612008X';
// The real keyed hash (a landline has none), under a test key.
const KEYS = hmacPersonKeys(new TextEncoder().encode('unit-test-person-key-0123456789abcdef'));
let seq = 0;
const call = (summary: string, phone = PHONE): CanonicalIntake =>
  from12338(
    hotline12338Schema.parse({
      callId: `call-${++seq}`,
      receivedAt: '2026-12-01T10:00:00+08:00',
      operatorId: 'op-1',
      summary,
      caller: { phone },
      location: { divisionCode: '222403' },
      consent: { shareWithDepartments: true },
    }),
  );
const ticket = (content: string, mobile = PHONE): CanonicalIntake =>
  from12348(hotline12348Schema.parse({ ticketNo: `T-${++seq}`, createdTime: '2026-12-01 10:00:00', content, areaCode: '222403', applicant: { mobile }, agreeTransfer: true }));
const web = (description: string, phone = PHONE): CanonicalIntake =>
  fromWeb(webIntakeSchema.parse({ clientRequestId: `web-request-${++seq}`, description, divisionCode: '222403', phone, consent: { shareWithDepartments: true } }), new Date());

const KNIFE = '来电人称丈夫喝了酒拿着刀说要砍死她，她现在躲在邻居家里，人还在门外。敦化市。';
// Flagged by the danger screen, not an emergency to the classifier (as in test/integration/emergency-triage.test.ts).
const HEART = '来电人说她心口一阵阵发紧，说不清哪里不舒服，家里就她一个。敦化市。';
const LAND = '咨询人反映村委会把她家的承包地收回转包给别人，也不给补偿，想知道怎么维权。敦化市。';

let base: IntakeDependencies;
beforeAll(() => {
  process.env.TABLE_NAME ??= 'unit-no-table';
  base = intakeDependencies();
});

const world = (now = () => new Date()) => {
  const store = new InMemoryCases();
  const failures: unknown[] = [];
  const deps: IntakeDependencies = {
    ...base,
    store,
    now,
    contacts: store.directory(),
    contactLinks: parseContactLinkRules(readJsonDataFile('contact-links.json')),
    onContactLookupFailed: (err) => failures.push(err),
  };
  const submit = async (intake: CanonicalIntake, d: IntakeDependencies = deps) => {
    const r = await submitIntake(intake, `fp-${intake.externalId}`, d);
    if (r.kind !== 'created') throw new Error(`expected a new case, got ${r.kind}`);
    return { receipt: r.receipt, stored: store.cases.get(r.receipt.caseId)! };
  };
  return { store, deps, failures, submit };
};

describe('linking a contact to her earlier cases', () => {
  it('a 12348 ticket from the number of a 12338 call (written +86 with spaces) is linked to it; the operator sees its reference, never its words', async () => {
    const w = world();
    const first = await w.submit(call(KNIFE));
    const second = await w.submit(ticket(LAND, '+86 138 1111 2222'));
    expect(second.stored.case.links).toEqual({
      priorCaseIds: [first.receipt.caseId],
      priorCases: [{ reference: first.receipt.reference, channel: '12338', createdAt: first.stored.case.createdAt, safety: true }],
      repeat: false,
    });
    expect(second.receipt.linkedCases).toEqual({ repeat: false, priorCases: second.stored.case.links!.priorCases });
    expect(second.receipt.operatorActions.map((a) => a.code)).toContain('prior_contact');
    expect(JSON.stringify(second.receipt)).not.toContain('砍死');
    expect(second.stored.case.contactKeys).toEqual([`phone#${KEYS.phone(PHONE)}`]);
    expect(second.stored.case.contactKeys![0]).not.toContain('13811112222');
    // The created event says how many and whether a repeat: ids and counts, never the number.
    expect(second.stored.events[0]!.details).toMatchObject({ priorCases: 1, repeat: false, inLedger: false });
  });

  it('a second safety-related contact within 30 days is a repeat: raised from routine to urgent and told to the operator', async () => {
    const w = world();
    const first = await w.submit(call(KNIFE));
    const second = await w.submit(call(HEART));
    expect(second.receipt.dangerReview?.status).toBe('pending');
    expect(second.receipt.urgency).toBe('urgent');
    expect(second.stored.case.classification.explanation.urgencySource).toBe('repeat_contact');
    expect(second.stored.case.links).toMatchObject({ repeat: true, repeatOf: first.receipt.caseId });
    expect(second.receipt.linkedCases?.repeat).toBe(true);
    expect(second.receipt.operatorActions.map((a) => a.code)).toEqual(expect.arrayContaining(['danger_review', 'repeat_contact']));
    expect(second.receipt.operatorActions.map((a) => a.code)).not.toContain('prior_contact');
    // Its deadlines are an urgent referral's.
    expect(second.stored.referrals.every((r) => r.urgency === 'urgent')).toBe(true);
  });

  it('is no repeat 31 days later: the same text stays as the classifier and the screen left it', async () => {
    let now = new Date('2026-10-01T02:00:00Z');
    const w = world(() => now);
    await w.submit(call(KNIFE));
    now = new Date(now.getTime() + 31 * 86_400_000);
    const later = await w.submit(call(HEART));
    const alone = await world(() => now).submit(call(HEART, '13900001111'));
    expect(later.stored.case.links).toMatchObject({ repeat: false });
    expect(later.receipt.urgency).toBe(alone.receipt.urgency);
    expect(later.stored.case.classification.explanation.urgencySource).not.toBe('repeat_contact');
  });

  it('the public web form is linked and raised too, but its response says nothing of her earlier cases', async () => {
    const w = world();
    const first = await w.submit(call(KNIFE));
    const posted = await w.submit(web(HEART));
    expect(posted.stored.case.links).toMatchObject({ repeat: true, repeatOf: first.receipt.caseId });
    expect(posted.receipt.urgency).not.toBe('routine');
    expect(posted.receipt.linkedCases).toBeUndefined();
    expect(posted.receipt.operatorActions.map((a) => a.code)).not.toEqual(expect.arrayContaining(['repeat_contact']));
    expect(posted.receipt.operatorActions.map((a) => a.code)).not.toContain('prior_contact');
    expect(JSON.stringify(posted.receipt)).not.toContain(first.receipt.reference);
  });

  it('her ID number links a 12348 ticket without a phone to her 12338 call; it is never stored, and a wrong one links nothing and refuses nothing', async () => {
    const w = world();
    const first = await w.submit({ ...call(KNIFE), identity: { idNumber: ID_NUMBER } });
    expect(first.stored.case.contactKeys).toEqual([`phone#${KEYS.phone(PHONE)}`, `id#${KEYS.idNumber(ID_NUMBER)}`]);
    const byId = await w.submit({ ...ticket(LAND), person: {}, identity: { idNumber: ID_NUMBER.toLowerCase() } });
    expect(byId.stored.case.links).toMatchObject({ priorCaseIds: [first.receipt.caseId] });
    for (const r of [first, byId]) expect(JSON.stringify(r.stored)).not.toContain(ID_NUMBER.slice(0, 14));
    const wrong = await w.submit({ ...ticket(LAND), person: {}, identity: { idNumber: '220722198506120021' } });
    expect(wrong.receipt.caseId).toBeTruthy();
    expect(wrong.stored.case.links).toBeUndefined();
    // From the hotline bodies, the ID number never reaches the case's person.
    const parsed = from12338(
      hotline12338Schema.parse({
        callId: 'c-id',
        receivedAt: '2026-12-01T10:00:00+08:00',
        operatorId: 'op',
        summary: KNIFE,
        caller: { phone: PHONE, idNumber: ID_NUMBER },
        consent: { shareWithDepartments: true },
      }),
    );
    expect(parsed.person).toEqual({ phone: PHONE });
    expect(parsed.identity).toEqual({ idNumber: ID_NUMBER });
    expect(from12348(hotline12348Schema.parse({ ticketNo: 'T-id', createdTime: '2026-12-01 10:00:00', content: LAND, applicant: { idNumber: ID_NUMBER }, agreeTransfer: true })).identity).toEqual({
      idNumber: ID_NUMBER,
    });
  });

  it('her ledger entry is linked by her number', async () => {
    const w = world();
    w.store.ledger.set(`phone#${KEYS.phone(PHONE)}`, 'PERSON-1');
    const { stored, receipt } = await w.submit(ticket(LAND));
    expect(stored.case.links).toEqual({ personId: 'PERSON-1', priorCaseIds: [], priorCases: [], repeat: false });
    expect(receipt.linkedCases).toBeUndefined();
    expect(receipt.operatorActions.map((a) => a.code)).not.toContain('prior_contact');
  });

  it('a smoke test, a landline and a contact without a number are never linked', async () => {
    const w = world();
    await w.submit(call(KNIFE));
    const smoke = await w.submit({ ...call(HEART), test: true });
    const landline = await w.submit(call(HEART, '0433-1234567'));
    const anonymous = await w.submit({ ...call(HEART), person: {} });
    for (const r of [smoke, landline, anonymous]) {
      expect(r.stored.case.links).toBeUndefined();
      expect(r.stored.case.contactKeys).toBeUndefined();
    }
  });
});

describe('when the lookup fails', () => {
  it('a failing directory: the case is recorded unlinked, whole, and the failure reported', async () => {
    const w = world();
    const down: ContactDirectory = { keysOf: async () => Promise.reject(new Error('AccessDeniedException')), find: async () => ({ prior: [] }) };
    const { receipt, stored } = await w.submit(call(KNIFE), { ...w.deps, contacts: down });
    expect(receipt.urgency).toBe('emergency');
    expect(stored.referrals.length).toBeGreaterThan(0);
    expect(stored.case.links).toBeUndefined();
    expect(w.failures).toHaveLength(1);
  });

  it('a person key that never comes is waited for at most the bound, then the intake goes on', async () => {
    const w = world();
    const never = contactDirectory({ findContacts: async () => ({ prior: [] }) } as unknown as DynamoCaseRepository, () => new Promise(() => {}), 50);
    const started = Date.now();
    const { receipt } = await w.submit(call(KNIFE), { ...w.deps, contacts: never });
    expect(receipt.urgency).toBe('emergency');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(String(w.failures[0])).toMatch(/not read in time/);
  });
});
