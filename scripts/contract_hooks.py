"""Schemathesis hooks for scripts/api-contract.sh (loaded through SCHEMATHESIS_HOOKS).

docs/openapi.yaml states some rules JSON Schema cannot check, as named string formats
and as descriptions. These hooks teach the generator those rules so that the requests
it calls valid really are; they never touch a response or a check:

- formats `gs1-gtin`, `gs1-sscc`, `gs1-batch` (GTIN/LOT) (GS1 mod-10 check digit, GS1 General Specifications
  §7.9.1), `yima-short-code` (Luhn mod 32, docs/labels.md §Short code) and
  `yima-signature` (docs/code-format.md §Signature parameter: a short key id below
  2^32 and a signature below 2^512);
- a report's `until` is not before its `from` (docs/report.md);
- an envelope's payload is a record as canonical JSON (docs/envelope.md §2): a valid
  request carries one, here the event of docs/envelope.md's test vector. The signature
  and key stay as generated, so the server refuses them (401): as for any request
  whose credentials the document cannot hold.
Negative cases are left exactly as generated.
"""
import base64
import json
from pathlib import Path

import schemathesis
from hypothesis import strategies as st

SHORT_CODE_SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def gs1_check_digit(body: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gs1_number(length: int):
    return st.text("0123456789", min_size=length - 1, max_size=length - 1).map(lambda b: b + gs1_check_digit(b))


def short_code_check(symbols: str) -> str:
    total, factor = 0, 2
    for symbol in reversed(symbols):
        addend = factor * SHORT_CODE_SYMBOLS.index(symbol)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return SHORT_CODE_SYMBOLS[(32 - total % 32) % 32]


@st.composite
def short_codes(draw):
    serial = draw(st.text(SHORT_CODE_SYMBOLS, min_size=12, max_size=12))
    code = serial + short_code_check(serial)
    if draw(st.booleans()):
        code = "-".join(code[i:i + 4] for i in range(0, 13, 4))
    return code.lower() if draw(st.booleans()) else code


@st.composite
def signatures(draw):
    key = draw(st.integers(0, 2**32 - 1))
    signature = draw(st.integers(0, 2**512 - 1))
    return "1" + str(key).zfill(10) + str(signature).zfill(155)


schemathesis.openapi.format("gs1-gtin", gs1_number(14))
schemathesis.openapi.format("gs1-sscc", gs1_number(18))
schemathesis.openapi.format("gs1-batch", st.tuples(gs1_number(14), st.from_regex(r"\A[A-Z0-9-]{1,20}\Z")).map("/".join))
schemathesis.openapi.format("yima-short-code", short_codes())
schemathesis.openapi.format("yima-signature", signatures())

# A record as a valid request carries it: the payload of docs/envelope.md's test vector.
ENVELOPE_DOC = Path(__file__).resolve().parent.parent / "docs" / "envelope.md"
RECORD_PAYLOAD = next(json.loads(line)["payload"] for line in ENVELOPE_DOC.read_text().splitlines()
                      if line.startswith('{"alg":"ed25519","kid":'))
json.loads(base64.urlsafe_b64decode(RECORD_PAYLOAD + "=" * (-len(RECORD_PAYLOAD) % 4)))  # a record, or fail loudly


def is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def map_case(context, case):
    if not is_positive(case):
        return case
    operation = case.operation
    if operation.path == "/api/v1/report" and isinstance(case.query, dict):
        first, last = case.query.get("from"), case.query.get("until")
        if isinstance(first, str) and isinstance(last, str) and last < first:
            case.query["from"], case.query["until"] = last, first
    if operation.path == "/api/v1/records" and isinstance(case.body, dict) and "payload" in case.body:
        case.body["payload"] = RECORD_PAYLOAD
    return case
