#!/usr/bin/env bash
# Checks a Yima trust list's outer signature (docs/trust-list.md §3, envelope.md §2)
# with the openssl command line and a few lines of Python for base64url and DER;
# shares no code with Yima. Works for every authority algorithm: ed25519, p256, sm2.
# Usage: verify-with-openssl.sh TRUST-LIST.json AUTHORITY.pub
# Exit 0 and "Signature Verified Successfully" when the authority signed it.
# (The inner records are envelopes, checked the same way with their signers' keys.)
set -euo pipefail
list=$1 pub=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# The key id: SHA-256 over the DER SubjectPublicKeyInfo, first 8 bytes in hex; the
# algorithm: what openssl reads from the key itself.
kid=$(openssl pkey -pubin -in "$pub" -outform DER | openssl dgst -sha256 -r | cut -c1-16)
case "$(openssl pkey -pubin -in "$pub" -text -noout)" in
  *ED25519*)          alg=ed25519 ;;
  *"ASN1 OID: SM2"*)  alg=sm2 ;;
  *prime256v1*)       alg=p256 ;;
  *) echo "not an Ed25519, P-256 or SM2 public key" >&2; exit 2 ;;
esac

python3 - "$list" "$kid" "$alg" "$work" <<'PY'
import base64, json, sys
path, kid, alg, work = sys.argv[1:5]
envelope = json.load(open(path, encoding="utf-8"))
assert sorted(envelope) == ["alg", "kid", "payload", "sig", "v"], "not an envelope"
assert envelope["v"] == 1, "envelope version %r" % envelope["v"]
assert envelope["alg"] == alg, "the list says %s, the authority key is %s" % (envelope["alg"], alg)
assert envelope["kid"] == kid, "signed by key %s, not this authority key (%s)" % (envelope["kid"], kid)

def b64url(text):
    # Unpadded base64url in its one canonical spelling (RFC 4648 §5, §3.5).
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert base64.urlsafe_b64encode(data).rstrip(b"=").decode() == text, "non-canonical base64url %r" % text[:20]
    return data

payload = b64url(envelope["payload"])
body = json.loads(payload)
assert body["kind"] == "trust_list" and body["v"] == 1, "not a version-1 trust list"
print("version %d, issued %s, expires %s, %d registry records, %d recalls"
      % (body["version"], body["issued"], body["expires"], len(body["registry"]), len(body["recalls"])))
open(work + "/message", "wb").write(b"yima-record/1\n" + payload)
sig = b64url(envelope["sig"])
assert len(sig) == 64, "the signature is %d bytes, not 64" % len(sig)
if alg == "ed25519":
    open(work + "/sig", "wb").write(sig)
else:
    # P-256 and SM2 signatures travel as r || s; openssl wants DER SEQUENCE { r, s }.
    def integer(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80: b = b"\0" + b
        return bytes([2, len(b)]) + b
    body = integer(sig[:32]) + integer(sig[32:])
    open(work + "/sig", "wb").write(bytes([0x30, len(body)]) + body)
PY

case "$alg" in
  ed25519) openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in "$work/message" -sigfile "$work/sig" ;;
  p256)    openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -digest sha256 -in "$work/message" -sigfile "$work/sig" ;;
  sm2)     openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -digest sm3 -pkeyopt distid:1234567812345678 \
             -in "$work/message" -sigfile "$work/sig" ;;
esac
