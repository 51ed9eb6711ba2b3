#!/usr/bin/env python3
"""Cross-checks EPCIS 2.0 JSON-LD documents with independent tools (docs/epcis.md):

- validation against the vendored GS1 EPCIS 2.0 JSON schema
  (Tests/Conformance/epcis/schema/EPCIS-JSON-Schema.json) with format checking
  (jsonschema with rfc3339-validator and rfc3986-validator, so "uri" and "date-time" are enforced);
- the CBV 2.0 event hash of every event by the GS1 prototype on PyPI,
  epcis-event-hash-generator (pinned in scripts/requirements-test.txt). It loads the
  EPCIS JSON-LD context from its own package data, so it runs offline.

Usage: python3 scripts/epcis-check.py FILE...
Writes one JSON object per file, in a JSON array:
  {"file": ..., "schema_errors": ["<json path>: <message>", ...], "hashes": [...] or null, "hash_error": ...}
"""
import json, logging, pathlib, sys

import jsonschema

logging.disable(logging.CRITICAL)
root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "Tests/Conformance/epcis/schema/EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
# Without these checkers jsonschema silently skips "uri" and "date-time".
assert "uri" in validator.format_checker.checkers and "date-time" in validator.format_checker.checkers, \
    "pip install -r scripts/requirements-test.txt (rfc3986-validator, rfc3339-validator)"


def reference_hashes(text):
    from epcis_event_hash_generator import hash_generator, json_to_py
    json_to_py._namespaces.clear()  # the prototype keeps prefixes in a module global
    events = json_to_py.event_list_from_epcis_document_str(text)
    return hash_generator.epcis_hashes_from_events(events)


out = []
for name in sys.argv[1:]:
    text = pathlib.Path(name).read_text(encoding="utf-8")
    document = json.loads(text)
    errors = ["$%s: %s" % ("".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in e.absolute_path), e.message)
              for e in validator.iter_errors(document)]
    entry = {"file": name, "schema_errors": errors, "hashes": None, "hash_error": None}
    try:
        entry["hashes"] = reference_hashes(text)
    except Exception as error:  # the prototype fails on some documents; say so
        entry["hash_error"] = "%s: %s" % (type(error).__name__, error)
    out.append(entry)
json.dump(out, sys.stdout, ensure_ascii=False)
