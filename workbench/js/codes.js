// Unit codes signed in the browser, docs/code-format.md.
import { utf8 } from './bytes.js';
import { sign } from './keys.js';

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `count` distinct 12-symbol serials, 60 random bits each from crypto.getRandomValues. */
export function serials(count, taken = new Set()) {
  const out = new Set();
  const bytes = new Uint8Array(12);
  while (out.size < count) {
    crypto.getRandomValues(bytes);
    const serial = Array.from(bytes, (b) => SERIAL_ALPHABET[b & 31]).join('');
    if (!taken.has(serial)) out.add(serial);
  }
  return [...out];
}

/** The signed message of code-format.md §Signed message. */
export const message = (kid, gtin, lot, serial) => utf8(`yima-code/1\nkey ${kid}\n01 ${gtin}\n10 ${lot}\n21 ${serial}\n`);

/** The `s` value: version 1, short key id (10 digits), signature (155 digits). */
export function sValue(kid, signature) {
  const shortKid = String(parseInt(kid.slice(0, 8), 16)).padStart(10, '0');
  let n = 0n;
  for (const b of signature) n = (n << 8n) | BigInt(b);
  return '1' + shortKid + n.toString().padStart(155, '0');
}

/** The printed code: upper-case host, then the Digital Link path and `?s=`. */
export function codeURL(origin, gtin, lot, serial, s) {
  const url = new URL(origin);
  return `${url.protocol}//${url.host.toUpperCase()}/01/${gtin}/10/${lot}/21/${serial}?s=${s}`;
}

/** Signs one code per serial, 256 at a time so WebCrypto can overlap them;
 *  `progress(done)` is called after each group. Each code comes with its serial and
 *  64-byte signature, for the issuance's `units_root` (commitment.js). */
export async function signCodes(key, origin, gtin, lot, list, progress = () => {}) {
  const codes = [];
  for (let at = 0; at < list.length; at += 256) {
    const group = list.slice(at, at + 256);
    const signatures = await Promise.all(group.map((serial) => sign(key, message(key.kid, gtin, lot, serial))));
    group.forEach((serial, i) => codes.push({ serial, signature: signatures[i], code: codeURL(origin, gtin, lot, serial, sValue(key.kid, signatures[i])) }));
    progress(codes.length);
  }
  return codes;
}

/** GS1 mod-10 check digit over the digits before it (GS1 General Specifications §7.9.1). */
export function gs1CheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

export const validGTIN = (gtin) => /^[0-9]{14}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, 13)) === gtin[13];
