#!/usr/bin/env python3
"""Writes vectors.json: the issued-set commitment of a unit-issuance event
(docs/issuance-commitment.md), computed from that document with hashlib only, not by
running Yima.

- "trees": sets of issued units (serial, 64-byte code signature in hex) in the order
  they were drawn; the leaf encoding and leaf hash of each unit in commitment order
  (serials ascending, bytewise), the root, and the inclusion proof of every leaf
  (RFC 9162 §2.1.3 audit path, leaf's sibling first).
- "refused": sets that have no commitment (a repeated serial, a serial outside the
  code alphabet or longer than 20, a signature that is not 64 bytes).
- "proofs_refused": a tree's root with a proof that must not verify.

The signatures are arbitrary bytes (SHA-512 of a label): the commitment treats a code's
signature as 64 opaque bytes; checking it is the code format's job (code-format.md).
Run: python3 make-vectors.py > vectors.json
"""
import hashlib, json

ALPHABET = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def signature(label):
    return hashlib.sha512(("yima issuance-v1 vector " + label).encode()).digest()


def leaf(serial, sig):
    s = serial.encode("ascii")
    assert 1 <= len(s) <= 20 and set(s) <= ALPHABET and len(sig) == 64
    return bytes([len(s)]) + s + sig


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes):
    if len(hashes) == 1:
        return hashes[0]
    k = split(len(hashes))
    return node(mth(hashes[:k]), mth(hashes[k:]))


def path(m, hashes):
    if len(hashes) <= 1:
        return []
    k = split(len(hashes))
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def tree(name, serials):
    units = [(s, signature(name + "/" + s)) for s in serials]
    ordered = sorted(units, key=lambda u: u[0].encode("ascii"))
    leaves = [leaf(s, sig) for s, sig in ordered]
    hashes = [leaf_hash(l) for l in leaves]
    return {
        "name": name,
        "units": [{"serial": s, "signature_hex": sig.hex()} for s, sig in units],
        "order": [s for s, _ in ordered],
        "leaves_hex": [l.hex() for l in leaves],
        "leaf_hashes_hex": [h.hex() for h in hashes],
        "count": len(units),
        "root_hex": mth(hashes).hex(),
        "proofs": [{"serial": ordered[i][0], "leaf_index": i, "hashes_hex": [p.hex() for p in path(i, hashes)]}
                   for i in range(len(hashes))],
    }


trees = [
    tree("one unit", ["BMFFEZTP7BWY"]),
    tree("two units, drawn out of order", ["ZZZZZZZZZZZZ", "000000000000"]),
    tree("three units", ["K7Q2M9XW4RTA", "0A1B2C3D4E5F", "HJKMNPQRSTVW"]),
    tree("five units, serials of different lengths", ["B", "A-1", "A", "AB", "0-9-Z"]),
    tree("eight units", ["%012d" % (i * 7919) for i in range(8)][::-1]),
    tree("eleven units, twenty-symbol serials", ["X" * 19 + c for c in "ABCDEFGHJKM"]),
]

refused = [
    {"why": "serial issued twice", "units": [{"serial": "ABC", "signature_hex": signature("a").hex()},
                                              {"serial": "ABC", "signature_hex": signature("b").hex()}]},
    {"why": "signature of 63 bytes", "units": [{"serial": "ABC", "signature_hex": signature("a")[:63].hex()}]},
    {"why": "signature of 65 bytes", "units": [{"serial": "ABC", "signature_hex": (signature("a") + b"\x00").hex()}]},
    {"why": "lower-case serial", "units": [{"serial": "abc", "signature_hex": signature("a").hex()}]},
    {"why": "serial of 21 symbols", "units": [{"serial": "A" * 21, "signature_hex": signature("a").hex()}]},
    {"why": "empty serial", "units": [{"serial": "", "signature_hex": signature("a").hex()}]},
    {"why": "no units", "units": []},
]

five = trees[3]
p = five["proofs"][2]
proofs_refused = [
    {"why": "a proof node changed", "tree": five["name"], "serial": p["serial"], "leaf_index": 2,
     "hashes_hex": [p["hashes_hex"][0][:-2] + ("00" if p["hashes_hex"][0][-2:] != "00" else "01")] + p["hashes_hex"][1:]},
    {"why": "the right proof at the wrong index", "tree": five["name"], "serial": p["serial"], "leaf_index": 3,
     "hashes_hex": p["hashes_hex"]},
    {"why": "a node left out", "tree": five["name"], "serial": p["serial"], "leaf_index": 2,
     "hashes_hex": p["hashes_hex"][:-1]},
    {"why": "another unit's signature", "tree": five["name"], "serial": p["serial"], "leaf_index": 2,
     "hashes_hex": p["hashes_hex"], "signature_hex": signature("forged").hex()},
]

print(json.dumps({"format": "yima-issuance-commitment/1", "trees": trees, "refused": refused,
                  "proofs_refused": proofs_refused}, indent=1, ensure_ascii=False))
