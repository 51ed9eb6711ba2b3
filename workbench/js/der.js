// Just enough DER (ITU-T X.690) to write a PBES2 EncryptedPrivateKeyInfo.

function length(n) {
  if (n < 0x80) return [n];
  const bytes = [];
  for (; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

const tlv = (tag, content) => Uint8Array.from([tag, ...length(content.length), ...content]);

export const sequence = (...items) => tlv(0x30, items.flatMap((i) => Array.from(i)));
export const octets = (bytes) => tlv(0x04, Array.from(bytes));
export const nullValue = () => Uint8Array.from([0x05, 0x00]);

export function integer(n) {
  const bytes = [];
  do { bytes.unshift(n & 0xff); n = Math.floor(n / 256); } while (n > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, bytes);
}

export function oid(dotted) {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const group = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  }
  return tlv(0x06, bytes);
}
