// Signed record envelopes, docs/envelope.md §2.
import { canonicalize } from './canonical.js';
import { utf8, base64url, hex, sha256, concat } from './bytes.js';
import { sign } from './keys.js';

const RECORD_DOMAIN = utf8('yima-record/1\n');

/** Signs `record` with `key`: the envelope's canonical JSON text and the record id. */
export async function seal(record, key) {
  const payload = utf8(canonicalize(record));
  const signature = await sign(key, concat(RECORD_DOMAIN, payload));
  const envelope = canonicalize({ alg: key.alg, kid: key.kid, payload: base64url(payload), sig: base64url(signature), v: 1 });
  return { envelope, id: hex(await sha256(payload)) };
}

/** A time with a numeric offset (records.md: `Z` is refused), to the second. */
export function localTime(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export const today = () => localTime().slice(0, 10);
