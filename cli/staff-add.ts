// `npm run staff:add -- --pool <UserPoolId> --email <address> --role <role> [--department <code>] [--division <code>] [--region <region>]`
// creates a staff account in the deployed Cognito pool (output UserPoolId of the stateful stack):
// AWS e-mails her a temporary password; at her first sign-in she sets her own and her TOTP app.
// Her role is a group and her department and division are attributes only administrators write,
// which is all the API trusts (docs/deploy.md). Needs AWS credentials allowed to administer the pool.
import { AdminAddUserToGroupCommand, AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { parseArgs } from 'node:util';
import { loadDivisions } from '../shared/config/data-files.js';
import { DEPARTMENTS, MANUAL_TRIAGE } from '../shared/domain/model.js';
import { ROLES } from '../shared/http/auth/principal.js';

export interface StaffAccount {
  pool: string;
  email: string;
  role: (typeof ROLES)[number];
  department?: string;
  division?: string;
}

/** What is wrong with an account's fields (empty when nothing is). */
export function staffAccountProblems(a: Partial<Record<keyof StaffAccount, string>>): string[] {
  const problems: string[] = [];
  if (!a.pool || !/^[\w-]+_[0-9a-zA-Z]+$/.test(a.pool)) problems.push('--pool: the UserPoolId output of the stateful stack (<region>_<id>)');
  if (!a.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email)) problems.push('--email: her e-mail address (her user name; the temporary password goes there)');
  if (!a.role || !(ROLES as readonly string[]).includes(a.role)) problems.push(`--role: one of ${ROLES.join(', ')}`);
  if (a.department && ![...DEPARTMENTS, MANUAL_TRIAGE].includes(a.department as never)) problems.push('--department: a department code (docs/taxonomy.md)');
  if (a.division && !loadDivisions().get(a.division)) problems.push('--division: a six-digit GB/T 2260 code of the province');
  if ((a.role === 'caseworker' || a.role === 'supervisor') && (!a.department || !a.division)) problems.push(`a ${a.role} needs --department and --division`);
  if (a.role === 'coordinator' && !a.division) problems.push('a coordinator needs --division (the province code for the provincial coordinator)');
  return problems;
}

/** The two calls that create her account: the user with her attributes, then her role group. */
export function staffAccountCommands(a: StaffAccount) {
  return [
    new AdminCreateUserCommand({
      UserPoolId: a.pool,
      Username: a.email,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: a.email },
        { Name: 'email_verified', Value: 'true' },
        ...(a.department ? [{ Name: 'custom:department', Value: a.department }] : []),
        ...(a.division ? [{ Name: 'custom:division', Value: a.division }] : []),
      ],
    }),
    new AdminAddUserToGroupCommand({ UserPoolId: a.pool, Username: a.email, GroupName: a.role }),
  ] as const;
}

export async function addStaff(client: CognitoIdentityProviderClient, a: StaffAccount): Promise<void> {
  const [create, group] = staffAccountCommands(a);
  await client.send(create);
  await client.send(group);
}

const isMain = process.argv[1]?.endsWith('staff-add.ts');
if (isMain) {
  const { values } = parseArgs({
    options: { pool: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, division: { type: 'string' }, region: { type: 'string' } },
  });
  const problems = staffAccountProblems(values);
  if (problems.length) {
    console.error(
      `${problems.join('\n')}\nusage: npm run staff:add -- --pool <UserPoolId> --email <address> --role <${ROLES.join('|')}> [--department <code>] [--division <code>] [--region <region>]`,
    );
    process.exit(2);
  }
  const region = values.region ?? values.pool!.split('_')[0];
  try {
    await addStaff(new CognitoIdentityProviderClient({ region }), values as StaffAccount);
    console.log(
      `created: ${values.email} (${values.role}${values.department ? `, ${values.department}` : ''}${values.division ? `, ${values.division}` : ''}); a temporary password was e-mailed to her`,
    );
  } catch (err) {
    console.error(`not created: ${(err as Error).name}`);
    process.exit(1);
  }
}
