#!/usr/bin/env python3
"""Writes spellings.json: how a version-1 unit code may and may not be spelled.

Every case is decided by docs/code-format.md §Grammar, not by running Yima; the
test suite (Tests/YimaCodesTests/CodeSpellingTests.swift) checks that Yima's parser
and verifier give exactly these answers. The trusted key is ed25519.pub here.
Run: python3 make-spellings.py > spellings.json
"""
import json

CODE = open(__file__.rsplit("/", 1)[0] + "/ed25519.code.txt").read().strip()
HOST = "YIMA.EXAMPLE.COM"
PATH = "/01/09506000134352/10/ABCDE12345/21/BMFFEZTP7BWY"
S = CODE.split("?s=")[1]
SIGNATURE_HEX = ("e8fd01b9cbc169bf6642dfed3514b45dea47744fd82e023f0b6fd17840805b9d"
                 "28c6d8e40f0695f28de20bfdf3db1e2309c2a54caa0ea2910a4c84ba71c4d606")
KEY_HINT = 2219859685

cases = []


def ok(name, text, verdict="genuine", stem="https://" + HOST, gtin="09506000134352", lot="ABCDE12345",
       serial="BMFFEZTP7BWY", key_hint=KEY_HINT, signature=SIGNATURE_HEX, note=""):
    cases.append({"name": name, "input": text, "verdict": verdict,
                  "parsed": {"stem": stem, "gtin": gtin, "lot": lot, "serial": serial,
                             "key_hint": key_hint, "signature_hex": signature},
                  "note": note})


def malformed(name, text, reason, note=""):
    cases.append({"name": name, "input": text, "verdict": "malformed", "reason": reason, "note": note})


def with_s(prefix, digits=S):
    return prefix + "?s=" + digits


# --- Accepted spellings -------------------------------------------------------------
ok("as printed", CODE, note="scheme lower case, host upper case, one s parameter")
ok("host in lower case", CODE.replace(HOST, HOST.lower()), stem="https://" + HOST.lower(),
   note="the host is not signed and DNS is case-insensitive; the stem keeps the spelling")
ok("host in mixed case", CODE.replace(HOST, "Yima.Example.Com"), stem="https://Yima.Example.Com")
ok("scheme in upper case", "HTTPS" + CODE[5:], stem="HTTPS://" + HOST,
   note="all-upper-case scheme, as a label printed wholly in the QR alphanumeric set carries it")
ok("http scheme", "http" + CODE[5:], stem="http://" + HOST)
ok("HTTP scheme", "HTTP" + CODE[5:], stem="HTTP://" + HOST)
ok("trailing CR LF from a scanner", CODE + "\r\n", note="SP, HTAB, CR and LF around the code are trimmed")
ok("blanks around", " \t" + CODE + " \n")
ok("port", CODE.replace(HOST, HOST + ":8443"), stem="https://" + HOST + ":8443")
ok("IPv4 host and port", "http://127.0.0.1:8080" + with_s(PATH), stem="http://127.0.0.1:8080")
ok("fully qualified host with final dot", CODE.replace(HOST, HOST + "."), stem="https://" + HOST + ".")
ok("path prefix", "https://" + HOST + "/T/a-1_~.x" + with_s(PATH), stem="https://" + HOST + "/T/a-1_~.x",
   note="prefix segments: letters, digits, - . _ ~; the prefix ends at the first segment 01")
ok("lot changed", CODE.replace("/10/ABCDE12345/", "/10/ABCDE12346/"), verdict="forged", lot="ABCDE12346",
   note="well formed, names the trusted key, the signature does not cover it")
ok("serial changed", CODE.replace("/21/BMFFEZTP7BWY", "/21/BMFFEZTP7BWZ"), verdict="forged", serial="BMFFEZTP7BWZ")
ok("another valid GTIN", CODE.replace("/01/09506000134352/", "/01/09506000134369/"), verdict="forged",
   gtin="09506000134369")
ok("short key id changed", with_s("https://" + HOST + PATH, S[0] + "2219859686" + S[11:]), verdict="unknown-key",
   key_hint=2219859686, note="no trusted key id starts with 0x84505ee6")
changed = int(S[11:]) + 1   # the last decimal digit 0 becomes 1
ok("signature changed", with_s("https://" + HOST + PATH, S[:11] + str(changed).zfill(155)), verdict="forged",
   signature=changed.to_bytes(64, "big").hex())

# --- Refused spellings --------------------------------------------------------------
malformed("empty", "", "empty")
malformed("only blanks", " \r\n", "empty")
malformed("not a URL", "hello", "not-a-url")
malformed("other scheme", "ftp" + CODE[5:], "not-a-url")
malformed("mixed-case scheme", "Https" + CODE[5:], "not-a-url", note="all lower or all upper case only")
malformed("one slash after the scheme", CODE.replace("https://", "https:/"), "not-a-url")
malformed("user information", CODE.replace("https://", "https://u@"), "unexpected-url-part",
          note="a URL library would drop it, so it is refused rather than ignored")
malformed("user and password", CODE.replace("https://", "https://u:p@"), "unexpected-url-part")
malformed("underscore in host", CODE.replace(HOST, "YIMA_EXAMPLE.COM"), "not-a-url")
malformed("percent-encoded host", CODE.replace(HOST, "YIMA%2EEXAMPLE.COM"), "not-a-url")
malformed("IPv6 literal host", "http://[::1]:8080" + with_s(PATH), "not-a-url")
malformed("empty port", CODE.replace(HOST, HOST + ":"), "not-a-url")
malformed("port not digits", CODE.replace(HOST, HOST + ":https"), "not-a-url")
malformed("port of six digits", CODE.replace(HOST, HOST + ":123456"), "not-a-url")
malformed("fragment", CODE + "#top", "unexpected-url-part", note="a fragment never reaches a resolver")
malformed("empty fragment", CODE + "#", "unexpected-url-part")
malformed("fragment before the query", "https://" + HOST + PATH + "#x?s=" + S, "unexpected-url-part")
malformed("extra parameter after s", CODE + "&lang=en", "unexpected-url-part",
          note="the lookup server strips its own parameters (lang, format, linkType, context) before parsing")
malformed("extra parameter before s", "https://" + HOST + PATH + "?a=b&s=" + S, "unexpected-url-part")
malformed("trailing ampersand", CODE + "&", "unexpected-url-part")
malformed("GS1 attribute in the query", "https://" + HOST + PATH + "?17=261231&s=" + S, "unexpected-element")
malformed("percent-encoded lot", CODE.replace("/10/ABCDE12345/", "/10/ABCDE1234%35/"), "invalid-value",
          note="no percent-decoding anywhere: the lot is the 12 characters ABCDE1234%35, outside the alphabet")
malformed("lower-case lot", CODE.replace("/10/ABCDE12345/", "/10/abcde12345/"), "invalid-value",
          note="lot and serial are signed as printed; no case folding")
malformed("lot of 21 characters", CODE.replace("/10/ABCDE12345/", "/10/ABCDEFGHIJ01234567890/"), "invalid-value")
malformed("serial with a space", CODE.replace("/21/BMFFEZTP7BWY", "/21/BMFF EZTP7BWY"), "invalid-value")
malformed("GTIN of 13 digits", CODE.replace("/01/09506000134352/", "/01/9506000134352/"), "invalid-value")
malformed("bad check digit", CODE.replace("/01/09506000134352/", "/01/09506000134353/"), "bad-check-digit")
malformed("percent-encoded 01", CODE.replace("/01/", "/%301/"), "not-digital-link")
malformed("no GTIN", "https://" + HOST + "/hello", "not-digital-link")
malformed("dot segment in the prefix", "https://" + HOST + "/./" + with_s(PATH[1:]), "unexpected-url-part",
          note="a browser removes dot segments (RFC 3986 §5.2.4), so they are refused")
malformed("dot-dot segment in the prefix", "https://" + HOST + "/T/.." + with_s(PATH), "unexpected-url-part")
malformed("double slash before 01", "https://" + HOST + "/" + with_s(PATH), "unexpected-url-part")
malformed("final slash after the serial", "https://" + HOST + PATH + "/?s=" + S, "not-digital-link")
malformed("lot and serial swapped", with_s("https://" + HOST + "/01/09506000134352/21/BMFFEZTP7BWY/10/ABCDE12345"),
          "not-digital-link")
malformed("lot twice", with_s("https://" + HOST + "/01/09506000134352/10/A/10/B/21/C"), "not-digital-link")
malformed("no lot", with_s("https://" + HOST + "/01/09506000134352/21/BMFFEZTP7BWY"), "missing-element")
malformed("no serial", with_s("https://" + HOST + "/01/09506000134352/10/ABCDE12345"), "missing-element")
malformed("extra path element", with_s("https://" + HOST + "/01/09506000134352/22/X/10/ABCDE12345/21/BMFFEZTP7BWY"),
          "unexpected-element")
malformed("no query", "https://" + HOST + PATH, "missing-signature")
malformed("empty query", "https://" + HOST + PATH + "?", "missing-signature")
malformed("upper-case S", "https://" + HOST + PATH + "?S=" + S, "missing-signature",
          note="query parameter names are case-sensitive")
malformed("s twice", CODE + "&s=" + S, "bad-signature-encoding")
malformed("s without a value", "https://" + HOST + PATH + "?s", "bad-signature-encoding")
malformed("s one digit short", CODE[:-1], "bad-signature-encoding")
malformed("s one digit long", CODE + "0", "bad-signature-encoding")
malformed("percent-encoded digit in s", "https://" + HOST + PATH + "?s=%31" + S[1:], "bad-signature-encoding")
malformed("ideographic space after the code", CODE + "\u3000", "bad-signature-encoding",
          note="only SP, HTAB, CR and LF are trimmed; U+3000 stays and ends the s parameter")
malformed("version 2", "https://" + HOST + PATH + "?s=2" + S[1:], "unsupported-version")
malformed("key id above 2^32 - 1", "https://" + HOST + PATH + "?s=19999999999" + S[11:], "bad-signature-encoding")
malformed("signature of 2^512 or more", "https://" + HOST + PATH + "?s=1" + S[1:11] + "9" * 155, "bad-signature-encoding")

print(json.dumps({"format": "yima-code-spellings/1", "trusted_key": "ed25519.pub", "cases": cases},
                 ensure_ascii=False, indent=1))
