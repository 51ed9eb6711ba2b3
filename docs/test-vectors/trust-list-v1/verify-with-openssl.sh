#!/usr/bin/env bash
# Checks a Yima trust list's outer signature (docs/trust-list.md §3, envelope.md §2)
# with the openssl command line and a few lines of Python for base64url; shares no
# code with Yima. Usage: verify-with-openssl.sh TRUST-LIST.json AUTHORITY.pub
# Exit 0 and "Signature Verified Successfully" when the authority signed it.
# (Ed25519 authority keys; the inner records are envelopes checked the same way.)
set -euo pipefail
list=$1 pub=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

kid=$(openssl pkey -pubin -in "$pub" -outform DER | openssl dgst -sha256 -r | cut -c1-16)
python3 - "$list" "$kid" "$work" <<'PY'
import base64, json, sys
path, kid, work = sys.argv[1:4]
envelope = json.load(open(path, encoding="utf-8"))
assert envelope["v"] == 1 and envelope["alg"] == "ed25519", "an Ed25519 envelope, version 1"
assert envelope["kid"] == kid, "signed by key %s, not this authority key (%s)" % (envelope["kid"], kid)
b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
payload = b64(envelope["payload"])
body = json.loads(payload)
assert body["kind"] == "trust_list" and body["v"] == 1, "not a version-1 trust list"
print("version %d, issued %s, expires %s, %d registry records, %d recalls"
      % (body["version"], body["issued"], body["expires"], len(body["registry"]), len(body["recalls"])))
open(work + "/message", "wb").write(b"yima-record/1\n" + payload)
open(work + "/sig", "wb").write(b64(envelope["sig"]))
PY
openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in "$work/message" -sigfile "$work/sig"
