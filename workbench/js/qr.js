// A small QR Code encoder (ISO/IEC 18004:2015), enough for a public key in PEM:
// byte mode, error correction level M, versions 1–10, mask chosen by penalty.
// Written for the workbench; the browser test decodes its output with zbarimg.

// Level M: [data codewords per block…, EC codewords per block] for versions 1–10.
const BLOCKS = [null,
  [[16], 10], [[28], 16], [[44], 26], [[32, 32], 18], [[43, 43], 24],
  [[27, 27, 27, 27], 16], [[31, 31, 31, 31], 18], [[38, 38, 39, 39], 22],
  [[36, 36, 36, 37, 37], 22], [[43, 43, 43, 43, 44], 26]];
const ALIGNMENT = [null, [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Uint8Array(512), LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) { EXP[i] = x; LOG[x] = i; x = (x << 1) ^ (x & 0x80 ? 0x11d : 0); }
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

function reedSolomon(data, degree) {
  let generator = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array(generator.length + 1).fill(0);
    generator.forEach((g, j) => { next[j] ^= g; next[j + 1] ^= mul(g, EXP[i]); });
    generator = next;
  }
  const remainder = new Array(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ remainder.shift();
    remainder.push(0);
    for (let j = 0; j < degree; j++) remainder[j] ^= mul(generator[j + 1], factor);
  }
  return remainder;
}

function codewords(bytes, version) {
  const [sizes, ec] = BLOCKS[version];
  const capacity = sizes.reduce((a, b) => a + b, 0);
  const bits = [];
  const push = (value, length) => { for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  push(0b0100, 4);                                   // byte mode
  push(bytes.length, version < 10 ? 8 : 16);
  bytes.forEach((b) => push(b, 8));
  push(0, Math.min(4, capacity * 8 - bits.length));  // terminator
  while (bits.length % 8) bits.push(0);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity; pad ^= 0xec ^ 0x11) data.push(pad);
  const blocks = [];
  let at = 0;
  for (const size of sizes) { const block = data.slice(at, at += size); blocks.push({ block, ec: reedSolomon(block, ec) }); }
  const out = [];
  for (let i = 0; i < Math.max(...sizes); i++) for (const b of blocks) if (i < b.block.length) out.push(b.block[i]);
  for (let i = 0; i < ec; i++) for (const b of blocks) out.push(b.ec[i]);
  return out;
}

function bch(value, poly, degree) {
  let r = value << degree;
  const top = Math.floor(Math.log2(poly));
  for (let i = Math.floor(Math.log2(r)); i >= top; i--) if ((r >>> i) & 1) r ^= poly << (i - top);
  return (value << degree) | r;
}

const MASKS = [
  (r, c) => (r + c) % 2 === 0, (r) => r % 2 === 0, (r, c) => c % 3 === 0, (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0, (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0, (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0];

function build(version, words, mask) {
  const n = 17 + 4 * version;
  const m = Array.from({ length: n }, () => new Array(n).fill(null));   // null: free for data
  const set = (r, c, v) => { m[r][c] = v ? 1 : 0; };
  const finder = (r0, c0) => {
    for (let r = -1; r <= 7; r++) for (let c = -1; c <= 7; c++) {
      const rr = r0 + r, cc = c0 + c;
      if (rr < 0 || cc < 0 || rr >= n || cc >= n) continue;
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      set(rr, cc, ring !== 2 && ring !== 4);
    }
  };
  finder(0, 0); finder(0, n - 7); finder(n - 7, 0);
  for (let i = 8; i < n - 8; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
  const centres = ALIGNMENT[version], last = centres.length - 1;
  for (let i = 0; i <= last; i++) for (let j = 0; j <= last; j++) {
    if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;   // the finders' corners
    const r = centres[i], c = centres[j];
    for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
  }
  // Format information: level M (00) and the mask, BCH(15,5), XOR 0x5412.
  const format = bch(mask, 0x537, 10) ^ 0x5412;
  const bit = (i) => (format >>> i) & 1;
  for (let i = 0; i < 6; i++) set(i, 8, bit(i));
  set(7, 8, bit(6)); set(8, 8, bit(7)); set(8, 7, bit(8));
  for (let i = 9; i < 15; i++) set(8, 14 - i, bit(i));
  for (let i = 0; i < 8; i++) set(8, n - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) set(n - 15 + i, 8, bit(i));
  set(n - 8, 8, 1);   // the dark module
  if (version >= 7) {
    const info = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const v = (info >>> i) & 1, a = Math.floor(i / 3), b = (i % 3) + n - 11;
      set(a, b, v); set(b, a, v);
    }
  }
  // Data in two-column zigzags from the bottom right, skipping the timing column.
  const bits = words.flatMap((w) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (w >>> i) & 1));
  let k = 0;
  for (let right = n - 1, upward = true; right >= 1; right -= 2, upward = !upward) {
    if (right === 6) right = 5;
    for (let step = 0; step < n; step++) {
      const r = upward ? n - 1 - step : step;
      for (const c of [right, right - 1]) {
        if (m[r][c] !== null) continue;
        const v = k < bits.length ? bits[k++] : 0;
        m[r][c] = v ^ (MASKS[mask](r, c) ? 1 : 0);
      }
    }
  }
  return m;
}

function penalty(m) {
  const n = m.length;
  let score = 0, dark = 0;
  for (let i = 0; i < n; i++) {
    for (const line of [m[i], m.map((row) => row[i])]) {
      let run = 1;
      for (let j = 1; j <= n; j++) {
        if (j < n && line[j] === line[j - 1]) run++;
        else { if (run >= 5) score += run - 2; run = 1; }
      }
      const text = line.join('');
      score += 40 * ((text.match(/(?=10111010000|00001011101)/g) ?? []).length);
    }
    for (let j = 0; j < n; j++) {
      dark += m[i][j];
      if (i < n - 1 && j < n - 1 && m[i][j] === m[i + 1][j] && m[i][j] === m[i][j + 1] && m[i][j] === m[i + 1][j + 1]) score += 3;
    }
  }
  return score + 10 * Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5);
}

/** The module matrix (1 dark) of `text` in UTF-8. */
export function qrMatrix(text) {
  const bytes = Array.from(new TextEncoder().encode(text));
  const version = BLOCKS.findIndex((b, v) => b && 4 + (v < 10 ? 8 : 16) + 8 * bytes.length <= 8 * b[0].reduce((x, y) => x + y, 0));
  if (version < 0) throw new Error('too long for a QR code of version 10');
  const words = codewords(bytes, version);
  let best = null, bestScore = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const m = build(version, words, mask);
    const score = penalty(m);
    if (score < bestScore) { best = m; bestScore = score; }
  }
  return best;
}

/** An SVG of `text`'s QR code with a 4-module quiet zone. */
export function qrSVG(text) {
  const m = qrMatrix(text);
  const size = m.length + 8;
  let d = '';
  m.forEach((row, r) => row.forEach((v, c) => { if (v) d += `M${c + 4} ${r + 4}h1v1h-1z`; }));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', size); background.setAttribute('height', size); background.setAttribute('fill', '#fff');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d); path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
