// npm run staff:add: the exact calls to the Cognito pool (no local engine for Cognito, so a mock that
// checks the commands sent), and the fields it refuses before calling anything.
import { AdminAddUserToGroupCommand, AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { addStaff, staffAccountProblems } from '../../../cli/staff-add.js';

const POOL = 'ap-northeast-1_AbC123xyz';

describe('staff:add', () => {
  // The unit project shares modules between files: each mock is undone after its test.
  let undo: (() => void)[] = [];
  afterEach(() => {
    for (const u of undo) u();
    undo = [];
  });
  it('creates her with her department and division as attributes, then puts her in her role group', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    undo.push(() => cognito.restore());
    cognito.on(AdminCreateUserCommand).resolves({}).on(AdminAddUserToGroupCommand).resolves({});
    await addStaff(new CognitoIdentityProviderClient({ region: 'ap-northeast-1' }), { pool: POOL, email: 'li@example.org', role: 'caseworker', department: 'justice', division: '220182' });
    const calls = cognito.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);
    expect(calls).toEqual([
      [
        'AdminCreateUserCommand',
        {
          UserPoolId: POOL,
          Username: 'li@example.org',
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [
            { Name: 'email', Value: 'li@example.org' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'custom:department', Value: 'justice' },
            { Name: 'custom:division', Value: '220182' },
          ],
        },
      ],
      ['AdminAddUserToGroupCommand', { UserPoolId: POOL, Username: 'li@example.org', GroupName: 'caseworker' }],
    ]);
    cognito.restore();
  });

  it('refuses what the API would not accept, naming each flag', () => {
    expect(staffAccountProblems({ pool: POOL, email: 'li@example.org', role: 'caseworker', department: 'justice', division: '220182' })).toEqual([]);
    expect(staffAccountProblems({ pool: POOL, email: 'li@example.org', role: 'coordinator', division: '220000' })).toEqual([]);
    expect(staffAccountProblems({ pool: 'x', email: 'li', role: 'boss' }).join('\n')).toMatch(/--pool[\s\S]*--email[\s\S]*--role/);
    expect(staffAccountProblems({ pool: POOL, email: 'li@example.org', role: 'caseworker', department: 'justice' })).toEqual(['a caseworker needs --department and --division']);
    expect(staffAccountProblems({ pool: POOL, email: 'li@example.org', role: 'supervisor', department: 'police', division: '999999' })).toHaveLength(2);
    expect(staffAccountProblems({ pool: POOL, email: 'li@example.org', role: 'coordinator' })).toHaveLength(1);
  });
});
