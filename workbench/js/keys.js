// The producer's signing key: WebCrypto Ed25519 (else ECDSA P-256), non-extractable,
// kept in IndexedDB. Key id and signature encodings as docs/envelope.md §2.
import { sha256, hex, pem, base64, utf8 } from './bytes.js';
import { sequence, octets, integer, oid, nullValue } from './der.js';
import * as db from './db.js';

const ALGORITHMS = [
  { alg: 'ed25519', generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  { alg: 'p256', generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
];

const algorithm = (alg) => ALGORITHMS.find((a) => a.alg === alg);

async function describe(alg, privateKey, publicKey) {
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  const kid = hex((await sha256(spki)).subarray(0, 8));
  return { alg, privateKey, publicKey, spki: base64(spki), kid, pem: pem('PUBLIC KEY', spki) };
}

/** Generates a key pair, Ed25519 where the browser has it. */
async function generate(extractable) {
  for (const a of ALGORITHMS) {
    try {
      const pair = await crypto.subtle.generateKey(a.generate, extractable, ['sign', 'verify']);
      return { a, pair };
    } catch { /* not supported: try the next algorithm */ }
  }
  throw new Error('no-webcrypto');
}

export const current = () => db.get('keys', 'signing');

/** Creates and stores a non-extractable key. */
export async function create() {
  const { a, pair } = await generate(false);
  const key = await describe(a.alg, pair.privateKey, pair.publicKey);
  await db.put('keys', key, 'signing');
  return key;
}

/** Creates a key whose backup is an encrypted PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256,
 *  AES-256-CBC; RFC 8018), which `openssl pkey` and `yima --passphrase-file` read.
 *  The stored copy is re-imported non-extractable; the extractable one is dropped. */
export async function createWithBackup(passphrase) {
  const { a, pair } = await generate(true);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const backup = await encryptPKCS8(pkcs8, passphrase);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, a.generate, false, ['sign']);
  pkcs8.fill(0);
  const key = await describe(a.alg, privateKey, pair.publicKey);
  await db.put('keys', key, 'signing');
  return { key, backup };
}

/** Imports a plain PKCS#8 private key (tests and migration from the CLI's key files). */
export async function importPKCS8(der, alg) {
  const a = algorithm(alg);
  const privateKey = await crypto.subtle.importKey('pkcs8', der, a.generate, false, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', await crypto.subtle.importKey('pkcs8', der, a.generate, true, ['sign']));
  delete jwk.d; jwk.key_ops = ['verify'];
  const publicKey = await crypto.subtle.importKey('jwk', jwk, a.generate, true, ['verify']);
  const key = await describe(a.alg, privateKey, publicKey);
  await db.put('keys', key, 'signing');
  return key;
}

/** A 64-byte signature: Ed25519 R‖S, or P-256 r‖s (WebCrypto's IEEE P1363 form,
 *  which is exactly what Yima wants; no DER conversion). */
export async function sign(key, message) {
  return new Uint8Array(await crypto.subtle.sign(algorithm(key.alg).sign, key.privateKey, message));
}

export async function encryptPKCS8(pkcs8, passphrase, iterations = 600000) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const base = await crypto.subtle.importKey('raw', utf8(passphrase), 'PBKDF2', false, ['deriveKey']);
  const aes = await crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash: 'SHA-256' },
    base, { name: 'AES-CBC', length: 256 }, false, ['encrypt']);
  const encrypted = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, aes, pkcs8));
  const der = sequence(
    sequence(oid('1.2.840.113549.1.5.13'),                         // PBES2
      sequence(
        sequence(oid('1.2.840.113549.1.5.12'),                     // PBKDF2
          sequence(octets(salt), integer(iterations),
            sequence(oid('1.2.840.113549.2.9'), nullValue()))),    // hmacWithSHA256
        sequence(oid('2.16.840.1.101.3.4.1.42'), octets(iv)))),    // aes256-CBC
    octets(encrypted));
  return pem('ENCRYPTED PRIVATE KEY', der);
}

