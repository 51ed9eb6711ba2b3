#!/usr/bin/env python3
"""Writes payloads.json: payloads that are canonical (envelope.md §1) and payloads a
verifier must refuse at step 4 of §2 (Verification), each with the reason.
Decided from envelope.md, not by running Yima; EnvelopeTests checks that Yima's
CanonicalJSON.decode, Envelope.verify and the §4 Python check all agree.
Run: python3 make-payloads.py > payloads.json
"""
import json

cases = []


def case(name, payload, reason=None, note=""):
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
    entry = {"name": name, "payload_hex": data.hex()}
    try:
        entry["payload"] = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    entry["canonical"] = reason is None
    if reason:
        entry["reason"] = reason
    if note:
        entry["note"] = note
    cases.append(entry)


def nested(depth):
    # An object whose innermost value, the integer 1, has the given depth.
    return '{"a":' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}"


case("small object", '{"a":1,"b":[true,false],"c":"x"}')
case("largest integer", '{"n":9007199254740991}')
case("smallest integer", '{"n":-9007199254740991}')
case("control character escaped in lower-case hex", '{"s":"\\u001f"}')
case("short escapes", '{"s":"\\"\\\\\\b\\f\\n\\r\\t"}')
case("slash, DEL and non-ASCII literal", '{"s":"a/b\x7f猕猴桃"}')
case("names in UTF-16 order", '{"\U0001F600":1,"\uFF21":2}',
     note="U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF21; code-point order is the other way")
case("depth 32", nested(32), note="the top-level value has depth 0; each member value or element one more than its container")

case("null", '{"a":null}', "null", note="an absent optional field is omitted")
case("fraction", '{"a":1.5}', "not-an-integer", note="decimals are decimal strings")
case("integral fraction", '{"a":1.0}', "not-an-integer")
case("exponent", '{"a":1e2}', "not-an-integer")
case("huge exponent", '{"a":1E400}', "not-an-integer")
case("2^53", '{"a":9007199254740992}', "integer-out-of-range")
case("-2^53", '{"a":-9007199254740992}', "integer-out-of-range")
case("20-digit integer", '{"a":12345678901234567890}', "integer-out-of-range")
case("negative zero", '{"a":-0}', "not-canonical", note="-0 denotes 0, whose canonical form is 0")
case("leading zero", '{"a":01}', "syntax")
case("plus sign", '{"a":+1}', "syntax")
case("NaN", '{"a":NaN}', "syntax")
case("Infinity", '{"a":Infinity}', "syntax")
case("duplicate member", '{"a":1,"a":1}', "duplicate-member")
case("members out of order", '{"b":1,"a":2}', "not-canonical")
case("names in code-point order", '{"\uFF21":2,"\U0001F600":1}', "not-canonical")
case("whitespace", '{"a": 1}', "not-canonical")
case("final newline", '{"a":1}\n', "not-canonical")
case("escaped non-ASCII", '{"s":"\\u00e9"}', "not-canonical")
case("upper-case hex escape", '{"s":"\\u001F"}', "not-canonical")
case("escaped slash", '{"s":"\\/"}', "not-canonical")
case("escaped letter", '{"s":"\\u0041"}', "not-canonical")
case("lone surrogate", '{"s":"\\ud800"}', "invalid-unicode")
case("invalid UTF-8", b'{"s":"\xff"}', "invalid-unicode")
case("UTF-8 encoded surrogate", b'{"s":"\xed\xa0\x80"}', "invalid-unicode")
case("raw tab in a string", '{"s":"a\tb"}', "syntax")
case("trailing comma", '{"a":1,}', "syntax")
case("depth 33", nested(33), "too-deep")

print(json.dumps({"format": "yima-payload-vectors/1", "cases": cases}, ensure_ascii=False, indent=1))
