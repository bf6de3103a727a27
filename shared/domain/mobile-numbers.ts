// Mobile numbers, as the roster, the ledger and the intake's contact keys compare them. A module of
// its own, with no schema in it: the functions that only normalise a number (the intake's keyed
// hash of her phone) do not build the roster's or the ledger's schemas at every cold start.

/** Mainland mobile → +86…; E.164 stays; anything else (landlines, junk) → null. Separators are ignored. */
export function normalizeMobile(phone: string): string | null {
  const compact = phone.replace(/[\s-]/g, '');
  const cn = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(compact);
  if (cn) return `+86${cn[1]}`;
  if (/^\+[1-9]\d{7,14}$/.test(compact) && !compact.startsWith('+86')) return compact;
  return null;
}
