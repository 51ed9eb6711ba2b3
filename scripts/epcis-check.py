#!/usr/bin/env python3
"""Cross-checks EPCIS 2.0 JSON-LD documents with independent tools (docs/epcis.md):

- validation against the vendored GS1 EPCIS 2.0 JSON schema
  (Tests/Conformance/epcis/schema/EPCIS-JSON-Schema.json) with format checking
  (jsonschema with rfc3339-validator and rfc3986-validator, so "uri" and "date-time" are enforced);
- the CBV 2.0 event hash of every event by the GS1 prototype on PyPI,
  epcis-event-hash-generator (pinned in scripts/requirements-test.txt). It loads the
  EPCIS JSON-LD context from its own package data, so it runs offline.

The prototype (1.9.3) reads JSON bizTransactionList, sourceList and destinationList
as if they were extensions: it writes them after sensorElementList, in alphabetical
order among ILMD and extensions, each list's elements in document order. CBV 2.0
§8.9.2 places them (in that order) after bizLocation and before sensorElementList, and
sorts their elements (rule 11). "adjusted_hashes" are the prototype's own pre-hash
strings with just those list blocks moved to their canonical place and their elements
sorted; "hashes" are the prototype's hashes as it computes them. docs/epcis.md
§Cross-check.

Usage: python3 scripts/epcis-check.py FILE...
Writes one JSON object per file, in a JSON array:
  {"file": ..., "schema_errors": ["<json path>: <message>", ...], "hashes": [...] or null,
   "adjusted_hashes": [...] or null, "hash_error": ...}
"""
import hashlib, json, logging, pathlib, sys

import jsonschema

logging.disable(logging.CRITICAL)
root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "Tests/Conformance/epcis/schema/EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
# Without these checkers jsonschema silently skips "uri" and "date-time".
assert "uri" in validator.format_checker.checkers and "date-time" in validator.format_checker.checkers, \
    "pip install -r scripts/requirements-test.txt (rfc3986-validator, rfc3339-validator)"


LISTS = ("bizTransactionList", "sourceList", "destinationList")
MEMBERS = ("bizTransaction=", "source=", "destination=", "type=")


def list_blocks(lines):
    """The three list blocks in the prototype's pre-hash pieces: (as written, as CBV 2.0 writes it)."""
    blocks, index = {}, 0
    while index < len(lines):
        name = next((n for n in LISTS if lines[index].startswith(n)), None)
        if name is None:
            index += 1
            continue
        pieces, elements = [lines[index]], [lines[index][len(name):]]
        index += 1
        while index < len(lines) and lines[index].startswith(MEMBERS):
            pieces.append(lines[index])
            if lines[index].startswith("type="):
                elements[-1] += lines[index]
            else:
                elements.append(lines[index])
            index += 1
        blocks[name] = ("".join(pieces), name + "".join(sorted(elements, key=lambda e: e.encode())))
    return blocks


def canonical_lists(prehash, lines):
    """The prototype's pre-hash string (joined with nothing, as it hashes it) with the
    three list blocks moved where CBV 2.0 puts them; `lines` is the same pre-hash
    joined with newlines, to find the blocks."""
    blocks = list_blocks(lines)
    if not blocks:
        return prehash
    at = min(prehash.find(written) for written, _ in blocks.values())
    for written, _ in blocks.values():
        prehash = prehash.replace(written, "", 1)
    sensors = prehash.find("sensorElementList")
    at = min(at, sensors) if sensors >= 0 else at
    return prehash[:at] + "".join(blocks[n][1] for n in LISTS if n in blocks) + prehash[at:]


def reference_hashes(text):
    from epcis_event_hash_generator import hash_generator, json_to_py
    json_to_py._namespaces.clear()  # the prototype keeps prefixes in a module global
    events = json_to_py.event_list_from_epcis_document_str(text)
    raw = hash_generator.epcis_hashes_from_events(events)
    json_to_py._namespaces.clear()
    events = json_to_py.event_list_from_epcis_document_str(text)
    joined = hash_generator.derive_prehashes_from_events(events, join_by="")
    json_to_py._namespaces.clear()
    events = json_to_py.event_list_from_epcis_document_str(text)
    lines = hash_generator.derive_prehashes_from_events(events, join_by="\n")
    adjusted = ["ni:///sha-256;" + hashlib.sha256(canonical_lists(p, l.split("\n")).encode()).hexdigest() + "?ver=CBV2.0"
                for p, l in zip(joined, lines)]
    return raw, adjusted


out = []
for name in sys.argv[1:]:
    text = pathlib.Path(name).read_text(encoding="utf-8")
    document = json.loads(text)
    errors = ["$%s: %s" % ("".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in e.absolute_path), e.message)
              for e in validator.iter_errors(document)]
    entry = {"file": name, "schema_errors": errors, "hashes": None, "adjusted_hashes": None, "hash_error": None}
    try:
        entry["hashes"], entry["adjusted_hashes"] = reference_hashes(text)
    except Exception as error:  # the prototype fails on some documents; say so
        entry["hash_error"] = "%s: %s" % (type(error).__name__, error)
    out.append(entry)
json.dump(out, sys.stdout, ensure_ascii=False)
