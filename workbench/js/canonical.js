// Canonical JSON exactly as docs/envelope.md §1 (RFC 8785 restricted to records):
// members sorted by UTF-16 code units, no whitespace, JSON.stringify string escaping,
// integers only (|n| ≤ 2^53 − 1), no null, depth ≤ 32, no lone surrogates.

export class CanonicalError extends Error {}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function string(s) {
  if (loneSurrogate.test(s)) throw new CanonicalError('invalid-unicode');
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2; well-formed JSON.stringify
  // would write lone surrogates as \udXXX, which we refused above.
  return JSON.stringify(s);
}

function encode(value, depth) {
  if (depth > 32) throw new CanonicalError('too-deep');
  if (value === null || value === undefined) throw new CanonicalError('null');
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'number':
      if (!Number.isInteger(value)) throw new CanonicalError('not-an-integer');
      if (!Number.isSafeInteger(value)) throw new CanonicalError('integer-out-of-range');
      return Object.is(value, -0) ? '0' : String(value);
    case 'string': return string(value);
    case 'object':
      if (Array.isArray(value)) return '[' + value.map((e) => encode(e, depth + 1)).join(',') + ']';
      // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks.
      return '{' + Object.keys(value).sort().map((name) => string(name) + ':' + encode(value[name], depth + 1)).join(',') + '}';
    default: throw new CanonicalError('syntax');
  }
}

/** The canonical JSON text of `value`; throws CanonicalError naming the rule broken. */
export const canonicalize = (value) => encode(value, 0);

/** Drops members whose value is undefined, '' or an empty object, recursively:
 *  absent optional fields are omitted, never null (records.md). Arrays are kept. */
export function prune(value) {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || v === '') continue;
      const p = prune(v);
      if (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}
