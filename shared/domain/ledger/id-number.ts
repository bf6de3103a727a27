// The resident identity card number (公民身份号码, GB 11643-1999): six digits of the issuing
// division, the birth date (YYYYMMDD), a three-digit sequence and a check character computed over
// the first seventeen (ISO 7064 MOD 11-2; "X" stands for 10). Pure. The ledger never stores the
// number: only a keyed hash (to find her again) and its last four characters (to read back to her).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

export type IdNumberResult = { ok: true; idNumber: string; last4: string; birthYear: number } | { ok: false; problem: IdNumberProblem };

/** The check character of the first seventeen digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Checks a number as written by a township officer (spaces allowed, a lower-case x accepted) and
 * returns it normalised. `today` bounds the birth date: no one is registered before she is born.
 */
export function checkIdNumber(raw: string, today: Date): IdNumberResult {
  const id = raw.replace(/\s/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = Date.UTC(y, m - 1, d);
  const back = new Date(birth);
  if (y < 1900 || back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d || birth > today.getTime()) return { ok: false, problem: 'birth_date' };
  if (idCheckCharacter(id) !== id[17]) return { ok: false, problem: 'check_digit' };
  return { ok: true, idNumber: id, last4: id.slice(-4), birthYear: y };
}

/** What an officer reads when a number is refused (Chinese first, English for integrators). */
export const ID_NUMBER_MESSAGES: Record<IdNumberProblem, string> = {
  format: '身份证号应为18位，最后一位可以是X (18 characters, the last may be X)',
  birth_date: '身份证号中的出生日期不对 (the birth date in the number is not a real past date)',
  check_digit: '身份证号校验位不对，请核对 (the check character does not match: a digit was mistyped)',
};
