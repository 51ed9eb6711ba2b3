#!/usr/bin/env bash
# Verifies a Yima unit code (format version 1) with nothing but the openssl command
# line and a few lines of Python for the decimal-to-bytes step; shares no code with
# Yima. Usage: verify-with-openssl.sh CODE PUBLIC_KEY.pem
# Exit 0 and "Signature Verified Successfully" when genuine.
set -euo pipefail
code=$1 pub=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# 1. The key id: SHA-256 over the DER SubjectPublicKeyInfo, first 8 bytes in hex.
kid=$(openssl pkey -pubin -in "$pub" -outform DER | openssl dgst -sha256 -r | cut -c1-16)
alg=$(openssl pkey -pubin -in "$pub" -text -noout | grep -oE "ED25519|ASN1 OID: (SM2|prime256v1)" | head -1)

# 2. Match the code against the grammar of docs/code-format.md §Grammar, exactly:
#    GTIN, lot, serial from the path; version, short key id and signature from the
#    digits of the s parameter. Anything else is malformed (exit 1, "malformed: …").
python3 - "$code" "$kid" "$work" <<'PY'
import re, sys
code, kid, work = sys.argv[1:4]
grammar = (r"[ \t\r\n]*(?:https|http|HTTPS|HTTP)://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?"
           r"(?:/(?!(?:01|\.|\.\.)/)[A-Za-z0-9._~-]+)*"
           r"/01/([0-9]{14})/10/([0-9A-Z-]{1,20})/21/([0-9A-Z-]{1,20})\?s=([0-9]{166})[ \t\r\n]*")
m = re.fullmatch(grammar, code)
if not m: sys.exit("malformed: not a version-1 Yima unit code")
gtin, lot, serial, digits = m.groups()
weights = [3 if i % 2 == 0 else 1 for i in range(13)][::-1]   # GS1 mod 10, from the right
check = (10 - sum(int(d) * w for d, w in zip(gtin[:13], weights)) % 10) % 10
if int(gtin[13]) != check: sys.exit("malformed: GTIN check digit")
if digits[0] != "1": sys.exit("malformed: unsupported format version " + digits[0])
hint, sig = int(digits[1:11]), int(digits[11:])
if hint >= 2**32 or sig >= 2**512: sys.exit("malformed: key id or signature out of range")
assert hint == int(kid[:8], 16), "the code names key %08x, not this key (%s)" % (hint, kid)
raw = sig.to_bytes(64, "big")
open(work + "/message", "wb").write(f"yima-code/1\nkey {kid}\n01 {gtin}\n10 {lot}\n21 {serial}\n".encode())
open(work + "/sig.raw", "wb").write(raw)
# ECDSA and SM2 signatures travel as r || s; openssl wants DER SEQUENCE { r, s }.
def integer(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80: b = b"\0" + b
    return bytes([2, len(b)]) + b
body = integer(raw[:32]) + integer(raw[32:])
open(work + "/sig.der", "wb").write(bytes([0x30, len(body)]) + body)
PY

# 3. Verify: Ed25519 signs the message itself; ECDSA P-256 with SHA-256; SM2 with
#    SM3 and the distinguishing ID 1234567812345678.
case "$alg" in
  ED25519*) openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in "$work/message" -sigfile "$work/sig.raw" ;;
  *SM2)     openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -digest sm3 -pkeyopt distid:1234567812345678 \
              -in "$work/message" -sigfile "$work/sig.der" ;;
  *prime256v1) openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -digest sha256 -in "$work/message" -sigfile "$work/sig.der" ;;
  *)        echo "not an Ed25519, P-256 or SM2 public key" >&2; exit 2 ;;
esac
