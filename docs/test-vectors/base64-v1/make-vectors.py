#!/usr/bin/env python3
"""Writes vectors.json: canonical and non-canonical base64 (RFC 4648 §3.5, §4, §5) as
Yima's formats use it, decided from the RFC, not by running Yima.

- "decode": texts in the standard alphabet (padded) or the url alphabet (unpadded)
  with the bytes they denote, or "refused" and why.
- "documents": a published vector (or an inline text) with one replacement that
  makes one base64 field non-canonical while denoting the same bytes wherever a
  lenient decoder is used; every one must be refused.
Run: python3 make-vectors.py > vectors.json
"""
import json, re

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
decode = []


def ok(alphabet, text, data):
    decode.append({"alphabet": alphabet, "text": text, "bytes_hex": data.hex()})


def refused(alphabet, text, why):
    decode.append({"alphabet": alphabet, "text": text, "refused": why})


ok("standard", "", b"")
ok("standard", "Zg==", b"f")
ok("standard", "Zm8=", b"fo")
ok("standard", "Zm9v", b"foo")
ok("standard", "Zm9vYmFy", b"foobar")
ok("standard", "+/+/", bytes([0xfb, 0xff, 0xbf]))
refused("standard", "Zh==", "non-zero padding bits")
refused("standard", "Zm9=", "non-zero padding bits")
refused("standard", "Zg=", "length not a multiple of 4")
refused("standard", "Zg", "padding missing")
refused("standard", "Zm8", "padding missing")
refused("standard", "Zg===", "too much padding")
refused("standard", "Z===", "three padding characters")
refused("standard", "====", "only padding")
refused("standard", "Zm9v====", "padding after a full group")
refused("standard", "Zm=v", "padding inside")
refused("standard", "=Zm9", "padding first")
refused("standard", "Zm-v", "url alphabet")
refused("standard", "Zm_v", "url alphabet")
refused("standard", "Zm9 v", "space")
refused("standard", "Zm9v\n", "line break")
refused("standard", "Zm9vY", "length not a multiple of 4")
ok("url", "", b"")
ok("url", "Zg", b"f")
ok("url", "Zm8", b"fo")
ok("url", "Zm9v", b"foo")
ok("url", "-_-_", bytes([0xfb, 0xff, 0xbf]))
refused("url", "Zh", "non-zero padding bits")
refused("url", "Zm9", "non-zero padding bits")
refused("url", "Zg==", "padding")
refused("url", "Zm8=", "padding")
refused("url", "Zm+v", "standard alphabet")
refused("url", "Zm/v", "standard alphabet")
refused("url", "Z", "4k+1 characters")
refused("url", "Zm9vY", "4k+1 characters")


def twist(text):
    """The same text with one unused bit of its last data character set."""
    body = text.rstrip("=")
    alphabet = ALPHABET if ("+" in text or "/" in text or text.endswith("=")) else ALPHABET[:62] + "-_"
    value = alphabet.index(body[-1])
    assert value & 1 == 0, "no unused bit to set"
    return body[:-1] + alphabet[value | 1] + text[len(body):]


documents = []


def document(kind, name, source, field_text, why, twisted=None, inline=None):
    entry = {"kind": kind, "name": name}
    if inline is not None:
        entry["text"] = inline
    else:
        entry["file"] = source
        text = open(source, encoding="utf-8").read()
        assert field_text in text, field_text
    entry["from"] = field_text
    entry["to"] = twisted if twisted is not None else twist(field_text)
    entry["refused_because"] = why
    documents.append(entry)


checkpoint_doc = open("../../checkpoint.md", encoding="utf-8").read()
note = re.search(r"<!-- example: signed-checkpoint -->\n```\n(.*?)```", checkpoint_doc, re.S).group(1)
vkey = re.search(r"<!-- example: verifier-key -->\n```\n(.*?)\n```", checkpoint_doc, re.S).group(1)
note_signature = note.split(" ")[-1].strip()
root = note.split("\n")[2]
document("signed-note", "note signature with an unused bit set", None, note_signature,
         "signature is not canonical standard base64", inline=note)
document("checkpoint", "root hash with an unused bit set", None, root, "root hash is not canonical base64",
         inline=note.split("\n\n")[0] + "\n")
document("checkpoint", "root hash without padding", None, root, "root hash padding missing",
         twisted=root.rstrip("="), inline=note.split("\n\n")[0] + "\n")
document("checkpoint", "root hash in the url alphabet", None, root, "root hash in the url alphabet",
         twisted=root.replace("+", "-").replace("/", "_"), inline=note.split("\n\n")[0] + "\n")
document("verifier-key", "verifier key in the url alphabet", None, vkey.split("+", 2)[2],
         "key is not canonical standard base64", twisted=vkey.split("+", 2)[2].replace("/", "_"), inline=vkey)

envelope_doc = open("../../envelope.md", encoding="utf-8").read()
envelope = re.search(r"<!-- vector: envelope -->\n```\n(.*?)\n```", envelope_doc, re.S).group(1)
sig = json.loads(envelope)["sig"]
document("envelope", "record signature with an unused bit set", None, sig, "sig is not canonical base64url", inline=envelope)
document("envelope", "record signature padded", None, sig, "sig padded", twisted=sig + "==", inline=envelope)

trust = json.load(open("../trust-list-v1/trust-list.json", encoding="utf-8"))
document("trust-list", "trust list signature with an unused bit set", "../trust-list-v1/trust-list.json", trust["sig"],
         "sig is not canonical base64url")

bundle = json.load(open("../bundle-v1/unit.bundle", encoding="utf-8"))
proof_node = bundle["records"][0]["proof"][0]
document("bundle", "proof node with an unused bit set", "../bundle-v1/unit.bundle", proof_node,
         "proof node is not canonical base64")
document("bundle", "proof node without padding", "../bundle-v1/unit.bundle", '"' + proof_node + '"',
         "proof node padding missing", twisted='"' + proof_node.rstrip("=") + '"')
bundle_note_signature = bundle["checkpoint"].split(" ")[-1].strip()
document("bundle", "checkpoint signature with an unused bit set", "../bundle-v1/unit.bundle", bundle_note_signature,
         "signature is not canonical standard base64")
document("bundle", "authority key with an unused bit set", "../bundle-v1/unit.bundle", bundle["authority_keys"][0],
         "authority key is not canonical base64")

party = ('{"address":"陕西省西安市周至县楼观镇","contact":"029-87000000","credit_code":"91350100M000100Y43",'
         '"id":"zhouzhi-kiwi-coop","kind":"party","name":"周至县猕猴桃专业合作社",'
         '"public_keys":[{"alg":"ed25519","kid":"652c9efcee3b780d",'
         '"spki":"MCowBQYDK2VwAyEAPfW0dLD+t8oZahlRMc2Z7mvETK00cEDx+jDhO+uPEWo="}],'
         '"roles":["cooperative","producer"],"v":1}')
document("party", "party key with an unused bit set", None,
         "MCowBQYDK2VwAyEAPfW0dLD+t8oZahlRMc2Z7mvETK00cEDx+jDhO+uPEWo=", "spki is not canonical base64", inline=party)

print(json.dumps({"format": "yima-base64-vectors/1", "decode": decode, "documents": documents},
                 ensure_ascii=False, indent=1))
