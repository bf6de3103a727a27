// How the platform recognises one woman across the ledger and the hotlines without keeping an index
// of raw numbers: each phone number and ID number is turned into a keyed hash (HMAC) under a secret
// key that only the functions hold. Equal numbers give equal keys; a key reveals nothing without the
// secret, and a table dump cannot be searched with a phone book. The port; the HMAC is an adapter's.
export interface PersonKeys {
  /** The key of a mobile number in any written form (+86, spaces, dashes), or null when it is not a mobile number. */
  phone(phone: string): string | null;
  /** The key of a checked, normalised resident identity number. */
  idNumber(idNumber: string): string;
}
