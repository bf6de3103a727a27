// `npm run token -- --role <caseworker|supervisor|coordinator|admin> [--department <code>] [--division <code>]`
// prints a development bearer token for the local API (never accepted by a deployed stack).
import { parseArgs } from 'node:util';
import { DEPARTMENTS } from '../shared/domain/model.js';
import { ROLES, type Role } from '../shared/http/auth/principal.js';
import { mintDevToken } from '../local/dev-jwt.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    department: { type: 'string' },
    division: { type: 'string' },
    sub: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
});

const fail = (msg: string): never => {
  console.error(`${msg}\nusage: npm run token -- --role <${ROLES.join('|')}> [--department <${DEPARTMENTS.join('|')}>] [--division <six-digit code>]`);
  process.exit(2);
};

if (!values.role || !(ROLES as readonly string[]).includes(values.role)) fail('--role is required');
if (values.department && !(DEPARTMENTS as readonly string[]).includes(values.department) && values.department !== 'manual_triage') fail(`unknown department ${values.department}`);
if (values.division && !/^\d{6}$/.test(values.division)) fail('--division must be a six-digit GB/T 2260 code');
if ((values.role === 'caseworker' || values.role === 'supervisor') && (!values.department || !values.division)) fail(`a ${values.role} needs --department and --division`);

console.log(await mintDevToken({ role: values.role as Role, department: values.department, division: values.division, sub: values.sub }, Number(values.hours) * 3600));
