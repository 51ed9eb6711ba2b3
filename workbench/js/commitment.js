// The issued-set commitment of a unit issuance, docs/issuance-commitment.md (version 1):
// an RFC 9162 §2.1.1 Merkle tree over the units, sorted by serial.
import { concat, hex, sha256, utf8 } from './bytes.js';

const SERIAL = /^[A-Z0-9-]{1,20}$/;

/** `units_root` of `units` ([{ serial, signature: Uint8Array(64) }]), 64 lowercase hex digits.
 *  Throws for a set with no commitment (§1–2): none, a repeated or malformed serial, a
 *  signature that is not 64 bytes. */
export async function unitsRoot(units) {
  if (units.length === 0) throw new Error('units_root: no units');
  for (const { serial, signature } of units) {
    if (!SERIAL.test(serial)) throw new Error(`units_root: serial ${JSON.stringify(serial)} is not 1–20 of A–Z 0–9 -`);
    if (signature.length !== 64) throw new Error(`units_root: signature of serial ${serial} is ${signature.length} bytes, not 64`);
  }
  // Serials are ASCII, so comparing UTF-16 code units compares their bytes (§2).
  const sorted = [...units].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].serial === sorted[i - 1].serial) throw new Error(`units_root: serial ${sorted[i].serial} twice`);
  }
  const leaves = await Promise.all(sorted.map(({ serial, signature }) =>
    sha256(concat(Uint8Array.of(0, serial.length), utf8(serial), signature))));
  return hex(await treeHash(leaves));
}

/** RFC 9162 §2.1.1 over leaf hashes: split at the largest power of two below n. */
async function treeHash(hashes) {
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  const [left, right] = await Promise.all([treeHash(hashes.slice(0, k)), treeHash(hashes.slice(k))]);
  return sha256(concat(Uint8Array.of(1), left, right));
}
