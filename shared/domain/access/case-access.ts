// Who may see a case: the caseworkers and supervisors of a department it is referred to, in that
// referral's division; the coordinators of a division it is referred to (or of a division that
// contains it); provincial coordinators and admins see all. The full role × action policy is in
// policy.ts; this module keeps the names the intake code imports.
export { canViewCase, isProvincial, type Actor, type ReferralScope } from './policy.js';
