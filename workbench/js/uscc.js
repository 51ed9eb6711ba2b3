// 统一社会信用代码 (GB 32100-2015), as records.md §Party checks it.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The expected check character for the first 17 characters. */
export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** null when valid, else a reason key: 'length', 'character', 'authority', 'type',
 *  'division' or 'check' (with the expected character). */
export function validate(code) {
  if (code.length !== 18) return { reason: 'length' };
  for (const c of code) if (!ALPHABET.includes(c)) return { reason: 'character', character: c };
  if (!'123456789ANY'.includes(code[0])) return { reason: 'authority' };
  if (!'123456789'.includes(code[1])) return { reason: 'type' };
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return { reason: 'division' };
  const expected = checkCharacter(code);
  return code[17] === expected ? null : { reason: 'check', expected };
}
